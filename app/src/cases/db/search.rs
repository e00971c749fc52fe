//! Search, and whether a reader may read a case.

use super::*;

/// Published cases `viewer` may read that match `query` (web-search syntax: words, "phrases",
/// -exclusions), best first among the newest [`RANKED`] matches; with an empty query, the newest
/// (every page reachable). Optionally one specialty or one mentor only.
/// How many of the newest matches a text search ranks (20 pages of results).
pub const RANKED: i64 = 200;

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
        with q as (select websearch_to_tsquery('english', $2) as q),
        -- Ranking reads every match's text, so only the newest $9 matches are ranked: a
        -- search costs about the same with a hundred cases or a million, and the best of
        -- what is current comes first. (The query is written out here, not taken from `q`,
        -- so the planner can estimate how many cases match and walk the newest first.)
        -- Browsing (no query) ranks nothing, so every page of it stays reachable.
        candidates as (
            select c.id, c.published_at
            from cases c
            where c.status = 'published'
              and ($2 = '' or c.search @@ websearch_to_tsquery('english', $2))
              and ($3::text is null or c.specialty = $3)
              and ($4::bigint is null or c.author_id = $4)
              and ($7::text is null or $7 = any(c.tags))
              and ($8::content_kind is null or c.kind = $8)
              and case_readable(c, $1)
            order by c.published_at desc, c.id desc
            limit case when $2 = '' then $5::bigint + $6::bigint else $9::bigint end
        )
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
        from candidates m
        join cases c on c.id = m.id
        cross join q
        join users u on u.id = c.author_id
        join specialties s on s.slug = c.specialty
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
        kind.map(KindRow::from) as Option<KindRow>,
        RANKED
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
        -- One index probe per author (cases_published_author_idx), however many cases and
        -- users there are: the next author id after the last one found.
        with recursive authors (id) as (
            (select author_id from cases where status = 'published' order by author_id limit 1)
            union all
            select (select c.author_id from cases c
                    where c.status = 'published' and c.author_id > a.id
                    order by c.author_id limit 1)
            from authors a where a.id is not null
        )
        select a.id::text as "value!",
               (select u.full_name from users u where u.id = a.id) as "label!"
        from authors a where a.id is not null
        order by 2
        "#
    )
    .fetch_all(pool)
    .await?)
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
