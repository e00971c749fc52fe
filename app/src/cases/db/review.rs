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

/// Cases of `viewer`'s department waiting for a review by someone other than their author.
pub async fn awaiting_review(pool: &PgPool, viewer: i64) -> Result<Vec<CaseSummary>, AppError> {
    let rows = sqlx::query_as!(
        SummaryRow,
        r#"
        select c.id, c.title, c.summary, s.name as specialty, c.author_id,
               u.full_name as author_name, c.status as "status: StatusRow",
               c.published_at as "published_at: DateTime<Utc>", c.updated_at as "updated_at: DateTime<Utc>",
               c.kind as "kind: KindRow", c.reading_minutes
        from cases c
        join users u on u.id = c.author_id
        join specialties s on s.slug = c.specialty
        join users r on r.id = $1
        where c.review_status = 'pending' and c.status = 'published'
          and c.department_id = r.department_id and c.author_id <> $1
          and r.role in ('mentor', 'department_admin')
        order by c.published_at, c.id
        limit 20
        "#,
        viewer
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
