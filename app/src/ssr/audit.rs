//! The audit log: who did what, when, from which address, under which request id.
//!
//! Entries are written next to the change they describe (in the same transaction where there is
//! one) and are never changed; housekeeping removes entries older than the retention period.

use crate::audit::AuditEntry;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// What happened. Actions are dotted lower-case names, e.g. `membership.approved`.
#[derive(Debug, Clone, Default)]
pub struct Event<'a> {
    pub actor: Option<i64>,
    pub action: &'a str,
    pub subject_user: Option<i64>,
    /// The department whose admins may read the entry.
    pub department: Option<i64>,
    pub target: Option<String>,
    pub detail: Option<String>,
}

impl<'a> Event<'a> {
    pub fn new(action: &'a str) -> Self {
        Self {
            action,
            ..Self::default()
        }
    }
    pub fn actor(mut self, id: i64) -> Self {
        self.actor = Some(id);
        self
    }
    pub fn subject(mut self, id: i64) -> Self {
        self.subject_user = Some(id);
        self
    }
    pub fn department(mut self, id: Option<i64>) -> Self {
        self.department = id;
        self
    }
    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        let mut detail: String = detail.into();
        if detail.len() > 2000 {
            let mut end = 2000;
            while !detail.is_char_boundary(end) {
                end -= 1;
            }
            detail.truncate(end);
        }
        self.detail = Some(detail);
        self
    }
}

/// The department a case belongs to, so its admins can read entries about it.
pub async fn case_department(pool: &PgPool, case_id: i64) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar!("select department_id from cases where id = $1", case_id)
            .fetch_optional(pool)
            .await?
            .flatten(),
    )
}

/// Where the request came from, as far as the current request context tells.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

impl Origin {
    /// The address and request id of the request being served (inside a server function or a
    /// page render); empty outside one.
    pub fn current() -> Self {
        let ip = super::state()
            .ok()
            .map(|state| super::auth::client_ip(&state.login_limits))
            .filter(|ip| ip != "unknown");
        Self {
            ip,
            request_id: super::request_id(),
        }
    }
}

/// Appends an entry, taking the address and request id from the current request.
pub async fn record<'e>(db: impl sqlx::PgExecutor<'e>, event: Event<'_>) -> Result<(), AppError> {
    record_from(db, event, &Origin::current()).await
}

/// Appends an entry with an explicit origin (plain handlers, background tasks).
pub async fn record_from<'e>(
    db: impl sqlx::PgExecutor<'e>,
    event: Event<'_>,
    origin: &Origin,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into audit_log (actor_id, action, subject_user_id, department_id, target, detail,
                               ip, request_id)
        values ($1, $2, $3, $4, $5, $6, $7, $8)
        "#,
        event.actor,
        event.action,
        event.subject_user,
        event.department,
        event.target,
        event.detail,
        origin.ip,
        origin.request_id,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// One page of the log, newest first, after the keyset cursor `before` (time, id). `department`
/// limits it to the entries a department admin may read; `action` filters by action prefix.
pub async fn page(
    pool: &PgPool,
    department: Option<i64>,
    action: Option<&str>,
    before: Option<(DateTime<Utc>, i64)>,
    limit: i64,
) -> Result<Vec<AuditEntry>, AppError> {
    let (before_at, before_id) = before.unzip();
    Ok(sqlx::query_as!(
        AuditEntry,
        r#"
        select a.id, a.at as "at: DateTime<Utc>", a.action, a.actor_id,
               actor.full_name as "actor_name?", a.subject_user_id,
               subject.full_name as "subject_name?", a.department_id,
               a.target, a.detail, a.ip, a.request_id
        from audit_log a
        left join users actor on actor.id = a.actor_id
        left join users subject on subject.id = a.subject_user_id
        where ($1::bigint is null or a.department_id = $1)
          and ($2::text is null or a.action like $2 || '%')
          and ($3::timestamptz is null or (a.at, a.id) < ($3, $4))
        order by a.at desc, a.id desc
        limit $5
        "#,
        department,
        action,
        before_at as _,
        before_id.unwrap_or(i64::MAX),
        limit
    )
    .fetch_all(pool)
    .await?)
}

/// Removes entries older than `retention_days` (never fewer than 30); returns how many.
pub async fn prune(pool: &PgPool, retention_days: i32) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        "delete from audit_log where at < now() - make_interval(days => $1)",
        retention_days.max(30)
    )
    .execute(pool)
    .await?
    .rows_affected())
}
