//! Reading the audit log: site admins read all of it, department admins their department's.

use crate::audit::AuditEntry;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::auth::AuthUser;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const AUDIT_PER_PAGE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Cursor for older entries, when there are more.
    pub next: Option<String>,
    /// Which department's log this is (`None`: the whole site).
    pub department: Option<String>,
}

/// The position of an entry, as the "Older entries" link carries it (time in microseconds).
pub fn audit_cursor(entry: &AuditEntry) -> String {
    crate::util::cursor(entry.at.timestamp_micros(), entry.id)
}

/// Reads an audit cursor back; one that does not read is a 400.
pub fn parse_audit_cursor(
    raw: Option<&str>,
) -> Result<Option<(chrono::DateTime<chrono::Utc>, i64)>, AppError> {
    match crate::util::parse_cursor::<i64>(raw)? {
        None => Ok(None),
        Some((micros, id)) => chrono::DateTime::from_timestamp_micros(micros)
            .map(|at| Some((at, id)))
            .ok_or(AppError::BadCursor),
    }
}

/// The department whose log `user` may read: `None` for a site admin (everything).
#[cfg(feature = "ssr")]
pub fn audit_scope(user: &crate::accounts::SessionUser) -> Result<Option<i64>, AppError> {
    use crate::accounts::Role;
    match user.role {
        Role::SiteAdmin => Ok(None),
        Role::DepartmentAdmin => user.department_id.map(Some).ok_or(AppError::Forbidden),
        _ => Err(AppError::Forbidden),
    }
}

#[server(endpoint = "audit")]
#[tracing::instrument(skip_all)]
pub async fn get_audit(
    action: Option<String>,
    before: Option<String>,
) -> Result<AuditPage, AppError> {
    use crate::ssr::{audit, pool};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let scope = audit_scope(&user)?;
    let action = action.as_deref().map(str::trim).filter(|a| {
        !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
    });
    let before = parse_audit_cursor(before.as_deref())?;
    let mut entries = audit::page(&pool, scope, action, before, AUDIT_PER_PAGE + 1).await?;
    let next = if entries.len() as i64 > AUDIT_PER_PAGE {
        entries.truncate(AUDIT_PER_PAGE as usize);
        entries.last().map(audit_cursor)
    } else {
        None
    };
    let department = match scope {
        Some(d) => Some(crate::department::department_name(&pool, d).await?),
        None => None,
    };
    Ok(AuditPage {
        entries,
        next,
        department,
    })
}
