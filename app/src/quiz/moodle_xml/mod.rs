//! Moodle XML import and export for quiz questions (server only: the reader is quick-xml).
//!
//! Moodle XML is what most Moodle sites export their question banks in: a `<quiz>` of
//! `<question type="…">` elements. Read into the same items as GIFT ([`GiftItem`]), so one
//! import path serves both:
//!
//! - `multichoice`: `<single>true</single>` is a single best answer, otherwise multiple response;
//!   each `<answer fraction="…">` keeps its percentage (`50`, `33.33333`, `-100`) and feedback;
//! - `truefalse`: the `true` and `false` answers, the one with credit being the truth, each
//!   with its feedback;
//! - `shortanswer`: accepted answers with fractions and feedback; `*` is Moodle's wildcard, which
//!   Corridor's grading honours. `<usecase>` has no counterpart: Corridor ignores case always;
//! - `<name>`, `<questiontext>` and `<generalfeedback>` (the explanation) in any of Moodle's
//!   formats: HTML is reduced to its text as GIFT's `[html]` is, Markdown kept, plain and
//!   Moodle's auto-format text kept as written; `<tags>` become the learning objective (and stay
//!   on the item as tags);
//! - `category` pseudo-questions are ignored; every other type (matching, essay, numerical,
//!   Cloze, description, drag and drop…) is reported as skipped with its name and line.
//!
//! Malformed XML is one error with its line; a question that cannot be used is an error at the
//! line of its `<question>`, and the others are still read. Documents above
//! [`IMPORT_MAX_BYTES`] are refused, elements nest at most a fixed depth, and only XML's own
//! entities are expanded.

mod items;
mod read;
#[cfg(test)]
mod tests;
mod write;

pub use write::export;

use crate::quiz::gift::{GiftError, GiftItem, IMPORT_MAX_BYTES};

/// Whether pasted or uploaded text is Moodle XML rather than GIFT.
pub fn looks_like(text: &str) -> bool {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    start.starts_with("<?xml") || start.starts_with("<quiz")
}

/// Reads a Moodle XML document: the questions found (supported and skipped) and the errors.
pub fn parse(input: &str) -> (Vec<GiftItem>, Vec<GiftError>) {
    if input.len() > IMPORT_MAX_BYTES {
        return (
            Vec::new(),
            vec![GiftError {
                line: 1,
                error: format!(
                    "The file is larger than {} KB: import at most {} KB at a time.",
                    IMPORT_MAX_BYTES / 1024,
                    IMPORT_MAX_BYTES / 1024
                ),
            }],
        );
    }
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    match read::read(input).and_then(|tree| items::items(&tree)) {
        Ok(parsed) => parsed,
        Err(error) => (Vec::new(), vec![error]),
    }
}
