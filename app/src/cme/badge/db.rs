//! What the status list and signed badges read from `certificates`.

use super::status::LIST_BITS;
use crate::cme::Certificate;
use crate::error::AppError;
use sqlx::PgPool;

/// A certificate with its status-list index, or None for an unknown id.
pub async fn certificate(pool: &PgPool, id: &str) -> Result<Option<(Certificate, i64)>, AppError> {
    // Ids are 32 hex digits; anything much longer is not one (and not worth a query).
    if id.len() > 64 {
        return Ok(None);
    }
    let Some((cert, _)) = crate::cme::db::certificate(pool, id).await? else {
        return Ok(None);
    };
    let index = sqlx::query_scalar!(r#"select status_index from certificates where id = $1"#, id)
        .fetch_optional(pool)
        .await?;
    Ok(index.map(|i| (cert, i)))
}

/// Whether status list `list` exists: the first always does, later ones once a certificate
/// has been numbered into them.
pub async fn list_exists(pool: &PgPool, list: i64) -> Result<bool, AppError> {
    if list == 1 {
        return Ok(true);
    }
    let last = sqlx::query_scalar!(r#"select max(status_index) from certificates"#)
        .fetch_one(pool)
        .await?;
    Ok(list > 1 && last.is_some_and(|last| list <= last / LIST_BITS + 1))
}

/// The places, within status list `list`, of the revoked certificates numbered into it.
pub async fn revoked_in(pool: &PgPool, list: i64) -> Result<Vec<i64>, AppError> {
    let first = (list - 1) * LIST_BITS;
    let revoked = sqlx::query_scalar!(
        r#"
        select status_index - $1 as "place!" from certificates
        where revoked_at is not null and status_index >= $1 and status_index < $1 + $2
        "#,
        first,
        LIST_BITS
    )
    .fetch_all(pool)
    .await?;
    Ok(revoked)
}
