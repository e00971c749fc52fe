//! Reading: one case as its reader may see it, lists by page, by author, drafts.

use super::*;

/// A case as `viewer` may see it: published cases for everyone signed in, drafts only for their
/// author. Anything else is "not found", so drafts do not even reveal that they exist.
pub async fn get_visible(pool: &PgPool, id: i64, viewer: i64) -> Result<CaseDetail, AppError> {
    let row = sqlx::query!(
        r#"
        select c.id, c.title, c.summary, s.name as specialty, c.specialty as specialty_slug,
               c.author_id, u.full_name as author_name, u.designation as author_designation,
               c.status as "status: StatusRow", c.published_at as "published_at: DateTime<Utc>", c.updated_at as "updated_at: DateTime<Utc>",
               c.body_md, c.body_html, c.visibility as "visibility: Visibility",
               c.presentation, c.history, c.examination, c.investigations, c.management,
               c.outcome, c.teaching_points, c.notes, c.tags,
               c.kind as "kind: KindRow", c.reading_minutes, c.related_case_ids,
               c.review_status = 'pending' as "review_pending!",
               reviewer.full_name as "reviewed_by?",
               exists (select 1 from quizzes q where q.case_id = c.id) as "has_quiz!"
        from cases c
        join users u on u.id = c.author_id
        join specialties s on s.slug = c.specialty
        left join users reviewer on reviewer.id = c.reviewed_by and c.review_status = 'approved'
        where c.id = $1 and case_readable(c, $2)
        "#,
        id,
        viewer
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let is_author = row.author_id == viewer;
    let consent = crate::media::consent(pool, id).await?;
    // Images added without consent on file wait, shown to the author only, until it is recorded.
    let images = if is_author || consent.is_some() {
        crate::media::for_case(pool, id).await?
    } else {
        Vec::new()
    };
    let revisions = if is_author {
        revisions(pool, id).await?
    } else {
        Vec::new()
    };
    Ok(CaseDetail {
        summary: CaseSummary {
            id: row.id,
            title: row.title,
            summary: row.summary,
            specialty: row.specialty,
            author_id: row.author_id,
            author_name: row.author_name,
            status: row.status.into(),
            published_at: row.published_at,
            updated_at: row.updated_at,
            kind: row.kind.into(),
            reading_minutes: row.reading_minutes,
        },
        images,
        consent,
        review: crate::cases::Review {
            pending: row.review_pending,
            // A reader of a pending case who is not its author is one of its reviewers.
            can_approve: row.review_pending && !is_author,
            approved_by: row.reviewed_by,
        },
        related: related(pool, &row.related_case_ids, viewer).await?,
        related_ids: row.related_case_ids,
        has_quiz: row.has_quiz,
        specialty_slug: row.specialty_slug,
        body_md: row.body_md,
        body_html: row.body_html,
        author_designation: row.author_designation,
        visibility: row.visibility,
        sections: crate::cases::CaseSections {
            presentation: row.presentation,
            history: row.history,
            examination: row.examination,
            investigations: row.investigations,
            management: row.management,
            outcome: row.outcome,
            teaching_points: row.teaching_points,
            notes: row.notes,
        },
        tags: row.tags,
        is_author,
        revisions,
    })
}

/// The published cases among `ids` that `viewer` may read, in the order given.
pub async fn related(
    pool: &PgPool,
    ids: &[i64],
    viewer: i64,
) -> Result<Vec<CaseSummary>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query_as!(
        SummaryRow,
        r#"
        select c.id, c.title, c.summary, s.name as specialty, c.author_id,
               u.full_name as author_name, c.status as "status: StatusRow",
               c.published_at as "published_at: DateTime<Utc>", c.updated_at as "updated_at: DateTime<Utc>",
               c.kind as "kind: KindRow", c.reading_minutes
        from unnest($1::bigint[]) with ordinality as wanted(id, n)
        join cases c on c.id = wanted.id
        join users u on u.id = c.author_id
        join specialties s on s.slug = c.specialty
        where c.status = 'published' and case_readable(c, $2)
        order by wanted.n
        "#,
        ids,
        viewer
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Published cases, newest first, one page at a time (pages count from 1).
pub async fn list_published(pool: &PgPool, viewer: i64, page: i64) -> Result<CasePage, AppError> {
    let page = crate::util::clamp_page(page);
    let mut rows = sqlx::query_as!(
        SummaryRow,
        r#"
        select c.id, c.title, c.summary, s.name as specialty, c.author_id,
               u.full_name as author_name, c.status as "status: StatusRow",
               c.published_at as "published_at: DateTime<Utc>", c.updated_at as "updated_at: DateTime<Utc>",
               c.kind as "kind: KindRow", c.reading_minutes
        from cases c
        join users u on u.id = c.author_id
        join specialties s on s.slug = c.specialty
        where c.status = 'published' and case_readable(c, $3)
        order by c.published_at desc, c.id desc
        limit $1 offset $2
        "#,
        CASES_PER_PAGE + 1,
        (page - 1) * CASES_PER_PAGE,
        viewer
    )
    .fetch_all(pool)
    .await?;
    let has_next = rows.len() as i64 > CASES_PER_PAGE;
    rows.truncate(CASES_PER_PAGE as usize);
    Ok(CasePage {
        items: rows.into_iter().map(Into::into).collect(),
        page,
        has_next,
    })
}

/// A mentor's cases that `viewer` may read (their drafts only for themselves), published first.
pub async fn by_author(
    pool: &PgPool,
    author_id: i64,
    viewer: i64,
    limit: i64,
) -> Result<Vec<CaseSummary>, AppError> {
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
        where c.author_id = $1 and case_readable(c, $2)
        order by c.status desc, coalesce(c.published_at, c.updated_at) desc, c.id desc
        limit $3
        "#,
        author_id,
        viewer,
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn drafts_of(pool: &PgPool, author_id: i64) -> Result<Vec<CaseSummary>, AppError> {
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
        where c.author_id = $1 and c.status = 'draft'
        order by c.updated_at desc, c.id desc
        "#,
        author_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
