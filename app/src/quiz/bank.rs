//! A mentor's question bank: every question they write or import, with its learning objective
//! and tags, searchable, placed into one or more of their modules. Only its author sees or
//! changes a bank; learners see questions only through the modules they serve.

use crate::quiz::{Question, QuestionKind};
use serde::{Deserialize, Serialize};

/// Questions per bank page.
pub const BANK_PAGE: i64 = 20;
/// At most this many tags per question, each at most [`TAG_MAX_CHARS`] characters.
pub const MAX_TAGS: usize = 12;
pub const TAG_MAX_CHARS: usize = 40;

/// What the bank is searched by; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BankFilter {
    /// Words in the question's name or text.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub tag: String,
    /// Words in the learning objective.
    #[serde(default)]
    pub objective: String,
    #[serde(default)]
    pub kind: Option<QuestionKind>,
}

impl BankFilter {
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
            && self.tag.trim().is_empty()
            && self.objective.trim().is_empty()
            && self.kind.is_none()
    }
}

/// Where a question serves, and how learners answered it there (submitted attempts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankUse {
    pub case_id: i64,
    pub title: String,
    /// Offered to new attempts (false: retired from the module).
    pub offered: bool,
    pub answers: i64,
    pub full_credit: i64,
}

/// A question of the bank with its item analysis across the modules it served.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankQuestion {
    pub id: i64,
    pub question: Question,
    pub tags: Vec<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// In learners' attempts (then it is edited into a new version, never deleted).
    pub in_attempts: bool,
    pub uses: Vec<BankUse>,
}

impl BankQuestion {
    /// Answers across every module: (answers, fully correct).
    pub fn totals(&self) -> (i64, i64) {
        self.uses
            .iter()
            .fold((0, 0), |(a, f), u| (a + u.answers, f + u.full_credit))
    }
}

/// One page of a bank, with what its forms offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BankPage {
    pub questions: Vec<BankQuestion>,
    /// The `before` of the next page, when there is one.
    pub next: Option<i64>,
    /// The author's tags, for the filter.
    pub tags: Vec<String>,
    /// The author's cases, whose modules a question can be added to: (case id, title).
    pub modules: Vec<(i64, String)>,
    /// The module being built, when the bank was opened from its editor: (case id, title).
    pub target: Option<(i64, String)>,
    /// The questions the target module offers now.
    pub in_target: Vec<i64>,
}

/// Tags as stored: trimmed, inner spaces collapsed, empty ones and repeats (ignoring case)
/// dropped, at most [`MAX_TAGS`], each cut to [`TAG_MAX_CHARS`] characters. For imports, which
/// take what a file gives.
pub fn clean_tags<S: AsRef<str>>(tags: &[S]) -> Vec<String> {
    let mut out = distinct_tags(tags);
    out.truncate(MAX_TAGS);
    out
}

fn distinct_tags<S: AsRef<str>>(tags: &[S]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags {
        let tag: String = tag
            .as_ref()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(TAG_MAX_CHARS)
            .collect();
        if !tag.is_empty() && !out.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            out.push(tag);
        }
    }
    out
}

/// Tags typed by the author, separated by commas; a sentence for the field when there are too
/// many or one is too long.
pub fn parse_tags(typed: &str) -> Result<Vec<String>, String> {
    let parts: Vec<&str> = typed.split(',').collect();
    if let Some(long) = parts
        .iter()
        .find(|t| t.trim().chars().count() > TAG_MAX_CHARS)
    {
        return Err(format!(
            "A tag is at most {TAG_MAX_CHARS} characters (“{}…” is longer).",
            long.trim().chars().take(20).collect::<String>()
        ));
    }
    let tags = distinct_tags(&parts);
    if tags.len() > MAX_TAGS {
        return Err(format!("Give at most {MAX_TAGS} tags."));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_trimmed_collapsed_and_kept_once() {
        assert_eq!(
            parse_tags(" ECG ,  heart   block, ecg,, ").unwrap(),
            ["ECG", "heart block"]
        );
        assert_eq!(parse_tags("").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn too_many_or_too_long_tags_are_refused() {
        let many = (0..=MAX_TAGS).map(|i| format!("t{i}")).collect::<Vec<_>>();
        assert!(parse_tags(&many.join(","))
            .unwrap_err()
            .contains("at most 12 tags"));
        assert!(parse_tags(&"x".repeat(TAG_MAX_CHARS + 1))
            .unwrap_err()
            .contains("at most 40 characters"));
        // Repeats do not count against the limit.
        let repeated = vec!["same"; MAX_TAGS + 5].join(",");
        assert_eq!(parse_tags(&repeated).unwrap(), ["same"]);
    }

    #[test]
    fn imported_tags_are_cut_not_refused() {
        let long = "y".repeat(100);
        assert_eq!(
            clean_tags(&[long.as_str()])[0].chars().count(),
            TAG_MAX_CHARS
        );
        let many: Vec<String> = (0..30).map(|i| i.to_string()).collect();
        assert_eq!(clean_tags(&many).len(), MAX_TAGS);
    }
}
