//! What the privacy guard reports, as the core knows it: a `PrivacyBlocked` error carries these
//! to the author, so they live here and the error imports no feature. The scanner that finds
//! them is `crate::privacy`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Aadhaar,
    Abha,
    AbhaAddress,
    Pan,
    Phone,
    Email,
    Dob,
    RelationalName,
    RecordNumber,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Aadhaar => "aadhaar",
            FindingKind::Abha => "abha",
            FindingKind::AbhaAddress => "abha_address",
            FindingKind::Pan => "pan",
            FindingKind::Phone => "phone",
            FindingKind::Email => "email",
            FindingKind::Dob => "dob",
            FindingKind::RelationalName => "relational_name",
            FindingKind::RecordNumber => "record_number",
        }
    }

    /// What a clinician is told the finding is.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::Aadhaar => "Aadhaar number",
            FindingKind::Abha => "ABHA number",
            FindingKind::AbhaAddress => "ABHA address",
            FindingKind::Pan => "PAN",
            FindingKind::Phone => "Phone number",
            FindingKind::Email => "E-mail address",
            FindingKind::Dob => "Full date (possible date of birth)",
            FindingKind::RelationalName => "Relative's name (S/o, D/o, W/o, C/o)",
            FindingKind::RecordNumber => "Hospital record number",
        }
    }
}

/// A possible patient identifier in one field of a case, with some text around it so the author
/// can find it on a phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyFinding {
    pub field: String,
    pub kind: FindingKind,
    pub text: String,
    pub before: String,
    pub after: String,
}
