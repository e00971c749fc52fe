//! The privacy guard: finds patient identifiers common in Indian records in free text, so a case
//! carrying one cannot be published by accident (India's DPDP Act).
//!
//! Plain Rust with no regex engine, so it is cheap to run on every keystroke-preview and small
//! enough for any build. Offsets are byte offsets into the scanned text, always on character
//! boundaries; every detector is linear in the text (property tests hold it to that).
//!
//! The detectors live beside this module: `digits` (Aadhaar with its Verhoeff check digit, ABHA
//! numbers written 2-4-4-4, Indian phone numbers, PAN), `words` (e-mail addresses and ABHA
//! addresses `name@abdm` / `name@sbx`, full dates, relatives' names after S/o, D/o, W/o, C/o) and
//! `records` (a label followed by a number); `scan` here runs them all and keeps one finding per
//! stretch of text.
//!
//! The record-number labels are those Indian hospitals print on case sheets, OPD slips, discharge
//! summaries and lab reports (`records::LABELS` has them all):
//!
//! - registration: UHID, UHN, Reg. No., Regn. No., Registration No., CR No. / CRN / Central
//!   Registration No., Hospital No. / Hosp. No., Patient ID / Pt. ID / PID, Visit ID;
//! - outpatient: OPD No., OP No., O.P. No., OPD Reg. No., OPD Card No., Case Paper No.;
//! - inpatient: IPD (No.), IP No., I.P. No., Inpatient No., Admission No. / Adm. No., BHT No.
//!   (bed-head ticket), Indoor (Reg.) No., Discharge No.;
//! - medical records: MRN, MR No., MRD No., Medical Record(s) No., Case Sheet No., File No.;
//! - laboratory and pathology: Lab No. / Lab ID / Lab Ref. No., Sample No. / ID, Specimen No. /
//!   ID, Accession No., Barcode No., SIN, SRF ID and ICMR ID (COVID-19 samples), HPE, Biopsy,
//!   Histo, Cytology and FNAC No.;
//! - radiology: X-Ray No., CT (Scan) No., MRI No., USG No., Radiology No., Film No., Study ID;
//! - billing and insurance: Bill, Receipt, Invoice, Claim and Policy No., PM-JAY ID, Ayushman /
//!   Golden Card No., ESIC / ESI No. (and the ESIC IP No.), Insurance No., CGHS (Card) No.,
//!   Ration Card No., Voter ID / EPIC No., Passport No.;
//! - medico-legal: MLC (No.), MLR No., Medico-Legal Case No., FIR No., GD (Entry) No., Police
//!   Case No., PM / Post-mortem / Autopsy No.;
//! - national identities, reported as such: Aadhaar / Aadhar / UID (any number after the label,
//!   checksum or not; unlabelled, 12 digits with a valid Verhoeff check digit), ABHA / ABHA ID /
//!   Health ID (any number after the label; unlabelled, 14 digits written 2-4-4-4);
//! - in Hindi: पंजीकरण / पंजीयन संख्या, क्रमांक or नं, रजिस्ट्रेशन नं, ओपीडी and आईपीडी नं / संख्या /
//!   क्रमांक, भर्ती संख्या / क्रमांक, यूएचआईडी, आधार (Devanagari digits count as digits).
//!
//! Each is matched case-insensitively, with or without dots (`I.P.No:`), with the words joined
//! or apart (`IPNo`, `IP-No`, `X-ray`, `Xray`), with `No`, `No.`, `Number`, `Nr` or `#`, and
//! `:`, `-`, `=` or spaces before the number. Bed, ward and unit numbers are not identifiers and
//! are not flagged; nor are doses, lab values, ages, years, scores or blood pressures, because a
//! number alone is never a record number. An institution adds its own labels in settings.

pub mod components;
mod digits;
#[cfg(test)]
mod label_tests;
#[cfg(test)]
mod property_tests;
mod records;
#[cfg(test)]
mod tests;
mod words;

pub use digits::{verhoeff_check_digit, verhoeff_valid};

// The finding types live in the core, because an error carries them to the author.
pub use crate::error::finding::{FindingKind, PrivacyFinding};
use digits::{digit_identifiers, pans};
use records::record_numbers;
use serde::{Deserialize, Serialize};
use words::{dates, emails, is_abha_domain, relational_names};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

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
        let domain = text[start..end].rsplit('@').next().unwrap_or_default();
        let kind = if is_abha_domain(domain.as_bytes()) {
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
    let extra: Vec<&str> = extra_labels.iter().map(String::as_str).collect();
    for (kind, start, end) in record_numbers(bytes, &extra) {
        push(kind, start, end);
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
pub const RECORD_LABELS_HINT: &str = "Besides the labels Indian hospitals commonly print (UHID, \
    CR No., Reg. No., OPD, IPD and IP No., MRD and MR No., Admission No., BHT No., Lab No., Sample \
    ID, X-Ray and CT No., Bill No., MLC and FIR No., ABHA, Aadhaar and many more), the privacy \
    guard treats these labels followed by a number as a hospital record number in cases written \
    at this institution.";

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
