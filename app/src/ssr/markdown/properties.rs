//! The renderer on arbitrary and adversarial Markdown: no panic, nothing that runs script,
//! balanced callouts and quotes, and bodies at the case limit rendered in linear time.

use super::render;

/// Markdown and HTML pieces that reach the callouts and the sanitiser.
const PIECES: &[&str] = &[
    "> ",
    ">",
    "[!PEARL]",
    "[!PITFALL]",
    "[!RED FLAG]",
    "\n",
    "\n\n",
    "text",
    " ",
    "**",
    "*",
    "_",
    "`",
    "```",
    "#",
    "- ",
    "1. ",
    "|",
    "|---|",
    "[x](",
    "javascript:alert(1)",
    ")",
    "<",
    ">",
    "<blockquote>",
    "</blockquote>",
    "<aside class=\"callout\">",
    "</aside>",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<p>",
    "</p>",
    "&",
    "[^1]",
    "[^1]: note",
    "- [ ] ",
    "~~",
    "é",
    "हिंदी",
    "\\",
    "<!--",
    "-->",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Whatever is written: no panic, nothing that runs script, and every callout or quote
    /// opened is closed.
    #[test]
    fn any_markdown_renders_to_safe_balanced_html(
        pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..60),
    ) {
        let html = render(&pieces.concat());
        let lower = html.to_lowercase();
        // Text is escaped, so every `<` left is a tag: none may run script.
        for tag in lower.split('<').skip(1).map(|t| t.split('>').next().unwrap_or(t)) {
            proptest::prop_assert!(!tag.starts_with("script"), "{}", html);
            proptest::prop_assert!(!tag.contains("onerror"), "{}", html);
            // `href="**javascript:…"` is a relative link, harmless; a scheme starts the value.
        proptest::prop_assert!(!tag.contains("=\"javascript:"), "{}", html);
        }
        proptest::prop_assert_eq!(html.matches("<aside").count(), html.matches("</aside>").count());
        proptest::prop_assert_eq!(
            html.matches("<blockquote>").count(),
            html.matches("</blockquote>").count()
        );
    }

    #[test]
    fn any_text_renders(text in "\\PC{0,300}") {
        let _ = render(&text);
    }
}

/// Bodies at the case limit built to be slow: deep quotes, many callouts, long lines, many
/// brackets and emphasis markers. Each renders within a generous bound.
#[test]
fn large_adversarial_markdown_renders_in_linear_time() {
    let size = crate::cases::input::BODY_MAX;
    let fill = |pattern: &str| pattern.repeat(size / pattern.len());
    let inputs = [
        fill(">"),
        fill("> [!PEARL]\n"),
        fill("> [!PEARL]\n>\n"),
        fill("<blockquote>"),
        format!("{}{}", fill("<blockquote>"), fill("</blockquote>")),
        fill("["),
        fill("*a"),
        fill("_"),
        fill("|"),
        fill("- "),
        fill("`"),
        fill("<"),
        fill("a"),
        fill("[x]("),
        fill("[^1]"),
    ];
    for input in &inputs {
        let started = std::time::Instant::now();
        let _ = render(input);
        let took = started.elapsed();
        assert!(
            took < std::time::Duration::from_secs(20),
            "{:?}…: {took:?}",
            &input[..12]
        );
    }
}

/// The callouts pass alone on nested quotes: thousands deep, read once.
#[test]
fn callouts_read_nested_quotes_once() {
    let n = 20_000;
    let html = format!(
        "{}<p>x</p>{}",
        "<blockquote>\n".repeat(n),
        "</blockquote>\n".repeat(n)
    );
    let started = std::time::Instant::now();
    let out = super::callouts(&html);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(out.matches("<blockquote>").count(), n);
    assert_eq!(out.matches("</blockquote>").count(), n);
}
