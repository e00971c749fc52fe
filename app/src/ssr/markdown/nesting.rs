//! Bounded nesting. The sanitiser's HTML parser takes time quadratic in how deep elements nest:
//! a body of 50,000 `>` (as many nested quotes) took two minutes, 8,000 `<div>` two seconds.
//! No teaching case nests anywhere near the bounds here, so beyond them Markdown containers are
//! flattened (their text is kept) and raw HTML is shown as text instead of opening more
//! elements.

use pulldown_cmark::{CowStr, Event};

/// Markdown containers (quotes, lists, emphasis, tables…) open at once.
const MARKDOWN_DEPTH: usize = 48;
/// Raw HTML elements open at once.
const HTML_DEPTH: usize = 128;

/// Elements that never hold others, or that the HTML parser closes when a sibling opens: they
/// add no depth.
const FLAT: [&str; 22] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option",
];

/// The events of a Markdown parser, with nesting bounded.
pub(super) fn bounded<'a>(
    events: impl Iterator<Item = Event<'a>>,
) -> impl Iterator<Item = Event<'a>> {
    // For each container started: whether it was passed on (so its end is too).
    let mut kept: Vec<bool> = Vec::new();
    let mut depth = 0;
    // The raw HTML elements open, by name, as the HTML parser would see them.
    let mut open: Vec<String> = Vec::new();
    events.filter_map(move |event| match event {
        Event::Start(tag) => {
            let keep = depth < MARKDOWN_DEPTH;
            kept.push(keep);
            keep.then(|| {
                depth += 1;
                Event::Start(tag)
            })
        }
        Event::End(end) => kept.pop().unwrap_or(false).then(|| {
            depth -= 1;
            Event::End(end)
        }),
        Event::Html(raw) => Some(raw_html(raw, &mut open, Event::Html)),
        Event::InlineHtml(raw) => Some(raw_html(raw, &mut open, Event::InlineHtml)),
        other => Some(other),
    })
}

/// Raw HTML passed on as it is while the elements it leaves open stay within the bound;
/// otherwise as text (escaped when written), opening nothing.
fn raw_html<'a>(
    raw: CowStr<'a>,
    open: &mut Vec<String>,
    as_html: fn(CowStr<'a>) -> Event<'a>,
) -> Event<'a> {
    let mut after = open.clone();
    for tag in raw.split('<').skip(1) {
        let (closing, rest) = match tag.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, tag),
        };
        let name: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if name.is_empty() || FLAT.contains(&name.as_str()) {
            continue;
        }
        if closing {
            if let Some(at) = after.iter().rposition(|n| *n == name) {
                after.truncate(at);
            }
        } else if !rest.split('>').next().unwrap_or(rest).ends_with('/') {
            after.push(name);
            if after.len() > HTML_DEPTH {
                return Event::Text(raw);
            }
        }
    }
    *open = after;
    as_html(raw)
}

#[cfg(test)]
mod tests {
    use super::super::render;

    #[test]
    fn deep_quotes_are_flattened_but_keep_their_text() {
        let html = render(&format!("{}deep text", ">".repeat(5_000)));
        assert!(html.contains("deep text"), "{html}");
        let quotes = html.matches("<blockquote>").count();
        assert!(quotes > 10 && quotes <= 48, "{quotes}");
        assert_eq!(quotes, html.matches("</blockquote>").count());
    }

    #[test]
    fn deep_raw_html_is_shown_as_text_beyond_the_bound() {
        let html = render(&format!("{}inner", "<div>".repeat(1_000)));
        assert!(html.contains("inner"), "{html}");
        assert!(html.contains("&lt;div&gt;"), "{html}");
        assert!(html.matches("<div>").count() <= 128);
    }

    #[test]
    fn ordinary_html_and_nesting_pass_unchanged() {
        let md = "> quote\n>\n> > nested\n\n- a\n  - b\n    - c\n\n<div><p>x</p><br><img src=\"a.png\"></div>";
        let html = render(md);
        assert_eq!(html.matches("<blockquote>").count(), 2, "{html}");
        assert_eq!(html.matches("<ul>").count(), 3, "{html}");
        assert!(
            html.contains("<div><p>x</p><br><img src=\"a.png\"></div>"),
            "{html}"
        );
    }
}
