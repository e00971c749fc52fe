//! Moodle GIFT import and export for quiz questions.
//!
//! Supported: multiple choice (`=` right, `~` wrong, per-answer `#feedback`), multiple response
//! (`~%50%` weights, negative ones too), true/false (`{T}`, `{FALSE#wrong#right}`), short answer
//! (only `=` answers, `=%50%` for partial credit; `*` is Moodle's wildcard, `=%0%*#…` catching
//! every other answer), question names `::name::`, `//` comments, `[markdown]`, `[html]`,
//! `[plain]` and `[moodle]` text formats (on the question, on an answer and on a feedback: the
//! marker is the format, and HTML is reduced to its text), `####` general feedback (kept as
//! the explanation), the escapes `\~ \= \# \{ \} \\ \:` and `\n`, answers over several lines, and
//! "missing word" questions (text after the answer block), and `// [tag:…]` comments before a
//! question (kept as its learning objective). Matching, numerical, essay and
//! description items are reported as skipped, never half-imported. Malformed input gives errors
//! with the line they start on.
//!
//! This module holds the parsed form and its conversion; `parse` reads the text, `write` writes it.

mod parse;
#[cfg(test)]
mod tests;
mod write;

#[cfg(feature = "ssr")]
pub(crate) use parse::html_text;
pub use write::export;

/// The most text one import reads (GIFT or Moodle XML): a few hundred questions.
pub const IMPORT_MAX_BYTES: usize = 256 * 1024;

use crate::quiz::{Answer, Question, QuestionKind};
use parse::{blocks, parse_block};
use serde::Serialize;

/// One question read from a GIFT file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GiftItem {
    /// The line the question starts on (1-based).
    pub line: usize,
    pub name: String,
    /// `single`, `multiple`, `true_false`, `short_answer`, or the unsupported kind
    /// (`matching`, `numerical`, `essay`, `description`).
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    pub answers: Vec<GiftAnswer>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub explanation: String,
    /// `markdown`, `html`, `plain` or `moodle` (the default).
    #[serde(skip)]
    pub format: String,
    /// The learning objective, from `// [tag:…]` comments before the question.
    #[serde(skip)]
    pub objective: String,
    /// The tags as the file gives them (`// [tag:…]`, Moodle XML's `<tags>`): the question's
    /// tags in its author's bank, and its objective (joined with commas).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Why the item is not imported, for the unsupported kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GiftAnswer {
    pub text: String,
    pub weight: f64,
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GiftError {
    pub line: usize,
    pub error: String,
}

/// Reads a whole GIFT file: the questions found (supported and skipped) and the errors.
pub fn parse(input: &str) -> (Vec<GiftItem>, Vec<GiftError>) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for (line, block, tags) in blocks(input) {
        match parse_block(line, &block) {
            Ok(mut item) => {
                item.objective = tags.join(", ");
                item.tags = tags;
                items.push(item)
            }
            Err(error) => errors.push(error),
        }
    }
    (items, errors)
}

/// Replaces GIFT escapes with the characters they stand for.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(next @ ('~' | '=' | '#' | '{' | '}' | '\\' | ':')) => out.push(next),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes text for writing into a GIFT file.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | '\\' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

impl GiftItem {
    /// The Corridor question for a supported item (None for skipped kinds).
    pub fn to_question(&self) -> Option<Question> {
        let kind = match self.kind.as_str() {
            "single" => QuestionKind::Single,
            "multiple" => QuestionKind::Multiple,
            "true_false" => QuestionKind::TrueFalse,
            "short_answer" => QuestionKind::ShortAnswer,
            _ => return None,
        };
        let text = if self.format == "plain" {
            escape_markdown(&self.text)
        } else {
            self.text.clone()
        };
        Some(Question {
            kind,
            name: self.name.clone(),
            text,
            explanation: self.explanation.clone(),
            objective: self.objective.clone(),
            answers: self
                .answers
                .iter()
                .map(|a| Answer {
                    text: a.text.clone(),
                    weight: a.weight,
                    feedback: a.feedback.clone(),
                })
                .collect(),
            image_id: None,
            regions: Vec::new(),
        })
    }
}

fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_[]<>#|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
