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

/// Where the external-claim form posts (multipart, a plain handler), and the key its page
/// reads a refusal by.
pub const CLAIM_ACTION: &str = "/cme/claims";

use serde::{Deserialize, Serialize};

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
    pub credit_type: String,
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
    pub credit_type: String,
    pub online: bool,
    pub earned_on: chrono::NaiveDate,
    pub source: String,
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
    pub credit_type: String,
    pub online: bool,
    pub status: String,
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
