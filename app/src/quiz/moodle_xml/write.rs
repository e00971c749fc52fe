//! Writing questions as Moodle XML, in the shape Moodle's own export has, so that Moodle and
//! Corridor both import it: question text and explanation as Markdown (Corridor's), answers
//! and feedback as plain text, the objective as a tag.

use crate::quiz::{Answer, Question, QuestionKind};

/// Text for an XML element: the markup characters escaped, a carriage return kept as a
/// reference (a parser would turn a literal one into a line feed), and the control characters
/// XML 1.0 cannot carry dropped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A percentage as Moodle writes fractions: `100`, `50`, `-33.33333`.
fn fraction(w: f64) -> String {
    if w.fract() == 0.0 {
        format!("{w:.0}")
    } else {
        format!("{w}")
    }
}

/// `<name><text>…</text></name>`, with a format attribute when given.
fn text_element(out: &mut String, indent: &str, name: &str, format: Option<&str>, text: &str) {
    let format = format
        .map(|f| format!(" format=\"{f}\""))
        .unwrap_or_default();
    out.push_str(&format!(
        "{indent}<{name}{format}>\n{indent}  <text>{}</text>\n{indent}</{name}>\n",
        escape(text)
    ));
}

fn answer(out: &mut String, a: &Answer, text: &str, format: &str) {
    out.push_str(&format!(
        "    <answer fraction=\"{}\" format=\"{format}\">\n      <text>{}</text>\n",
        fraction(a.weight),
        escape(text)
    ));
    text_element(out, "      ", "feedback", Some("plain_text"), &a.feedback);
    out.push_str("    </answer>\n");
}

/// Writes questions as a Moodle XML `<quiz>`. Hotspot questions have no Moodle form: they are
/// left out with a comment saying so.
pub fn export(questions: &[Question]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    for q in questions {
        let kind = match q.kind {
            QuestionKind::Single | QuestionKind::Multiple => "multichoice",
            QuestionKind::TrueFalse => "truefalse",
            QuestionKind::ShortAnswer => "shortanswer",
            QuestionKind::Hotspot => {
                let label = if q.name.is_empty() { &q.text } else { &q.name };
                let label: String = label.chars().take(80).collect();
                // `--` may not appear inside a comment.
                out.push_str(&format!(
                    "  <!-- Hotspot question “{}” has no Moodle XML form and is left out. -->\n",
                    escape(&label.replace('\n', " ")).replace("--", "—")
                ));
                continue;
            }
        };
        out.push_str(&format!("  <question type=\"{kind}\">\n"));
        text_element(&mut out, "    ", "name", None, &q.name);
        text_element(&mut out, "    ", "questiontext", Some("markdown"), &q.text);
        text_element(
            &mut out,
            "    ",
            "generalfeedback",
            Some("markdown"),
            &q.explanation,
        );
        out.push_str("    <defaultgrade>1</defaultgrade>\n    <hidden>0</hidden>\n");
        match q.kind {
            QuestionKind::TrueFalse => {
                for (a, text) in q.answers.iter().zip(["true", "false"]) {
                    answer(&mut out, a, text, "moodle_auto_format");
                }
            }
            QuestionKind::ShortAnswer => {
                out.push_str("    <usecase>0</usecase>\n");
                for a in &q.answers {
                    answer(&mut out, a, &a.text, "moodle_auto_format");
                }
            }
            _ => {
                let single = q.kind == QuestionKind::Single;
                out.push_str(&format!(
                    "    <single>{single}</single>\n    <answernumbering>abc</answernumbering>\n"
                ));
                for a in &q.answers {
                    answer(&mut out, a, &a.text, "plain_text");
                }
            }
        }
        if !q.objective.is_empty() {
            out.push_str(&format!(
                "    <tags>\n      <tag><text>{}</text></tag>\n    </tags>\n",
                escape(&q.objective)
            ));
        }
        out.push_str("  </question>\n");
    }
    out.push_str("</quiz>\n");
    out
}
