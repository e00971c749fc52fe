//! The privacy guard: finds patient identifiers common in Indian records in free text, so a case
//! carrying one cannot be published by accident (India's DPDP Act).
//!
//! Plain Rust with no regex engine, so it is cheap to run on every keystroke-preview and small
//! enough for any build. Offsets are byte offsets into the scanned text.

//!
//! The detectors live beside this module: `digits` (Aadhaar, ABHA, phone numbers, PAN) and
//! `words` (e-mail and ABHA addresses, full dates, relatives' names, record numbers); `scan`
//! here runs them all and keeps one finding per stretch of text.

pub mod components;
mod digits;
#[cfg(test)]
mod tests;
mod words;

pub use digits::{verhoeff_check_digit, verhoeff_valid};

// The finding types live in the core, because an error carries them to the author.
pub use crate::error::finding::{FindingKind, PrivacyFinding};
use digits::{digit_identifiers, pans};
use serde::{Deserialize, Serialize};
use words::{dates, emails, record_numbers, relational_names};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Record-number labels every Indian hospital uses; institutions may add their own.
pub const RECORD_LABELS: [&str; 9] = [
    "UHID", "MRN", "MR No", "IPD", "IP No", "OPD No", "OP No", "CR No", "Reg No",
];

/// Scans `text` with the built-in patterns.
pub fn scan(text: &str) -> Vec<Finding> {
    scan_with(text, &[])
}

/// Scans `text`, also treating each of `extra_labels` (e.g. an institution's "PID") as a
/// record-number label.
pub fn scan_with(text: &str, extra_labels: &[String]) -> Vec<Finding> {
    let bytes = text.as_bytes();
    let mut found: Vec<Finding> = Vec::new();
    let mut push = |kind, start: usize, end: usize| {
        found.push(Finding {
            kind,
            start,
            end,
            text: text[start..end].to_owned(),
        })
    };

    for (start, end) in emails(bytes) {
        let kind = if text[start..end].to_ascii_lowercase().ends_with("@abdm") {
            FindingKind::AbhaAddress
        } else {
            FindingKind::Email
        };
        push(kind, start, end);
    }
    for (kind, start, end) in digit_identifiers(bytes) {
        push(kind, start, end);
    }
    for (start, end) in pans(bytes) {
        push(FindingKind::Pan, start, end);
    }
    for (start, end) in dates(text) {
        push(FindingKind::Dob, start, end);
    }
    for (start, end) in relational_names(bytes) {
        push(FindingKind::RelationalName, start, end);
    }
    let labels: Vec<&str> = RECORD_LABELS
        .iter()
        .copied()
        .chain(extra_labels.iter().map(String::as_str))
        .collect();
    for (start, end) in record_numbers(bytes, &labels) {
        push(FindingKind::RecordNumber, start, end);
    }

    // One finding per stretch of text: the earliest, longest wins (a record number's digits
    // are not also reported as a phone number).
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept: Vec<Finding> = Vec::with_capacity(found.len());
    for f in found {
        if kept.last().is_some_and(|last| f.start < last.end) {
            continue;
        }
        kept.push(f);
    }
    kept
}

/// Explains an institution's own record-number labels on the settings page.
pub const RECORD_LABELS_HINT: &str = "Besides UHID, MRN, MR No, IPD, IP No, OPD No, OP No, CR No \
    and Reg No, the privacy guard treats these labels followed by a number as a hospital record \
    number in cases written at this institution.";

impl PrivacyFinding {
    /// Scans the fields of a case; `fields` are (name, text) pairs.
    pub fn scan_fields(fields: &[(&str, &str)]) -> Vec<PrivacyFinding> {
        Self::scan_fields_with(fields, &[])
    }

    /// As [`PrivacyFinding::scan_fields`], also treating an institution's own record-number
    /// labels as identifiers.
    pub fn scan_fields_with(fields: &[(&str, &str)], labels: &[String]) -> Vec<PrivacyFinding> {
        const CONTEXT: usize = 32;
        let mut out = Vec::new();
        for (field, text) in fields {
            for f in crate::privacy::scan_with(text, labels) {
                let before_start = floor_char_boundary(text, f.start.saturating_sub(CONTEXT));
                let after_end = ceil_char_boundary(text, (f.end + CONTEXT).min(text.len()));
                out.push(PrivacyFinding {
                    field: (*field).to_owned(),
                    kind: f.kind,
                    text: f.text,
                    before: text[before_start..f.start].to_owned(),
                    after: text[f.end..after_end].to_owned(),
                });
            }
        }
        out
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
