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
                if !wrong.is_empty() || !right.is_empty() {
                    out.push_str(&format!("#{}#{}", escape(wrong), escape(right)));
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
                    out.push_str(&format!("\n\t{marker}{}", escape(&a.text)));
                    if !a.feedback.is_empty() {
                        out.push_str(&format!("#{}", escape(&a.feedback)));
                    }
                }
                out.push('\n');
            }
        }
        if !q.explanation.is_empty() {
            out.push_str(&format!("####{}", escape(&q.explanation)));
        }
        out.push_str("}\n\n");
    }
    out
}
