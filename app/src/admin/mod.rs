//! Site administration: users and roles, institutions, departments, specialties.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;

/// What other features may ask of this one on the server (its `db` stays its own).
#[cfg(feature = "ssr")]
pub use db::{labels_for_case, labels_for_user};

use crate::accounts::Role;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionSettings {
    pub id: i64,
    pub name: String,
    /// Record-number labels of this institution, besides the common ones.
    pub labels: Vec<String>,
    pub departments: Vec<DepartmentSettings>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentSettings {
    pub id: i64,
    pub name: String,
    pub peer_review: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUser {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub department: Option<String>,
}
