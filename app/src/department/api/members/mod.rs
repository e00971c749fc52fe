//! Membership: department admins approve or decline requests, invite colleagues, remove members,
//! deactivate accounts and check registration numbers; members leave or ask to join; site admins
//! set each institution's e-mail domains and join policy. Every decision is audited.

use crate::department::{InstitutionDomains, Member, MembershipRequest};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::auth::AuthUser;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Members shown per page on the members page.
pub const MEMBERS_PER_PAGE: i64 = 50;

/// What a department admin (or a site admin, for a chosen department) sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersPage {
    pub department_id: i64,
    pub department: String,
    pub requests: Vec<MembershipRequest>,
    pub members: Vec<Member>,
    /// Cursor for the next page of members, when there is one.
    pub next: Option<String>,
    /// Departments a site admin can switch between: (id, name).
    pub departments: Vec<(i64, String)>,
}

#[cfg(feature = "ssr")]
pub(super) fn member_cursor(m: &Member) -> String {
    format!("{}\u{1f}{}", m.id, m.full_name)
}

#[cfg(feature = "ssr")]
pub(super) fn parse_member_cursor(raw: &str) -> Option<(String, i64)> {
    let (id, name) = raw.split_once('\u{1f}')?;
    Some((name.to_owned(), id.parse().ok()?))
}

mod domains;
mod joining;
mod standing;

pub use domains::*;
pub use joining::*;
pub use standing::*;
