//! The audit log: who did what, readable by site admins (everything) and department admins
//! (their department). Recording an entry is `ssr::audit`, used by every feature.

pub mod api;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub action: String,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub subject_user_id: Option<i64>,
    pub subject_name: Option<String>,
    pub department_id: Option<i64>,
    pub target: Option<String>,
    pub detail: Option<String>,
    pub ip: Option<String>,
    pub request_id: Option<String>,
}
