//! Departments: who belongs (requests, invitations, verification, deactivation), the
//! department dashboard and module assignments.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;

/// The home page reads the reader's assignments in its own statement.
#[cfg(feature = "ssr")]
pub use api::AssignmentRecord;
/// What other features may ask of this one on the server (its `db` stays its own).
#[cfg(feature = "ssr")]
pub use db::{
    add_event, create_token, department_name, join_by_invitation, limit, peek_token,
    reset_password, standing, take_token, verify_email, EventKind, Purpose, Verified,
};

use crate::accounts::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::closed_set! {
    /// How people join an institution's departments.
    pub enum JoinPolicy in "join_policy" {
        /// An address at one of the institution's domains joins after verifying it; others wait
        /// for approval.
        Domain = "domain",
        /// Every request waits for the department admin.
        Approval = "approval",
    }
}

impl JoinPolicy {
    pub fn label(self) -> &'static str {
        match self {
            JoinPolicy::Domain => {
                "Addresses at these domains join after verifying; others need approval"
            }
            JoinPolicy::Approval => "Every request needs the department admin's approval",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionDomains {
    pub id: i64,
    pub name: String,
    pub join_policy: JoinPolicy,
    pub domains: Vec<String>,
}

/// A request to join a department, as its admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipRequest {
    pub user_id: i64,
    pub full_name: String,
    pub email: String,
    pub designation: Option<String>,
    pub medical_council: Option<String>,
    pub registration_number: Option<String>,
    pub department_id: i64,
    pub department: String,
    pub requested_at: Option<DateTime<Utc>>,
}

/// A member of a department, as its admin sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub designation: Option<String>,
    pub medical_council: Option<String>,
    pub registration_number: Option<String>,
    pub registration_verified_at: Option<DateTime<Utc>>,
    pub deactivated_at: Option<DateTime<Utc>>,
}

/// A normalised e-mail domain (`sahyadri.edu.in`), or `None` when it is not one.
pub fn parse_domain(raw: &str) -> Option<String> {
    let domain = raw.trim().trim_start_matches('@').to_ascii_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    let valid = domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    valid.then_some(domain)
}

#[cfg(test)]
mod model_tests {
    use super::*;

    #[test]
    fn domains_are_normalised_or_refused() {
        assert_eq!(
            parse_domain(" @Sahyadri.EDU.in "),
            Some("sahyadri.edu.in".into())
        );
        assert_eq!(parse_domain("hospital"), None);
        assert_eq!(parse_domain("-bad.in"), None);
        assert_eq!(parse_domain("a..in"), None);
        assert_eq!(parse_domain("evil.in/x"), None);
    }
}
