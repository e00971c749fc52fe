//! Single-use mailed tokens (address confirmation, password reset, invitations) and request limits.

use super::*;

/// What a token is for; the same strings as the SQL enum `email_token_purpose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "email_token_purpose", rename_all = "snake_case")]
pub enum Purpose {
    Verify,
    Reset,
    Invite,
}

impl Purpose {
    /// How long a link stays valid.
    pub fn lifetime_hours(self) -> i32 {
        match self {
            Purpose::Verify => 72,
            Purpose::Reset => 1,
            Purpose::Invite => 14 * 24,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "membership_event", rename_all = "snake_case")]
pub enum EventKind {
    Requested,
    JoinedByDomain,
    Approved,
    Declined,
    Invited,
    JoinedByInvitation,
    Left,
    Removed,
}

/// A fresh random token (256 bits, hex) for a link; only its hash is stored.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.trim().as_bytes()).to_vec()
}

/// Stores a token for a link and returns the token to put in the mail.
pub async fn create_token(
    pool: &PgPool,
    purpose: Purpose,
    user_id: Option<i64>,
    email: &str,
    department_id: Option<i64>,
    created_by: Option<i64>,
) -> Result<String, AppError> {
    let token = new_token();
    sqlx::query!(
        r#"
        insert into email_tokens (token_hash, purpose, user_id, email, department_id, created_by,
                                  expires_at)
        values ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))
        "#,
        hash(&token),
        purpose as Purpose,
        user_id,
        email,
        department_id,
        created_by,
        purpose.lifetime_hours()
    )
    .execute(pool)
    .await?;
    Ok(token)
}

/// What a token stood for.
#[derive(Debug, Clone)]
pub struct TokenGrant {
    pub user_id: Option<i64>,
    pub email: String,
    pub department_id: Option<i64>,
}

/// Uses a token once: the first caller gets its grant, every later caller (and any caller after
/// it expired) gets a clear "this link is no longer valid".
pub async fn take_token(
    tx: &mut sqlx::PgConnection,
    purpose: Purpose,
    token: &str,
) -> Result<TokenGrant, AppError> {
    sqlx::query_as!(
        TokenGrant,
        r#"
        update email_tokens set used_at = now()
        where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now()
        returning user_id, email, department_id
        "#,
        hash(token),
        purpose as Purpose
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(expired_link)
}

/// Reads a token without using it (to show what an invitation is for).
pub async fn peek_token(
    pool: &PgPool,
    purpose: Purpose,
    token: &str,
) -> Result<TokenGrant, AppError> {
    sqlx::query_as!(
        TokenGrant,
        r#"
        select user_id, email, department_id from email_tokens
        where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now()
        "#,
        hash(token),
        purpose as Purpose
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(expired_link)
}

pub fn expired_link() -> AppError {
    AppError::field(
        "token",
        "This link has expired or was already used. Ask for a new one.",
    )
}

/// Counts one request of `kind` from `key` and refuses it when more than `max` were made in the
/// last `window_minutes`. Counting first and checking after makes concurrent requests see each
/// other, so a burst cannot slip past the limit together.
pub async fn limit(
    pool: &PgPool,
    kind: &str,
    key: &str,
    max: i64,
    window_minutes: i32,
) -> Result<(), AppError> {
    sqlx::query!(
        "insert into request_limits (kind, key) values ($1, $2)",
        kind,
        key
    )
    .execute(pool)
    .await?;
    let row = sqlx::query!(
        r#"
        select count(*) as "n!", min(at) as "oldest: DateTime<Utc>"
        from request_limits
        where kind = $1 and key = $2 and at > now() - make_interval(mins => $3)
        "#,
        kind,
        key,
        window_minutes
    )
    .fetch_one(pool)
    .await?;
    if row.n > max {
        let wait = row
            .oldest
            .map(|oldest| {
                (oldest + chrono::Duration::minutes(window_minutes.into()) - Utc::now())
                    .num_minutes()
                    + 1
            })
            .unwrap_or(window_minutes.into());
        tracing::warn!(kind, "request limit reached");
        metrics::counter!("corridor_rate_limited_total", "kind" => kind.to_owned()).increment(1);
        return Err(AppError::RateLimited {
            minutes: wait.clamp(1, i64::from(window_minutes)) as u32,
        });
    }
    Ok(())
}

pub async fn prune_limits(pool: &PgPool) -> Result<u64, AppError> {
    Ok(
        sqlx::query!("delete from request_limits where at < now() - interval '1 day'")
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
