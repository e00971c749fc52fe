//! Writing: insert, update, revisions, publishing and unpublishing.

use super::*;

/// A new case by `author_id`; returns its id. Takes a pool or a transaction (a case made from a
/// consult is created in the agreement's transaction).
pub async fn insert<'e>(
    db: impl sqlx::PgExecutor<'e>,
    author_id: i64,
    case: &NewCase,
    body_html: &str,
    publish: bool,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        insert into cases (author_id, title, specialty, summary, body_md, body_html, status,
                           published_at, visibility, department_id, institution_id,
                           presentation, history, examination, investigations, management,
                           outcome, teaching_points, notes, tags, kind, related_case_ids,
                           reading_minutes)
        select $1, $2, $3, $4, $5, $6,
               case when $7 then 'published'::case_status else 'draft'::case_status end,
               case when $7 then now() end,
               $8, u.department_id, d.institution_id,
               $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20
        from users u left join departments d on d.id = u.department_id
        where u.id = $1
        returning id
        "#,
        author_id,
        case.title,
        case.specialty,
        case.summary,
        case.body,
        body_html,
        publish,
        case.visibility as Visibility,
        case.sections.presentation,
        case.sections.history,
        case.sections.examination,
        case.sections.investigations,
        case.sections.management,
        case.sections.outcome,
        case.sections.teaching_points,
        case.sections.notes,
        &case.tags,
        KindRow::from(case.kind) as KindRow,
        &case.related_case_ids,
        case.reading_minutes
    )
    .fetch_one(db)
    .await?)
}

/// A draft by `author_id` written with `co_authors` (a case made from a consult, in the
/// agreement's transaction); returns its id.
pub async fn insert_co_authored(
    tx: &mut sqlx::PgConnection,
    author_id: i64,
    co_authors: &[i64],
    case: &NewCase,
    body_html: &str,
) -> Result<i64, AppError> {
    let id = insert(&mut *tx, author_id, case, body_html, false).await?;
    sqlx::query!(
        r#"
        insert into case_authors (case_id, user_id)
        select $1, u from unnest($2::int8[]) as u where u <> $3
        on conflict do nothing
        "#,
        id,
        co_authors,
        author_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// Updates a case's content. `publish` publishes a draft; a published case stays published.
pub async fn update(
    pool: &PgPool,
    id: i64,
    case: &NewCase,
    body_html: &str,
    publish: bool,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        update cases
        set title = $2, specialty = $3, summary = $4, body_md = $5, body_html = $6,
            visibility = $8, presentation = $9, history = $10, examination = $11,
            investigations = $12, management = $13, outcome = $14, teaching_points = $15,
            notes = $16, tags = $17, related_case_ids = $18, reading_minutes = $19,
            updated_at = now(),
            status = case when $7 then 'published'::case_status else status end,
            published_at = case when $7 then coalesce(published_at, now()) else published_at end
        where id = $1
        "#,
        id,
        case.title,
        case.specialty,
        case.summary,
        case.body,
        body_html,
        publish,
        case.visibility as Visibility,
        case.sections.presentation,
        case.sections.history,
        case.sections.examination,
        case.sections.investigations,
        case.sections.management,
        case.sections.outcome,
        case.sections.teaching_points,
        case.sections.notes,
        &case.tags,
        &case.related_case_ids,
        case.reading_minutes
    )
    .execute(pool)
    .await?;
    if publish {
        back_to_review(pool, id).await?;
        record_revision(pool, id).await?;
    }
    Ok(())
}

/// A published case changed after its department's peer reviewer approved it: what readers
/// would see is no longer what was approved, so it waits for review again (and readers outside
/// the reviewers stop seeing it until then). Returns whether it went back. Cases of departments
/// that have since stopped reviewing keep their approval.
pub async fn back_to_review(pool: &PgPool, id: i64) -> Result<bool, AppError> {
    let done = sqlx::query!(
        r#"
        update cases c
        set review_status = 'pending', reviewed_by = null, reviewed_at = null
        where c.id = $1 and c.status = 'published' and c.review_status = 'approved'
          and exists (select 1 from departments d
                      where d.id = c.department_id and d.peer_review)
        "#,
        id
    )
    .execute(pool)
    .await?;
    if done.rows_affected() == 1 {
        tracing::info!(case_id = id, "edited after approval: back to peer review");
    }
    Ok(done.rows_affected() == 1)
}

/// Keeps the case's current content as its next published revision.
pub(super) async fn record_revision(pool: &PgPool, id: i64) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into case_revisions (case_id, revision, title, summary, body_md, body_html, created_by)
        select c.id,
               coalesce((select max(r.revision) from case_revisions r where r.case_id = c.id), 0) + 1,
               c.title, c.summary, c.body_md, c.body_html, c.author_id
        from cases c where c.id = $1
        "#,
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Published versions of a case, newest first.
pub async fn revisions(pool: &PgPool, id: i64) -> Result<Vec<CaseRevision>, AppError> {
    Ok(sqlx::query_as!(
        CaseRevision,
        r#"
        select revision, title, body_html, created_at as "created_at: DateTime<Utc>"
        from case_revisions where case_id = $1 order by revision desc
        "#,
        id
    )
    .fetch_all(pool)
    .await?)
}

/// Takes a case back to draft: readers no longer see it; its revisions are kept.
pub async fn unpublish(pool: &PgPool, id: i64) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        update cases set status = 'draft', published_at = null, updated_at = now(),
                         review_status = 'not_required', reviewed_by = null, reviewed_at = null
        where id = $1
        "#,
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether a case is a case sketch or a micro-lesson.
pub async fn kind_of(pool: &PgPool, id: i64) -> Result<Kind, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select kind as "kind: KindRow" from cases where id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?
    .into())
}

/// The author of a case and whether it is published, to check who may change it and how.
pub async fn author_of(pool: &PgPool, id: i64) -> Result<Option<(i64, bool)>, AppError> {
    let row = sqlx::query!(
        r#"select author_id, status = 'published' as "published!" from cases where id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.author_id, r.published)))
}

/// Whether `user` writes case `id` (its author or a co-author) and whether it is published;
/// `None` when there is no such case.
pub async fn writer_of(
    pool: &PgPool,
    id: i64,
    user: i64,
) -> Result<Option<(bool, bool)>, AppError> {
    let row = sqlx::query!(
        r#"select (c.author_id = $2 or co_author_of(c.id, $2)) as "writes!",
                  c.status = 'published' as "published!"
           from cases c where c.id = $1"#,
        id,
        user
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.writes, r.published)))
}

/// Publishes a draft. In a department that reviews its cases, the case then waits for another
/// mentor's approval before readers see it; returns whether it does.
pub async fn publish(pool: &PgPool, id: i64) -> Result<bool, AppError> {
    let pending = sqlx::query_scalar!(
        r#"
        update cases c
        set status = 'published', published_at = coalesce(c.published_at, now()),
            updated_at = now(),
            review_status = case
                when exists (select 1 from departments d
                             where d.id = c.department_id and d.peer_review)
                then 'pending'::review_status else 'not_required'::review_status end,
            reviewed_by = null, reviewed_at = null
        where c.id = $1
        returning c.review_status = 'pending' as "pending!"
        "#,
        id
    )
    .fetch_one(pool)
    .await?;
    record_revision(pool, id).await?;
    Ok(pending)
}
