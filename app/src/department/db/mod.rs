//! Membership: e-mail verification, joining a department (by domain, approval or invitation),
//! leaving, removal, deactivation, the registration-number check, and the single-use tokens
//! sent by mail.
//!
//! `users.department_id` is the verified membership; `users.requested_department_id` holds a
//! request until it is decided. Every decision is kept in `membership_events`.

use crate::department::{InstitutionDomains, JoinPolicy, Member, MembershipRequest};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

mod accounts;
mod domains;
mod joining;
mod tokens;

pub use accounts::*;
pub use domains::*;
pub use joining::*;
pub use tokens::*;
