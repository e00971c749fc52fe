//! Reading: one case as its reader may see it, lists by page, by author, drafts.

use super::*;

/// A case as `viewer` may see it: published cases for everyone signed in, drafts only for their
/// author. Anything else is "not found", so drafts do not even reveal that they exist.
///
/// The page's one query: the case with its consent, the images its reader may see and a page
/// of its discussion come back together (as JSON columns), so a reader's page costs one round
/// trip for its data. Only a lesson's related cases and the author's revisions are read apart.
///
/// The discussion comes a page of threads at a time: `THREADS_PER_PAGE` top-level comments
/// after `comments_after` (the last thread of the previous page: its time and id), each with
/// all its replies.
pub async fn get_visible(
    pool: &PgPool,
    id: i64,
    viewer: i64,
    comments_after: Option<(i64, i64)>,
) -> Result<CaseDetail, AppError> {
    use crate::discussion::{Comment, Discussion, THREADS_PER_PAGE};
    use crate::media::{CaseImage, Consent};
    use sqlx::types::Json;
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
               exists (select 1 from quizzes q where q.case_id = c.id) as "has_quiz!",
               co_author_of(c.id, $2) as "co_author!",
               coalesce((select array_agg(w.full_name order by a.added_at, a.user_id)
                         from case_authors a join users w on w.id = a.user_id
                         where a.case_id = c.id), '{}') as "co_authors!",
               (select to_jsonb(k) from (
                    select k.form_reference, k.consent_date, u.full_name as recorded_by,
                           k.recorded_at
                    from case_consents k join users u on u.id = k.recorded_by
                    where k.case_id = c.id) k) as "consent: Json<Consent>",
               -- Images added without consent on file wait, shown to the author only, until
               -- it is recorded.
               coalesce((select jsonb_agg(to_jsonb(i) order by i.id) from (
                    select i.id, i.case_id, i.alt_text, i.caption, i.width, i.height, i.annotations
                    from case_images i
                    where i.case_id = c.id
                      and (c.author_id = $2 or co_author_of(c.id, $2)
                           or exists (select 1 from case_consents k where k.case_id = c.id))) i),
                    '[]') as "images!: Json<Vec<CaseImage>>",
               coalesce((select jsonb_agg(to_jsonb(m) order by m.created_at, m.id) from (
                    select m.id, m.parent_id, m.author_id, u.full_name as author_name,
                           case when m.hidden_at is null then m.body_html else '' end as body_html,
                           m.is_answer, m.hidden_at is not null as hidden, m.created_at
                    from comments m join users u on u.id = m.author_id
                    where m.case_id = c.id
                      and coalesce(m.parent_id, m.id) in (
                          select t.id from comments t
                          where t.case_id = c.id and t.parent_id is null
                            and ($3::timestamptz is null or (t.created_at, t.id) > ($3, $4))
                          order by t.created_at, t.id
                          limit $5)) m),
                    '[]') as "comments!: Json<Vec<Comment>>",
               (select count(*) from comments m where m.case_id = c.id) as "comment_total!",
               -- Whether a thread follows this page's last.
               exists (select 1 from comments t
                       where t.case_id = c.id and t.parent_id is null
                         and ($3::timestamptz is null or (t.created_at, t.id) > ($3, $4))
                       order by t.created_at, t.id
                       offset $5) as "more_comments!"
        from cases c
        join users u on u.id = c.author_id
        join specialties s on s.slug = c.specialty
        left join users reviewer on reviewer.id = c.reviewed_by and c.review_status = 'approved'
        where c.id = $1 and case_readable(c, $2)
        "#,
        id,
        viewer,
        comments_after.and_then(|(micros, _)| DateTime::<Utc>::from_timestamp_micros(micros)),
        comments_after.map(|(_, id)| id),
        THREADS_PER_PAGE
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let is_author = row.author_id == viewer || row.co_author;
    let comments = row.comments.0;
    // The cursor is the last thread shown; a following thread says that there is one.
    let next = row
        .more_comments
        .then(|| {
            comments
                .iter()
                .rfind(|c| c.parent_id.is_none())
                .map(|c| crate::util::cursor(c.created_at.timestamp_micros(), c.id))
        })
        .flatten();
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
        images: row.images.0,
        consent: row.consent.map(|c| c.0),
        // The case's author moderates its discussion (a site admin too: see `get_case`).
        discussion: Discussion {
            comments,
            can_moderate: is_author,
            can_mark_answer: is_author,
            total: row.comment_total,
            next,
            later_page: comments_after.is_some(),
        },
        review: crate::cases::Review {
            pending: row.review_pending,
            // A reader of a pending case who is not its author is one of its reviewers.
            can_approve: row.review_pending && !is_author,
            approved_by: row.reviewed_by,
        },
        related: if row.related_case_ids.is_empty() {
            Vec::new()
        } else {
            related(pool, &row.related_case_ids, viewer).await?
        },
        related_ids: row.related_case_ids,
        has_quiz: row.has_quiz,
        specialty_slug: row.specialty_slug,
        body_md: row.body_md,
        body_html: row.body_html,
        author_designation: row.author_designation,
        co_authors: row.co_authors,
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
