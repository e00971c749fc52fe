//! From `<question>` elements to the items the GIFT importer produces.

use super::read::Tree;
use crate::quiz::gift::{html_text, GiftAnswer, GiftError, GiftItem};

fn error(line: usize, message: impl Into<String>) -> GiftError {
    GiftError {
        line,
        error: message.into(),
    }
}

/// Every question of the `<quiz>`: supported ones, skipped ones (with why), and one error per
/// question that cannot be read. Category pseudo-questions are left out.
pub(super) fn items(tree: &Tree) -> Result<(Vec<GiftItem>, Vec<GiftError>), GiftError> {
    let root = tree.root();
    let quiz = tree.get(root);
    if quiz.name != "quiz" {
        return Err(error(
            quiz.line,
            format!(
                "This is not a Moodle XML question file: it starts with <{}>, not <quiz>.",
                quiz.name
            ),
        ));
    }
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for at in tree.children(root, "question") {
        match question(tree, at) {
            Ok(Some(item)) => items.push(item),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    Ok((items, errors))
}

/// A text in one of Moodle's formats, as Corridor keeps it, with the format it now is in:
/// HTML reduced to its text (as GIFT's `[html]`) is plain text; Markdown stays Markdown; plain
/// and Moodle's auto-format text are kept as written.
fn formatted(format: &str, raw: &str) -> (&'static str, String) {
    match format {
        "html" => ("plain", html_text(raw)),
        "plain_text" => ("plain", raw.trim().to_owned()),
        "markdown" => ("markdown", raw.trim().to_owned()),
        _ => ("moodle", raw.trim().to_owned()),
    }
}

/// The `<text>` of child `name` of `at` (`<questiontext format="…"><text>…</text>`), formatted;
/// `default` is Moodle's format when the attribute is missing.
fn rich(tree: &Tree, at: usize, name: &str, default: &str) -> (&'static str, String) {
    match tree.child(at, name) {
        Some(el) => formatted(
            tree.attribute(el, "format").unwrap_or(default),
            tree.text_at(el, &["text"]).unwrap_or(""),
        ),
        None => ("moodle", String::new()),
    }
}

/// The `<answer>`s of a question with their fractions (percent) and feedback. `default` is the
/// answers' format when they do not say (HTML for multiple choice, as Moodle writes them).
fn answers(tree: &Tree, question: usize, default: &str) -> Result<Vec<GiftAnswer>, GiftError> {
    let mut answers = Vec::new();
    for at in tree.children(question, "answer") {
        let line = tree.get(at).line;
        let weight = match tree.attribute(at, "fraction").map(str::trim) {
            None | Some("") => 0.0,
            Some(raw) => raw
                .parse::<f64>()
                .ok()
                .filter(|w| w.is_finite())
                .ok_or_else(|| error(line, format!("“{raw}” is not a fraction in percent.")))?,
        };
        if !(-100.0..=100.0).contains(&weight) {
            return Err(error(
                line,
                format!("The fraction {weight} % is outside -100 % … 100 %."),
            ));
        }
        let (_, text) = formatted(
            tree.attribute(at, "format").unwrap_or(default),
            tree.text_at(at, &["text"]).unwrap_or(""),
        );
        if text.is_empty() {
            return Err(error(line, "An answer has no text."));
        }
        answers.push(GiftAnswer {
            text,
            weight,
            feedback: rich(tree, at, "feedback", "html").1,
        });
    }
    if answers.is_empty() {
        return Err(error(
            tree.get(question).line,
            "The question has no <answer> elements.",
        ));
    }
    Ok(answers)
}

/// One `<question>`: None for a category (it only says where Moodle filed what follows).
fn question(tree: &Tree, at: usize) -> Result<Option<GiftItem>, GiftError> {
    let line = tree.get(at).line;
    let Some(kind) = tree.attribute(at, "type") else {
        return Err(error(line, "A <question> has no type=\"…\"."));
    };
    if kind == "category" {
        return Ok(None);
    }
    let name = tree
        .text_at(at, &["name", "text"])
        .unwrap_or("")
        .trim()
        .to_owned();
    let (format, text) = rich(tree, at, "questiontext", "html");
    let tags: Vec<String> = tree
        .children(at, "tags")
        .flat_map(|tags| tree.children(tags, "tag"))
        .filter_map(|tag| tree.text_at(tag, &["text"]))
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    let mut item = GiftItem {
        line,
        name,
        kind: String::new(),
        text,
        answers: Vec::new(),
        explanation: rich(tree, at, "generalfeedback", "html").1,
        format: format.into(),
        objective: tags.join(", "),
        tags,
        skipped: None,
    };
    let (kind, answers) = match kind {
        "multichoice" => {
            // Moodle reads anything but "false" or "0" (and an absent element) as single.
            let single = tree
                .text_at(at, &["single"])
                .map(str::trim)
                .is_none_or(|s| !(s == "false" || s == "0" || s.is_empty()));
            let kind = if single { "single" } else { "multiple" };
            (kind, answers(tree, at, "html")?)
        }
        "truefalse" => ("true_false", true_false(tree, at)?),
        // `usecase` (case-sensitive matching) has no counterpart: Corridor always ignores case.
        "shortanswer" => ("short_answer", answers(tree, at, "moodle_auto_format")?),
        other => {
            item.kind = other.chars().take(40).collect();
            item.skipped = Some(unsupported(&item.kind));
            return Ok(Some(item));
        }
    };
    item.kind = kind.into();
    item.answers = answers;
    if item.text.is_empty() {
        return Err(error(line, "The question has no text (<questiontext>)."));
    }
    // What the import would refuse, said here too, so `server moodle-check` tells it.
    if let Some(question) = item.to_question() {
        question
            .validate()
            .map_err(|message| error(line, message))?;
    }
    Ok(Some(item))
}

/// A true/false question's answers in Corridor's order (true first), from Moodle's `true` and
/// `false` answers: the one with credit is the truth.
fn true_false(tree: &Tree, at: usize) -> Result<Vec<GiftAnswer>, GiftError> {
    let line = tree.get(at).line;
    let (mut yes, mut no) = (None, None);
    for answer in answers(tree, at, "moodle_auto_format")? {
        match answer.text.to_lowercase().as_str() {
            "true" => yes = Some(answer),
            "false" => no = Some(answer),
            other => {
                return Err(error(
                    line,
                    format!(
                        "A true/false question's answers are “true” and “false”, not “{other}”."
                    ),
                ))
            }
        }
    }
    let truth = match (&yes, &no) {
        (Some(t), _) => t.weight > 0.0,
        (None, Some(f)) => f.weight <= 0.0,
        (None, None) => unreachable!("answers() returns at least one answer"),
    };
    let feedback =
        |a: &Option<GiftAnswer>| a.as_ref().map(|a| a.feedback.clone()).unwrap_or_default();
    Ok(
        crate::quiz::true_false_answers(truth, &feedback(&yes), &feedback(&no))
            .into_iter()
            .map(|a| GiftAnswer {
                text: a.text,
                weight: a.weight,
                feedback: a.feedback,
            })
            .collect(),
    )
}

/// Why a question type is skipped, worded as the GIFT import words it.
fn unsupported(kind: &str) -> String {
    let what = match kind {
        "description" => return "A description (no answers) is not a question; skipped.".into(),
        "matching" => "Matching questions are not supported",
        "essay" => "Essay questions are not supported",
        "numerical" => "Numerical questions are not supported",
        "multianswer" => "Embedded-answer (Cloze) questions are not supported",
        "ddwtos" => "Drag-and-drop into text questions are not supported",
        "gapselect" => "Select-missing-words questions are not supported",
        "ddimageortext" | "ddmarker" => "Drag-and-drop onto image questions are not supported",
        "calculated" | "calculatedsimple" | "calculatedmulti" => {
            "Calculated questions are not supported"
        }
        "randomsamatch" => "Random short-answer matching questions are not supported",
        "random" => "Random questions are not supported",
        "ordering" => "Ordering questions are not supported",
        other => return format!("“{other}” questions are not supported; skipped."),
    };
    format!("{what}; skipped.")
}
