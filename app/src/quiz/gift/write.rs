//! Writing questions as GIFT.

use super::escape;
use crate::quiz::{Question, QuestionKind};

fn weight_text(w: f64) -> String {
    if w.fract() == 0.0 {
        format!("{w:.0}")
    } else {
        format!("{w}")
    }
}

/// An answer's, a feedback's or an explanation's text as GIFT reads it back unchanged. Plain
/// text is escaped. Text that starts with a format marker (`[html]`…) or `%` (a weight) gets
/// its own `[markdown]` marker first, so the reader does not take the start for a marker or a
/// weight. Text with `->` is written as `[html]` with `>` as `&gt;`: GIFT has no escape for
/// `->`, and Moodle (like Corridor) reads an unescaped one as a matching question.
fn piece(text: &str) -> String {
    if text.contains("->") {
        let html = text
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        return format!("[html]{}", escape(&html));
    }
    let start = text.trim_start();
    let marked = start.starts_with('%')
        || ["[markdown]", "[html]", "[plain]", "[moodle]"]
            .iter()
            .any(|m| start.starts_with(m));
    if marked {
        format!("[markdown]{}", escape(text))
    } else {
        escape(text)
    }
}

/// Writes questions as GIFT (Markdown text). Hotspot questions have no GIFT form: they are
/// left out with a comment saying so.
pub fn export(questions: &[Question]) -> String {
    let mut out = String::new();
    for q in questions {
        if q.kind == QuestionKind::Hotspot {
            out.push_str(&format!(
                "// Hotspot question “{}” has no GIFT form and is left out.\n\n",
                q.name.replace('\n', " ")
            ));
            continue;
        }
        if !q.objective.is_empty() {
            out.push_str(&format!(
                "// [tag:{}]\n",
                q.objective.replace([']', '\n'], " ")
            ));
        }
        if !q.name.is_empty() {
            out.push_str(&format!("::{}::", escape(&q.name)));
        }
        out.push_str(&format!("[markdown]{} {{", escape(&q.text)));
        match q.kind {
            QuestionKind::TrueFalse => {
                let truth = q.answers.first().is_some_and(|a| a.weight > 0.0);
                let fb = |i: usize| q.answers.get(i).map(|a| a.feedback.as_str()).unwrap_or("");
                // Feedback for the wrong answer first, then for the right one.
                let (wrong, right) = if truth {
                    (fb(1), fb(0))
                } else {
                    (fb(0), fb(1))
                };
                out.push_str(if truth { "TRUE" } else { "FALSE" });
                // An empty last feedback is left out: `#wrong#` before `####` would read as
                // five `#`s.
                if !wrong.is_empty() || !right.is_empty() {
                    out.push_str(&format!("#{}", piece(wrong)));
                }
                if !right.is_empty() {
                    out.push_str(&format!("#{}", piece(right)));
                }
            }
            _ => {
                for a in &q.answers {
                    let marker = match q.kind {
                        QuestionKind::Single if a.weight >= 100.0 => "=".to_owned(),
                        QuestionKind::ShortAnswer if a.weight >= 100.0 => "=".to_owned(),
                        QuestionKind::ShortAnswer => format!("=%{}%", weight_text(a.weight)),
                        _ if a.weight == 0.0 => "~".to_owned(),
                        _ => format!("~%{}%", weight_text(a.weight)),
                    };
                    out.push_str(&format!("\n\t{marker}{}", piece(&a.text)));
                    if !a.feedback.is_empty() {
                        out.push_str(&format!("#{}", piece(&a.feedback)));
                    }
                }
                out.push('\n');
            }
        }
        if !q.explanation.is_empty() {
            out.push_str(&format!("####{}", piece(&q.explanation)));
        }
        out.push_str("}\n\n");
    }
    out
}
