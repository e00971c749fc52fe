//! Peer review: what awaits review, approval.

use super::*;

/// Who may review a case: (author, department, whether it waits for review).
pub async fn review_info(
    pool: &PgPool,
    id: i64,
) -> Result<Option<(i64, Option<i64>, bool)>, AppError> {
    let row = sqlx::query!(
        r#"
        select author_id, department_id, review_status = 'pending' as "pending!"
        from cases where id = $1 and status = 'published'
        "#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.author_id, r.department_id, r.pending)))
}

/// Approves a case waiting for review; false if it no longer waits.
pub async fn approve(pool: &PgPool, id: i64, reviewer: i64) -> Result<bool, AppError> {
    let done = sqlx::query!(
        r#"
        update cases set review_status = 'approved', reviewed_by = $2, reviewed_at = now()
        where id = $1 and review_status = 'pending' and author_id <> $2
        "#,
        id,
        reviewer
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
