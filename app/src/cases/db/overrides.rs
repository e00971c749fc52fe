//! Privacy overrides and the texts the privacy guard reads.

use super::*;

/// The (kind, text) pairs a case's author has overridden, with a reason, for publishing.
pub async fn privacy_overrides(
    pool: &PgPool,
    case_id: i64,
) -> Result<Vec<(String, String)>, AppError> {
    let rows = sqlx::query!(
        "select kind, text from privacy_overrides where case_id = $1",
        case_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.kind, r.text)).collect())
}

pub async fn record_privacy_override(
    pool: &PgPool,
    case_id: i64,
    kind: &str,
    text: &str,
    reason: &str,
    user_id: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into privacy_overrides (case_id, kind, text, reason, recorded_by)
        values ($1, $2, $3, $4, $5)
        on conflict (case_id, kind, text)
        do update set reason = excluded.reason, recorded_by = excluded.recorded_by, recorded_at = now()
        "#,
        case_id,
        kind,
        text,
        reason,
        user_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The texts of a case that the privacy guard checks before publishing.
pub async fn texts(pool: &PgPool, id: i64) -> Result<(String, String, String), AppError> {
    let row = sqlx::query!(
        "select title, summary, body_md from cases where id = $1",
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok((row.title, row.summary, row.body_md))
}
