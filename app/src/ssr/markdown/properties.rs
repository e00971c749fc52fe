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
        // Text is escaped, so every tag is the sanitiser's: none may run script. (A link's
        // address may spell out `onerror=…`: it is a value, not an attribute.)
        for (name, attributes) in tags(&html) {
            proptest::prop_assert!(name != "script", "{}", html);
            for (attribute, value) in attributes {
                proptest::prop_assert!(!attribute.starts_with("on"), "{}", html);
                // `href="**javascript:…"` is a relative link, harmless; a scheme starts it.
                proptest::prop_assert!(!value.trim_start().starts_with("javascript:"), "{}", html);
            }
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

/// The tags of sanitised HTML, each with its attributes (name, value), lower-cased. The
/// sanitiser writes every value in double quotes, so a `<`, `>` or `=` inside a value is read
/// as part of the value, not as a tag's edge or another attribute.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let edge = |c: char| c == '=' || c == '>' || c.is_whitespace();
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let name_end = rest
            .find(|c: char| c == '>' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_lowercase();
        rest = &rest[name_end..];
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            if let Some(after) = rest.strip_prefix('>') {
                rest = after;
                break;
            }
            let end = rest.find(edge).unwrap_or(rest.len());
            let attribute = rest[..end].to_lowercase();
            rest = &rest[end..];
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix("=\"") {
                let (inside, after) = after.split_once('"').unwrap_or((after, ""));
                value = inside.to_lowercase();
                rest = after;
            } else if end == 0 {
                // A stray `=`: step over it.
                rest = &rest[1..];
            }
            attributes.push((attribute, value));
        }
        out.push((name, attributes));
    }
    out
}

#[test]
fn tags_are_read_with_their_attributes_not_their_values() {
    let html = r#"<p><a href="img%20src=x%20onerror=alert(1)" rel="noopener">x</a><img src=x onerror="y"></p>"#;
    let read = tags(html);
    let names: Vec<&str> = read.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["p", "a", "/a", "img", "/p"]);
    assert_eq!(
        read[1].1,
        [
            (
                "href".to_owned(),
                "img%20src=x%20onerror=alert(1)".to_owned()
            ),
            ("rel".to_owned(), "noopener".to_owned())
        ]
    );
    // An unquoted value is read as an attribute name and a stray `=`: the check still sees
    // `onerror` as an attribute.
    assert!(read[3].1.iter().any(|(a, _)| a == "onerror"));
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
