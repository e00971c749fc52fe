//! Case sketches and micro-lessons: writing, reading, review, search, the home feed,
//! specialties and mentors to follow.

pub mod api;
pub mod cards;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;

/// What other features may ask of this one on the server (its `db` stays its own).
#[cfg(feature = "ssr")]
pub use db::{author_of, back_to_review, get_visible, privacy_overrides, readable, texts};

use crate::accounts::PublicUser;
use crate::error::{AppError, FieldErrors};
use crate::media::{CaseImage, Consent};
use crate::privacy::PrivacyFinding;
use crate::util::{chars, Choice};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who may read a published case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "case_visibility", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Department,
    Institution,
    #[default]
    All,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [
        Visibility::All,
        Visibility::Institution,
        Visibility::Department,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Department => "department",
            Visibility::Institution => "institution",
            Visibility::All => "all",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Visibility::Department => "My department",
            Visibility::Institution => "My institution",
            Visibility::All => "All signed-in clinicians",
        }
    }

    pub fn parse(value: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.as_str() == value)
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
    pub visibility: Visibility,
    pub sections: CaseSections,
    pub tags: Vec<String>,
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

pub const TITLE_MAX: usize = 150;
pub const SUMMARY_MAX: usize = 300;
pub const BODY_MAX: usize = 50_000;
pub const CASES_PER_PAGE: i64 = 10;
/// A case sketch as submitted by its author, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub title: String,
    pub specialty: String,
    pub summary: String,
    /// The composed case: each filled section under its heading, then the notes.
    pub body: String,
    pub visibility: Visibility,
    pub sections: CaseSections,
    pub tags: Vec<String>,
    pub kind: Kind,
    /// For a lesson: cases it points to (at most [`MAX_RELATED`]).
    pub related_case_ids: Vec<i64>,
    pub reading_minutes: i32,
}

pub const MAX_RELATED: usize = 5;
/// A micro-lesson reads in 3–5 minutes; past this many it is a chapter, not a lesson.
pub const LESSON_MAX_MINUTES: i32 = 8;

/// Related cases as typed: ids or case links ("12, /cases/15, https://…/cases/7").
pub fn parse_related(raw: &str) -> Result<Vec<i64>, String> {
    let mut ids = Vec::new();
    for part in raw.split([',', ';', ' ', '\n']) {
        let part = part.trim().trim_end_matches('/');
        if part.is_empty() {
            continue;
        }
        let tail = part.rsplit('/').next().unwrap_or(part);
        match tail.parse::<i64>() {
            Ok(id) if id > 0 => {
                if !ids.contains(&id) {
                    ids.push(id)
                }
            }
            _ => return Err(format!("“{part}” is not a case number or case link.")),
        }
    }
    if ids.len() > MAX_RELATED {
        return Err(format!("Link at most {MAX_RELATED} related cases."));
    }
    Ok(ids)
}

/// The teaching sections of a case, in reading order: (field name, heading).
pub const SECTIONS: [(&str, &str); 7] = [
    ("presentation", "Presentation"),
    ("history", "History"),
    ("examination", "Examination"),
    ("investigations", "Investigations"),
    ("management", "Management"),
    ("outcome", "Outcome"),
    ("teaching_points", "Teaching points"),
];

pub const MAX_TAGS: usize = 8;

/// The Markdown of each section (empty when left out) and free notes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSections {
    pub presentation: String,
    pub history: String,
    pub examination: String,
    pub investigations: String,
    pub management: String,
    pub outcome: String,
    pub teaching_points: String,
    pub notes: String,
}

impl CaseSections {
    pub fn get(&self, key: &str) -> &str {
        match key {
            "presentation" => &self.presentation,
            "history" => &self.history,
            "examination" => &self.examination,
            "investigations" => &self.investigations,
            "management" => &self.management,
            "outcome" => &self.outcome,
            "teaching_points" => &self.teaching_points,
            _ => &self.notes,
        }
    }

    /// Sections under their headings, empty ones left out, then the notes (under "Notes"
    /// when sections precede them).
    pub fn compose(&self) -> String {
        let mut out = String::new();
        for (key, heading) in SECTIONS {
            let text = self.get(key).trim();
            if !text.is_empty() {
                out.push_str(&format!("## {heading}\n\n{text}\n\n"));
            }
        }
        let notes = self.notes.trim();
        if !notes.is_empty() {
            if !out.is_empty() {
                out.push_str("## Notes\n\n");
            }
            out.push_str(notes);
            out.push('\n');
        }
        out.trim_end().to_owned()
    }
}

/// Tags as typed ("Jaundice, pancreas  ca") into lower-case, hyphenated, de-duplicated tags.
pub fn parse_tags(raw: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for part in raw.split([',', ';', '#']) {
        let tag = part
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-")
            .to_lowercase();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > 30 || !tag.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Err(format!(
                "“{tag}” is not a tag: use letters, numbers and hyphens, at most 30."
            ));
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(format!("Use at most {MAX_TAGS} tags."));
    }
    Ok(tags)
}

/// What an author typed into the case editor, before validation.
pub struct CaseInput<'a> {
    pub title: &'a str,
    pub specialty: &'a str,
    pub summary: &'a str,
    /// Free notes (the whole case, for a case written without sections).
    pub body: &'a str,
    pub sections: CaseSections,
    pub tags: &'a str,
    pub visibility: &'a str,
    /// Whether the chosen specialty exists.
    pub specialty_known: bool,
    /// Whether the author belongs to a department (needed to limit who reads the case).
    pub has_department: bool,
    pub kind: Kind,
    /// A lesson's related cases, as typed.
    pub related: &'a str,
}

impl NewCase {
    /// Checks what the author typed; every problem is reported at once, next to its field.
    pub fn parse(input: CaseInput<'_>) -> Result<NewCase, AppError> {
        let CaseInput {
            title,
            specialty,
            summary,
            body: notes,
            sections,
            tags,
            visibility,
            specialty_known,
            has_department,
            kind,
            related,
        } = input;
        // A lesson is one text: the notes. Section fields are for cases only.
        let sections = match kind {
            Kind::Case => CaseSections {
                notes: notes.to_owned(),
                ..sections
            },
            Kind::Lesson => CaseSections {
                notes: notes.to_owned(),
                ..CaseSections::default()
            },
        };
        let composed = sections.compose();
        let body = composed.as_str();
        let (title, summary, specialty) = (title.trim(), summary.trim(), specialty.trim());
        let mut errors = FieldErrors::new();
        let visibility = match Visibility::parse(visibility.trim()) {
            Some(Visibility::All) => Visibility::All,
            Some(limited) if has_department => limited,
            Some(_) => {
                errors.add(
                    "visibility",
                    "Your profile has no department, so the case can only be shared with all signed-in clinicians.",
                );
                Visibility::All
            }
            None if visibility.trim().is_empty() => Visibility::All,
            None => {
                errors.add("visibility", "Choose who may read this case.");
                Visibility::All
            }
        };
        if title.is_empty() {
            errors.add("title", "Give the case a title.");
        } else if chars(title) > TITLE_MAX {
            errors.add(
                "title",
                format!(
                    "Keep the title to {TITLE_MAX} characters (it has {}).",
                    chars(title)
                ),
            );
        }
        if specialty.is_empty() || !specialty_known {
            errors.add("specialty", "Choose the specialty this case belongs to.");
        }
        if summary.is_empty() {
            errors.add(
                "summary",
                "Write a one- or two-line summary for the case list.",
            );
        } else if chars(summary) > SUMMARY_MAX {
            errors.add(
                "summary",
                format!(
                    "Keep the summary to {SUMMARY_MAX} characters (it has {}).",
                    chars(summary)
                ),
            );
        }
        let parsed_tags = match parse_tags(tags) {
            Ok(tags) => tags,
            Err(message) => {
                errors.add("tags", message);
                Vec::new()
            }
        };
        let minutes = reading_minutes(body);
        let related_case_ids = match (kind, parse_related(related)) {
            (Kind::Case, _) => Vec::new(),
            (Kind::Lesson, Ok(ids)) => ids,
            (Kind::Lesson, Err(message)) => {
                errors.add("related", message);
                Vec::new()
            }
        };
        if body.trim().is_empty() {
            errors.add(
                "body",
                match kind {
                    Kind::Case => "Write at least one section, or notes.",
                    Kind::Lesson => "Write the lesson.",
                },
            );
        } else if kind == Kind::Lesson && minutes > LESSON_MAX_MINUTES {
            errors.add(
                "body",
                format!(
                    "A micro-lesson reads in 3–5 minutes; this one takes about {minutes}. \
                     Shorten it, split it in two, or write it as a case."
                ),
            );
        } else if chars(body) > BODY_MAX {
            errors.add(
                "body",
                format!("The body is too long: at most {BODY_MAX} characters."),
            );
        }
        if !errors.is_empty() {
            let mut values = vec![
                ("title", title),
                ("specialty", specialty),
                ("summary", summary),
                ("body", notes),
                ("tags", tags),
                ("visibility", visibility.as_str()),
                ("related", related),
            ];
            values.extend(SECTIONS.iter().map(|(key, _)| (*key, sections.get(key))));
            return Err(AppError::Invalid(errors.with_values(&values)));
        }
        Ok(NewCase {
            title: title.to_owned(),
            specialty: specialty.to_owned(),
            summary: summary.to_owned(),
            body: composed.clone(),
            visibility,
            sections,
            tags: parsed_tags,
            kind,
            related_case_ids,
            reading_minutes: minutes,
        })
    }
}

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

    fn case<'a>(title: &'a str, body: &'a str, visibility: &'a str) -> CaseInput<'a> {
        CaseInput {
            title,
            specialty: "general-surgery",
            summary: "s",
            body,
            sections: CaseSections::default(),
            tags: "",
            visibility,
            specialty_known: true,
            has_department: true,
            kind: Kind::Case,
            related: "",
        }
    }

    #[test]
    fn case_title_rules() {
        let err = NewCase::parse(case("", "b", "all")).unwrap_err();
        assert!(err.field_errors().unwrap().get("title").is_some());
        let long = "t".repeat(TITLE_MAX + 1);
        let err = NewCase::parse(case(&long, "b", "all")).unwrap_err();
        let message = err.field_errors().unwrap().get("title").unwrap().to_owned();
        assert!(message.contains("151"), "{message}");
        assert!(NewCase::parse(case("Acute abdomen", "b", "all")).is_ok());
    }

    #[test]
    fn case_needs_known_specialty_and_keeps_the_body() {
        let err = NewCase::parse(CaseInput {
            specialty_known: false,
            ..case("T", "my long body", "all")
        })
        .unwrap_err();
        let fields = err.field_errors().unwrap();
        assert!(fields.get("specialty").is_some());
        assert_eq!(fields.value("body"), Some("my long body"));
    }

    #[test]
    fn sections_compose_in_order_and_skip_empty_ones() {
        let sections = CaseSections {
            examination: "Pallor.".into(),
            presentation: "Fever for 3 days.".into(),
            notes: "Ask about travel.".into(),
            ..CaseSections::default()
        };
        assert_eq!(
            sections.compose(),
            "## Presentation\n\nFever for 3 days.\n\n## Examination\n\nPallor.\n\n## Notes\n\nAsk about travel."
        );
        assert_eq!(
            CaseSections {
                notes: " Only notes ".into(),
                ..CaseSections::default()
            }
            .compose(),
            "Only notes"
        );
        let parsed = NewCase::parse(CaseInput {
            sections: CaseSections {
                outcome: "Recovered.".into(),
                ..CaseSections::default()
            },
            ..case("T", "", "all")
        })
        .unwrap();
        assert_eq!(parsed.body, "## Outcome\n\nRecovered.");
        let err = NewCase::parse(case("T", "  ", "all")).unwrap_err();
        assert!(err.field_errors().unwrap().get("body").is_some());
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(
            parse_tags("Jaundice, pancreas  ca; #ERCP, jaundice").unwrap(),
            ["jaundice", "pancreas-ca", "ercp"]
        );
        assert!(parse_tags("a,b,c,d,e,f,g,h,i").is_err());
        assert!(parse_tags("bad/tag").is_err());
        assert_eq!(parse_tags("  ").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn visibility_choices() {
        assert_eq!(
            NewCase::parse(case("T", "b", "")).unwrap().visibility,
            Visibility::All
        );
        assert_eq!(
            NewCase::parse(case("T", "b", "department"))
                .unwrap()
                .visibility,
            Visibility::Department
        );
        let err = NewCase::parse(case("T", "b", "everyone")).unwrap_err();
        assert!(err.field_errors().unwrap().get("visibility").is_some());
        let err = NewCase::parse(CaseInput {
            has_department: false,
            kind: Kind::Case,
            related: "",
            ..case("T", "b", "institution")
        })
        .unwrap_err();
        let message = err
            .field_errors()
            .unwrap()
            .get("visibility")
            .unwrap()
            .to_owned();
        assert!(message.contains("no department"), "{message}");
    }
}
