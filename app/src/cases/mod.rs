//! Case sketches and micro-lessons: writing, reading, review, search, the home feed,
//! specialties and mentors to follow.

pub mod api;
pub mod cards;
#[cfg(feature = "ssr")]
pub mod db;
pub mod input;
pub mod pages;

/// What other features may ask of this one on the server (its `db` stays its own).
#[cfg(feature = "ssr")]
pub use db::{
    author_of, back_to_review, get_visible, insert_co_authored, privacy_overrides, readable, texts,
    writer_of,
};
pub use input::{
    parse_related, parse_tags, CaseInput, CaseSections, NewCase, BODY_MAX, LESSON_MAX_MINUTES,
    MAX_RELATED, MAX_TAGS, SECTIONS, SUMMARY_MAX, TITLE_MAX,
};

use crate::accounts::PublicUser;
use crate::media::{CaseImage, Consent};
use crate::privacy::PrivacyFinding;
use crate::util::Choice;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::closed_set! {
    /// Who may read a published case.
    #[derive(Default)]
    pub enum Visibility in "case_visibility" {
        #[default]
        All = "all",
        Institution = "institution",
        Department = "department",
    }
}

impl Visibility {
    pub fn label(self) -> &'static str {
        match self {
            Visibility::Department => "My department",
            Visibility::Institution => "My institution",
            Visibility::All => "All signed-in clinicians",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Draft,
    Published,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub specialty: String,
    pub author_id: i64,
    pub author_name: String,
    pub status: CaseStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub kind: Kind,
    /// Estimated at 200 words a minute when the text is saved.
    pub reading_minutes: i32,
}

impl CaseSummary {
    /// Cases live under /cases, lessons under /lessons.
    pub fn url(&self) -> String {
        self.kind.url(self.id)
    }
}

/// A case sketch or a micro-lesson: both are written, guarded, revised and read alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Kind {
    #[default]
    Case,
    Lesson,
}

impl Kind {
    pub fn url(self, id: i64) -> String {
        match self {
            Kind::Case => format!("/cases/{id}"),
            Kind::Lesson => format!("/lessons/{id}"),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Case => "Case",
            Kind::Lesson => "Micro-lesson",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Case => "case",
            Kind::Lesson => "lesson",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "case" => Some(Kind::Case),
            "lesson" => Some(Kind::Lesson),
            _ => None,
        }
    }
}

/// Minutes to read `text` at 200 words a minute, at least one.
pub fn reading_minutes(text: &str) -> i32 {
    let words = text.split_whitespace().count();
    (words.div_ceil(200)).max(1) as i32
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub summary: CaseSummary,
    pub specialty_slug: String,
    pub body_md: String,
    /// Sanitised HTML, rendered once when the case was saved.
    pub body_html: String,
    pub author_designation: Option<String>,
    /// Who wrote it with the author (a case made from a consult), in the order they joined.
    pub co_authors: Vec<String>,
    pub visibility: Visibility,
    pub sections: CaseSections,
    pub tags: Vec<String>,
    /// The reader is its author or a co-author: they edit, publish and manage it alike.
    pub is_author: bool,
    /// Published versions, newest first; only filled in for the author.
    pub revisions: Vec<CaseRevision>,
    pub images: Vec<CaseImage>,
    pub consent: Option<Consent>,
    pub review: Review,
    /// For a lesson: the cases it points to that the reader may read.
    pub related: Vec<CaseSummary>,
    /// For a lesson: the ids of its related cases as the author entered them.
    pub related_ids: Vec<i64>,
    /// Whether a case module (quiz) is attached.
    pub has_quiz: bool,
    /// The discussion under the case, read with it.
    pub discussion: crate::discussion::Discussion,
}

/// Where a case stands in its department's peer review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// Published, but readers see it only after another mentor approves it.
    pub pending: bool,
    /// The reader is a mentor of the case's department who may approve it.
    pub can_approve: bool,
    pub approved_by: Option<String>,
}

/// One published version of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRevision {
    pub revision: i32,
    pub title: String,
    pub body_html: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePage {
    pub items: Vec<CaseSummary>,
    pub page: i64,
    pub has_next: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorProfile {
    pub mentor: PublicUser,
    pub cases: Vec<CaseSummary>,
    pub followers: i64,
    pub is_following: bool,
    pub is_self: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub following: Vec<PublicUser>,
    pub specialties: Vec<Choice>,
    pub feed: FeedPage,
    pub drafts: Vec<CaseSummary>,
    /// Cases of the reader's department waiting for their peer review.
    pub reviews: Vec<CaseSummary>,
    /// Modules the reader's department assigned to them, due first.
    pub assignments: Vec<crate::department::api::AssignmentRow>,
    pub suggested: Vec<PublicUser>,
    /// Consults waiting for the reader's action, due first.
    pub consults: Vec<crate::consults::people::WaitingConsult>,
}

/// A page of the home feed. `next` is an opaque cursor for the following (older) page: keyset
/// pagination, so new cases published meanwhile neither repeat nor skip items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedPage {
    pub items: Vec<CaseSummary>,
    pub next: Option<String>,
}

/// A feed position: the publication time (microseconds) and id of the last case shown.
pub fn feed_cursor(published_at: DateTime<Utc>, id: i64) -> String {
    format!("{}.{id}", published_at.timestamp_micros())
}

pub fn parse_feed_cursor(cursor: &str) -> Option<(DateTime<Utc>, i64)> {
    let (micros, id) = cursor.split_once('.')?;
    let at = DateTime::<Utc>::from_timestamp_micros(micros.parse().ok()?)?;
    Some((at, id.parse().ok()?))
}

/// A specialty's page: whether the viewer follows it, and its newest cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialtyPage {
    pub slug: String,
    pub name: String,
    pub following: bool,
    pub followers: i64,
}

/// What the editor's preview shows: the rendered body and anything the privacy guard found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub html: String,
    pub findings: Vec<PrivacyFinding>,
}

/// One search result: the case, and a snippet of the matching text in pieces, `true` where
/// the piece matched (rendered as `<mark>`; the text itself is never treated as HTML).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub case: CaseSummary,
    pub snippet: Vec<(String, bool)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub page: i64,
    pub has_next: bool,
    pub specialties: Vec<Choice>,
    pub mentors: Vec<Choice>,
}

/// Splits text marked with \u{1}…\u{2} (as the database's headline function is asked to mark
/// matches) into plain and matched pieces.
pub fn split_marked(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (i, part) in text.split('\u{1}').enumerate() {
        if i == 0 {
            if !part.is_empty() {
                out.push((part.to_owned(), false));
            }
            continue;
        }
        let (hit, rest) = part.split_once('\u{2}').unwrap_or((part, ""));
        if !hit.is_empty() {
            out.push((hit.to_owned(), true));
        }
        if !rest.is_empty() {
            out.push((rest.to_owned(), false));
        }
    }
    out
}

pub const CASES_PER_PAGE: i64 = 10;

#[cfg(test)]
mod model_tests {
    use super::*;

    #[test]
    fn marked_snippets_split_into_pieces() {
        assert_eq!(
            split_marked("a \u{1}fever\u{2} with \u{1}rash\u{2}."),
            vec![
                ("a ".to_owned(), false),
                ("fever".to_owned(), true),
                (" with ".to_owned(), false),
                ("rash".to_owned(), true),
                (".".to_owned(), false),
            ]
        );
        assert_eq!(
            split_marked("<script>"),
            vec![("<script>".to_owned(), false)]
        );
    }

    #[test]
    fn feed_cursors_round_trip() {
        let at = DateTime::<Utc>::from_timestamp_micros(1_764_000_000_123_456).unwrap();
        assert_eq!(parse_feed_cursor(&feed_cursor(at, 42)), Some((at, 42)));
        assert_eq!(parse_feed_cursor("garbage"), None);
        assert_eq!(parse_feed_cursor("12.x"), None);
    }
}
