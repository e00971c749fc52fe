//! The case editor's form: what an author typed (`CaseInput`), checked into a `NewCase` with
//! every problem reported beside its field; sections, tags and related cases as typed.

use crate::cases::{reading_minutes, Kind, Visibility};
use crate::error::{AppError, FieldErrors};
use crate::util::chars;
use serde::{Deserialize, Serialize};

pub const TITLE_MAX: usize = 150;
pub const SUMMARY_MAX: usize = 300;
pub const BODY_MAX: usize = 50_000;
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
mod tests;
