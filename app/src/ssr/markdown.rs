//! Markdown to safe HTML. Rendered once when a case is saved; the stored HTML is what readers get.

use pulldown_cmark::{html, Options, Parser};
use std::sync::OnceLock;

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        // Only web and mail links: no javascript:, data: or vbscript: URLs survive.
        builder
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("noopener noreferrer nofollow"));
        builder
    })
}

/// Renders Markdown to HTML and removes anything that could run script: `<script>`, event
/// handler attributes, `javascript:` URLs, `<iframe>`, `<style>` and the like.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let parser = Parser::new_ext(markdown, options);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    sanitizer().clean(&unsafe_html).to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_clinical_markdown() {
        let html = render("## Examination\n\n- Pulse **112**/min\n- BP 90/60\n\n| Test | Value |\n|---|---|\n| Hb | 7.2 |");
        assert!(html.contains("<h2>Examination</h2>"));
        assert!(html.contains("<strong>112</strong>"));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn strips_script_tags() {
        let html = render("Before\n\n<script>alert('x')</script>\n\nAfter");
        assert!(!html.to_lowercase().contains("<script"), "{html}");
        assert!(
            !html.contains("alert"),
            "script content must go too: {html}"
        );
        assert!(html.contains("Before") && html.contains("After"));
    }

    #[test]
    fn strips_event_handlers() {
        let html =
            render("<img src=x onerror=alert(1)> and <a href=\"#\" onclick=\"steal()\">link</a>");
        let lower = html.to_lowercase();
        assert!(!lower.contains("onerror"), "{html}");
        assert!(!lower.contains("onclick"), "{html}");
    }

    #[test]
    fn strips_javascript_urls() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
        ] {
            let html = render(md).to_lowercase();
            assert!(!html.contains("javascript:"), "{md} -> {html}");
            assert!(!html.contains("data:text/html"), "{md} -> {html}");
        }
        assert!(render("[guideline](https://nmc.org.in)").contains("href=\"https://nmc.org.in\""));
    }

    #[test]
    fn strips_iframes_and_styles() {
        let html = render(
            "<iframe src=\"https://evil.example\"></iframe><style>body{display:none}</style>ok",
        );
        assert!(!html.contains("<iframe") && !html.contains("<style"));
        assert!(html.contains("ok"));
    }
}
