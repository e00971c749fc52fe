//! CME credit: council rules (`rules`), the ledger, certificates, external claims and exports.

pub mod api;
#[cfg(feature = "ssr")]
pub mod certificate;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
pub mod rules;

/// What other features may ask of this one on the server (its `db` stays its own).
#[cfg(feature = "ssr")]
pub use db::{claims, cycle_entries, entries, evaluated, ledger, profiles};

/// Where the external-claim form posts (multipart, a plain handler), and the key its page
/// reads a refusal by.
pub const CLAIM_ACTION: &str = "/cme/claims";

use crate::error::FieldErrors;
use serde::{Deserialize, Serialize};

crate::closed_set! {
    /// The unit a council counts CME in (and a module, claim or ledger line carries).
    #[derive(Default)]
    pub enum CreditType in "credit_type" {
        #[default]
        Points = "points",
        Hours = "hours",
    }
}

impl CreditType {
    pub fn label(self) -> &'static str {
        match self {
            CreditType::Points => "Points",
            CreditType::Hours => "Hours",
        }
    }

    /// What a form's `field` chose, or None with the error every credit-type field shows.
    pub fn from_form(value: &str, field: &str, errors: &mut FieldErrors) -> Option<CreditType> {
        let parsed = CreditType::parse(value);
        if parsed.is_none() {
            errors.add(field, "Choose points or hours.");
        }
        parsed
    }
}

crate::closed_set! {
    /// Where a ledger line's credit came from: a Corridor module, or an approved external claim.
    pub enum CreditSource in "credit_source" {
        Corridor = "corridor",
        External = "external",
    }
}

crate::closed_set! {
    /// Where an external claim stands: waiting for its department, or decided.
    pub enum ClaimStatus in "claim_status" {
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
    }
}

impl ClaimStatus {
    pub fn label(self) -> &'static str {
        match self {
            ClaimStatus::Pending => "Waiting for approval",
            ClaimStatus::Approved => "Approved",
            ClaimStatus::Rejected => "Rejected",
        }
    }
}

crate::closed_set! {
    /// The activity evaluation's question: will this change your practice?
    pub enum PracticeChange in "practice_change" {
        None = "none",
        Considering = "considering",
        WillChange = "will_change",
        AlreadyChanged = "already_changed",
    }
}

impl PracticeChange {
    /// What the form chose, or None with the error the evaluation form shows.
    pub fn from_form(value: &str, errors: &mut FieldErrors) -> Option<PracticeChange> {
        let parsed = PracticeChange::parse(value);
        if parsed.is_none() {
            errors.add(
                "practice_change",
                "Say whether this will change your practice.",
            );
        }
        parsed
    }
}

/// A CME certificate, as the verification page and the PDF show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub id: String,
    pub recipient_name: String,
    pub registration_number: Option<String>,
    /// Whether the department had verified the registration number when this was issued.
    pub registration_verified: bool,
    pub activity: String,
    pub amount: f64,
    pub credit_type: CreditType,
    pub issued_on: chrono::NaiveDate,
    pub issuer: String,
    pub revoked: bool,
    pub revoked_reason: Option<String>,
}

/// One line of a clinician's credit ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub id: i64,
    pub activity: String,
    pub amount: f64,
    pub credit_type: CreditType,
    pub online: bool,
    pub earned_on: chrono::NaiveDate,
    pub source: CreditSource,
    pub certificate_id: Option<String>,
    pub reverses: Option<i64>,
    pub reason: Option<String>,
}

/// An external CME claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub id: i64,
    pub claimant: String,
    pub title: String,
    pub organiser: String,
    pub held_on: chrono::NaiveDate,
    pub accreditation_number: String,
    pub amount: f64,
    pub credit_type: CreditType,
    pub online: bool,
    pub status: ClaimStatus,
    pub decision_reason: Option<String>,
    pub has_file: bool,
}

/// A clinician's CME page: their profile and cycle, progress, ledger and claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CmeOverview {
    pub profiles: Vec<(i64, String)>,
    pub profile_id: Option<i64>,
    pub cycle_start: Option<chrono::NaiveDate>,
    pub progress: Option<crate::cme::rules::Progress>,
    pub ledger: Vec<LedgerEntry>,
    pub claims: Vec<Claim>,
}
