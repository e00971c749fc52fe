pub mod follows;
use crate::cases::{
    CaseDetail, CasePage, CaseRevision, CaseStatus, CaseSummary, Kind, NewCase, Visibility,
    CASES_PER_PAGE,
};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "case_status", rename_all = "snake_case")]
pub enum StatusRow {
    Draft,
    Published,
}

impl From<StatusRow> for CaseStatus {
    fn from(s: StatusRow) -> Self {
        match s {
            StatusRow::Draft => CaseStatus::Draft,
            StatusRow::Published => CaseStatus::Published,
        }
    }
}

/// A row of the case-summary queries below; every list query selects these columns.
struct SummaryRow {
    id: i64,
    title: String,
    summary: String,
    specialty: String,
    author_id: i64,
    author_name: String,
    status: StatusRow,
    published_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
    kind: KindRow,
    reading_minutes: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "content_kind", rename_all = "snake_case")]
pub enum KindRow {
    Case,
    Lesson,
}

impl From<KindRow> for Kind {
    fn from(k: KindRow) -> Self {
        match k {
            KindRow::Case => Kind::Case,
            KindRow::Lesson => Kind::Lesson,
        }
    }
}

impl From<Kind> for KindRow {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Case => KindRow::Case,
            Kind::Lesson => KindRow::Lesson,
        }
    }
}

impl From<SummaryRow> for CaseSummary {
    fn from(r: SummaryRow) -> Self {
        CaseSummary {
            id: r.id,
            title: r.title,
            summary: r.summary,
            specialty: r.specialty,
            author_id: r.author_id,
            author_name: r.author_name,
            status: r.status.into(),
            published_at: r.published_at,
            updated_at: r.updated_at,
            kind: r.kind.into(),
            reading_minutes: r.reading_minutes,
        }
    }
}

pub async fn insert(
    pool: &PgPool,
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
    .fetch_one(pool)
    .await?)
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
async fn record_revision(pool: &PgPool, id: i64) -> Result<(), AppError> {
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

/// Published cases `viewer` may read that match `query` (web-search syntax: words, "phrases",
/// -exclusions), best first; with an empty query, the newest. Optionally one specialty or one
/// mentor only.
#[allow(clippy::too_many_arguments)] // one per search filter, as the form has them
pub async fn search(
    pool: &PgPool,
    viewer: i64,
    query: &str,
    specialty: Option<&str>,
    mentor: Option<i64>,
    tag: Option<&str>,
    kind: Option<Kind>,
    page: i64,
) -> Result<(Vec<crate::cases::SearchHit>, bool), AppError> {
    let page = crate::util::clamp_page(page);
    let rows = sqlx::query!(
        r#"
        with q as (select websearch_to_tsquery('english', $2) as q)
        select c.id, c.title, c.summary, s.name as specialty, c.author_id,
               u.full_name as author_name, c.status as "status: StatusRow",
               c.published_at as "published_at: DateTime<Utc>",
               c.updated_at as "updated_at: DateTime<Utc>",
               c.kind as "kind: KindRow", c.reading_minutes,
               case when $2 = '' then left(c.summary, 200)
                    else ts_headline('english', c.summary || E'\n' || c.body_md, q.q,
                         'StartSel=' || chr(1) || ',StopSel=' || chr(2) ||
                         ',MaxWords=28,MinWords=12,MaxFragments=2,FragmentDelimiter=" … "')
               end as "snippet!"
        from cases c
        cross join q
        join users u on u.id = c.author_id
        join specialties s on s.slug = c.specialty
        where c.status = 'published'
          and case_readable(c, $1)
          and ($2 = '' or c.search @@ q.q)
          and ($3::text is null or c.specialty = $3)
          and ($4::bigint is null or c.author_id = $4)
          and ($7::text is null or $7 = any(c.tags))
          and ($8::content_kind is null or c.kind = $8)
        order by case when $2 = '' then 0 else ts_rank_cd(c.search, q.q) end desc,
                 c.published_at desc, c.id desc
        limit $5 offset $6
        "#,
        viewer,
        query,
        specialty,
        mentor,
        CASES_PER_PAGE + 1,
        (page - 1) * CASES_PER_PAGE,
        tag,
        kind.map(KindRow::from) as Option<KindRow>
    )
    .fetch_all(pool)
    .await?;
    let has_next = rows.len() as i64 > CASES_PER_PAGE;
    let hits = rows
        .into_iter()
        .take(CASES_PER_PAGE as usize)
        .map(|r| crate::cases::SearchHit {
            snippet: crate::cases::split_marked(&r.snippet),
            case: CaseSummary {
                id: r.id,
                title: r.title,
                summary: r.summary,
                specialty: r.specialty,
                author_id: r.author_id,
                author_name: r.author_name,
                status: r.status.into(),
                published_at: r.published_at,
                updated_at: r.updated_at,
                kind: r.kind.into(),
                reading_minutes: r.reading_minutes,
            },
        })
        .collect();
    Ok((hits, has_next))
}

/// Mentors with at least one published case, for the search filter.
pub async fn mentors_with_cases(pool: &PgPool) -> Result<Vec<crate::util::Choice>, AppError> {
    Ok(sqlx::query_as!(
        crate::util::Choice,
        r#"
        select u.id::text as "value!", u.full_name as "label!"
        from users u
        where exists (select 1 from cases c where c.author_id = u.id and c.status = 'published')
        order by u.full_name
        "#
    )
    .fetch_all(pool)
    .await?)
}

/// The home feed: published cases `viewer` may read, by mentors or in specialties they follow,
/// newest first, after the cursor position if one is given.
pub async fn feed(
    pool: &PgPool,
    viewer: i64,
    after: Option<(DateTime<Utc>, i64)>,
    limit: i64,
) -> Result<crate::cases::FeedPage, AppError> {
    let (before_at, before_id) = match after {
        Some((at, id)) => (Some(at), Some(id)),
        None => (None, None),
    };
    let mut rows = sqlx::query_as!(
        SummaryRow,
        r#"
        select c.id, c.title, c.summary, s.name as specialty, c.author_id,
               u.full_name as author_name, c.status as "status: StatusRow",
               c.published_at as "published_at: DateTime<Utc>",
               c.updated_at as "updated_at: DateTime<Utc>",
               c.kind as "kind: KindRow", c.reading_minutes
        from cases c
        join users u on u.id = c.author_id
        join specialties s on s.slug = c.specialty
        where c.status = 'published'
          and (exists (select 1 from follows f where f.follower_id = $1 and f.mentor_id = c.author_id)
               or exists (select 1 from specialty_follows sf where sf.user_id = $1 and sf.specialty = c.specialty))
          and case_readable(c, $1)
          and ($2::timestamptz is null or (c.published_at, c.id) < ($2, $3))
        order by c.published_at desc, c.id desc
        limit $4
        "#,
        viewer,
        // Typed as chrono here; the macro would otherwise insist on `time` (also enabled).
        before_at as _,
        before_id,
        limit + 1
    )
    .fetch_all(pool)
    .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last()
            .and_then(|r| r.published_at.map(|at| crate::cases::feed_cursor(at, r.id)))
    } else {
        None
    };
    Ok(crate::cases::FeedPage {
        items: rows.into_iter().map(Into::into).collect(),
        next,
    })
}

/// Whether `viewer` may read case `id` (and so its discussion).
pub async fn readable(pool: &PgPool, id: i64, viewer: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select exists(select 1 from cases c where c.id = $1 and case_readable(c, $2)) as "ok!""#,
        id,
        viewer
    )
    .fetch_one(pool)
    .await?)
}
