//! Markdown to safe HTML. Rendered once when a case is saved; the stored HTML is what readers get.

mod nesting;
#[cfg(test)]
mod properties;

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
/// handler attributes, `javascript:` URLs, `<iframe>`, `<style>` and the like. Nesting is
/// bounded first (see `nesting`), so no body takes the sanitiser more than linear time.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let parser = nesting::bounded(Parser::new_ext(markdown, options));
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, parser);
    callouts(&sanitizer().clean(&unsafe_html).to_string())
}

/// Teaching callouts: a block quote whose first line is `[!PEARL]`, `[!PITFALL]` or
/// `[!RED FLAG]` becomes a labelled box. The label is text (not colour alone), so it reads the
/// same to a screen reader, in print and in greyscale. Runs on sanitised HTML and only inserts
/// fixed markup.
fn callouts(html: &str) -> String {
    const KINDS: [(&str, &str, &str, &str); 3] = [
        ("[!PEARL]", "pearl", "✦", "Pearl"),
        ("[!PITFALL]", "pitfall", "⚠", "Pitfall"),
        ("[!RED FLAG]", "red-flag", "⚑", "Red flag"),
    ];
    const OPEN: &str = "<blockquote>\n<p>";
    const OPEN_TAG: &str = "<blockquote>";
    const CLOSE_TAG: &str = "</blockquote>";
    let mut out = String::with_capacity(html.len() + 128);
    // For each open block quote: whether it became a callout.
    let mut stack: Vec<bool> = Vec::new();
    // Where the text not yet copied starts, and where the next opening and closing tags are.
    // Each is searched for again only once passed, so the whole is read once: searching from
    // the cursor for both on every tag made a page of nested quotes quadratic.
    let mut at = 0;
    let mut next_open = html.find(OPEN_TAG);
    let mut next_close = html.find(CLOSE_TAG);
    while let Some(pos) = next_open.into_iter().chain(next_close).min() {
        out.push_str(&html[at..pos]);
        if next_close == Some(pos) {
            out.push_str(if stack.pop() == Some(true) {
                "</aside>"
            } else {
                CLOSE_TAG
            });
            at = pos + CLOSE_TAG.len();
        } else {
            let rest = &html[pos..];
            let callout = rest.strip_prefix(OPEN).and_then(|inner| {
                KINDS.iter().find_map(|(marker, class, icon, label)| {
                    inner
                        .strip_prefix(marker)
                        .map(|after| (class, icon, label, after))
                })
            });
            match callout {
                Some((class, icon, label, after)) => {
                    out.push_str(&format!(
                        "<aside class=\"callout callout-{class}\" role=\"note\" aria-label=\"{label}\">\
                         <p class=\"callout-title\"><span aria-hidden=\"true\">{icon}</span> {label}</p>\n"
                    ));
                    // The rest of the first paragraph, if the marker had a line of its own.
                    let after = after.strip_prefix('\n').unwrap_or(after);
                    let remaining = match after.strip_prefix("</p>") {
                        Some(empty_paragraph_end) => empty_paragraph_end,
                        None => {
                            out.push_str("<p>");
                            after
                        }
                    };
                    at = html.len() - remaining.len();
                    stack.push(true);
                }
                None => {
                    out.push_str(OPEN_TAG);
                    at = pos + OPEN_TAG.len();
                    stack.push(false);
                }
            }
        }
        if next_open.is_some_and(|o| o < at) {
            next_open = html[at..].find(OPEN_TAG).map(|o| o + at);
        }
        if next_close.is_some_and(|c| c < at) {
            next_close = html[at..].find(CLOSE_TAG).map(|c| c + at);
        }
    }
    out.push_str(&html[at..]);
    out
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
    fn callouts_become_labelled_boxes() {
        let html = render("> [!PEARL]\n> Check the pulse in both arms.\n\n> [!RED FLAG]\n>\n> Sudden tearing pain.");
        assert!(
            html.contains(
                "<aside class=\"callout callout-pearl\" role=\"note\" aria-label=\"Pearl\">"
            ),
            "{html}"
        );
        assert!(
            html.contains("Pearl</p>\n<p>Check the pulse in both arms.</p>\n</aside>"),
            "{html}"
        );
        assert!(
            html.contains("callout-red-flag") && html.contains("Red flag</p>"),
            "{html}"
        );
        assert!(!html.contains("[!"), "{html}");
        assert!(!html.contains("<blockquote>"), "{html}");
    }

    #[test]
    fn ordinary_and_nested_quotes_stay_quotes() {
        let html = render("> just a quote\n\n> [!PITFALL]\n> Outer\n>\n> > inner quote\n\nafter");
        assert!(
            html.starts_with("<blockquote>\n<p>just a quote</p>\n</blockquote>"),
            "{html}"
        );
        assert!(html.contains("callout-pitfall"), "{html}");
        assert!(
            html.contains("<blockquote>\n<p>inner quote</p>\n</blockquote>\n</aside>"),
            "{html}"
        );
        assert_eq!(
            html.matches("<aside").count(),
            html.matches("</aside>").count()
        );
    }

    #[test]
    fn callout_markup_cannot_be_forged() {
        let html = render("<aside class=\"callout callout-pearl\" onclick=\"x()\">fake</aside>");
        assert!(
            !html.contains("callout") && !html.contains("onclick"),
            "{html}"
        );
        assert!(html.contains("fake"));
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
