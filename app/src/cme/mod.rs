//! CME credit: council rules (`rules`), the ledger, certificates, external claims and exports.

pub mod api;
#[cfg(feature = "ssr")]
pub mod badge;
#[cfg(feature = "ssr")]
pub mod certificate;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod pdf;
pub mod rules;

/// What other features may ask of this one on the server (its `db` stays its own).
#[cfg(feature = "ssr")]
pub use db::{claims, claims_queue, cycle_entries, entries, evaluated, profiles};

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

/// What a whole ledger (under a filter) adds up to, whichever page of it is shown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerTotals {
    pub lines: i64,
    pub points: f64,
    pub hours: f64,
    /// The years the ledger has lines in, newest first.
    pub years: Vec<i32>,
}

/// How many ledger lines a page of the CME page shows.
pub const LEDGER_PER_PAGE: i64 = 50;

/// A clinician's CME page: their profile and cycle, progress, a page of their ledger and
/// their claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CmeOverview {
    pub profiles: Vec<(i64, String)>,
    pub profile_id: Option<i64>,
    pub cycle_start: Option<chrono::NaiveDate>,
    /// Computed over every line of the cycle, not the page shown.
    pub progress: Option<crate::cme::rules::Progress>,
    /// One page of the ledger under the filter, newest first.
    pub ledger: Vec<LedgerEntry>,
    /// Where the next (older) page starts (`before` of `get_cme`), when there is one.
    pub ledger_next: Option<String>,
    /// The whole ledger under the filter.
    pub ledger_totals: LedgerTotals,
    pub claims: Vec<Claim>,
}
