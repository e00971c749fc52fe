//! From consult to teaching case (issue 11). After a consult is closed, either doctor proposes
//! writing it up; when the other agrees, a case draft is made with both as authors, carrying the
//! consult's de-identified request and the structured answer. The draft is a draft like any
//! other: the privacy guard shows its findings in the editor and blocks its publication until
//! they are dealt with, and publishing also needs the patient's consent to teaching use, which
//! the consult's consent (to a colleague's opinion) is not.
//!
//! Here: the proposal as the consult page shows it, and the pure assembly of the draft's text
//! ([`teaching_case`]); `db` (server only) keeps the proposal and makes the draft.

#[cfg(feature = "ssr")]
pub mod db;

use crate::cases::{reading_minutes, CaseSections, Kind, NewCase, Visibility};
use crate::cases::{SUMMARY_MAX, TITLE_MAX};
use crate::consults::{AgeBand, Answer, ConsultText, Referral, Sex};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a closed consult stands on becoming a teaching case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeachingProposal {
    pub proposed_by: i64,
    pub proposed_by_name: String,
    pub proposed_at: DateTime<Utc>,
    pub agreed_at: Option<DateTime<Utc>>,
    pub declined_at: Option<DateTime<Utc>>,
    /// The draft made on agreement (gone if its authors deleted it).
    pub case_id: Option<i64>,
}

impl TeachingProposal {
    /// Proposed, and neither agreed nor declined yet.
    pub fn pending(&self) -> bool {
        self.agreed_at.is_none() && self.declined_at.is_none()
    }
}

fn age_label(band: AgeBand) -> String {
    match band {
        AgeBand::Under1 => "under 1 year".to_owned(),
        AgeBand::Over80 => "80 years or over".to_owned(),
        other => format!("{} years", other.as_str().replace("_to_", "–")),
    }
}

fn sex_label(sex: Sex) -> Option<&'static str> {
    match sex {
        Sex::Female => Some("female"),
        Sex::Male => Some("male"),
        Sex::Other => Some("sex other"),
        Sex::NotStated => None,
    }
}

fn referral_label(referral: Referral) -> &'static str {
    match referral {
        Referral::No => "No referral advised.",
        Referral::Routine => "Routine referral advised.",
        Referral::Urgent => "Urgent referral advised.",
    }
}

/// "Aged 40–64 years, male": the patient as the consult described them (bands only, never an
/// exact age); empty when neither was given.
fn patient_line(text: &ConsultText) -> String {
    let parts: Vec<String> = [
        text.age_band.map(|b| format!("aged {}", age_label(b))),
        text.sex.and_then(sex_label).map(str::to_owned),
    ]
    .into_iter()
    .flatten()
    .collect();
    let line = parts.join(", ");
    let mut chars = line.chars();
    match chars.next() {
        Some(first) => format!("{}{}", first.to_uppercase(), chars.as_str()),
        None => line,
    }
}

/// `**label:** text` paragraphs for the parts that were filled in, blank lines between.
fn labelled(parts: &[(&str, &str)]) -> String {
    parts
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(label, text)| {
            if label.is_empty() {
                text.trim().to_owned()
            } else {
                format!("**{label}:** {}", text.trim())
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// At most `max` characters, cut at a word where one is near, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > cut.len() / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// The draft a consult becomes: the question as its title, the patient and the situation as its
/// summary, the request's SBAR parts in the case's sections and the specialist's structured
/// answer under Management, with references and anything else in the notes. Outcome and
/// teaching points are left for the authors to write. Visible to everyone signed in once
/// published (the authors choose before publishing).
pub fn teaching_case(text: &ConsultText, answer: &Answer) -> NewCase {
    let title = if text.question.trim().is_empty() {
        "A teaching case from a consult".to_owned()
    } else {
        clip(&text.question, TITLE_MAX)
    };
    let patient = patient_line(text);
    let summary = match (patient.is_empty(), text.situation.trim().is_empty()) {
        (false, false) => format!("{patient}. {}", text.situation.trim()),
        (false, true) => format!("{patient}."),
        (true, false) => text.situation.trim().to_owned(),
        (true, true) => "A case discussed between colleagues in a consult.".to_owned(),
    };
    let sections = CaseSections {
        presentation: labelled(&[("Patient", &patient), ("", &text.situation)]),
        history: labelled(&[
            ("", &text.background),
            ("Medicines", &text.medicines),
            ("Already tried", &text.tried),
        ]),
        examination: text.findings.trim().to_owned(),
        investigations: text.investigations.trim().to_owned(),
        management: labelled(&[
            ("Assessment by the asking doctor", &text.assessment),
            ("Question to the specialist", &text.question),
            ("What was asked", &text.ask),
            ("Specialist's impression", &answer.impression),
            ("Recommendations", &answer.recommendations),
            ("Red flags", &answer.red_flags),
            ("Referral", referral_label(answer.referral)),
            ("Further investigations suggested", &answer.investigations),
        ]),
        outcome: String::new(),
        teaching_points: String::new(),
        notes: labelled(&[
            ("From the specialist", &answer.free_text),
            ("References", &answer.citations),
        ]),
    };
    let body = sections.compose();
    NewCase {
        title,
        specialty: text.specialty.trim().to_owned(),
        summary: clip(&summary, SUMMARY_MAX),
        reading_minutes: reading_minutes(&body),
        body,
        visibility: Visibility::All,
        sections,
        tags: Vec::new(),
        kind: Kind::Case,
        related_case_ids: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
