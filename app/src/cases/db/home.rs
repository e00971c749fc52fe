//! The signed-in home page in one statement.

use super::*;
use crate::accounts::PublicUser;
use crate::cases::{FeedPage, HomeData};
use crate::consults::people::WaitingConsult;
use crate::department::AssignmentRecord;
use crate::util::Choice;
use sqlx::types::Json;

/// How many mentors the home page suggests following.
const SUGGESTED_MENTORS: i64 = 4;

/// Everything the home page shows `viewer`, in one round trip: each list is a JSON column.
///
/// - the feed: published cases `viewer` may read (`case_readable`), by mentors or in
///   specialties they follow, newest first, a page after the cursor `before` if given;
/// - the mentors and specialties they follow, by name;
/// - their drafts, last edited first, only if `can_author` (residents have none to show);
/// - cases of their department waiting for their peer review (mentors and department admins
///   only, not their own), oldest first, at most 20;
/// - the modules assigned to them, due first;
/// - consults waiting for their action (addressed to or accepted by them, information asked of
///   them, waiting in a pool they respond for), due first, at most 20;
/// - mentors they do not follow yet, most active in the latest 1,000 published cases first
///   (so the suggestion costs the same with a hundred cases or a million).
pub async fn home(
    pool: &PgPool,
    viewer: i64,
    can_author: bool,
    before: Option<(DateTime<Utc>, i64)>,
) -> Result<HomeData, AppError> {
    let (before_at, before_id) = match before {
        Some((at, id)) => (Some(at), Some(id)),
        None => (None, None),
    };
    let limit = CASES_PER_PAGE;
    let row = sqlx::query!(
        r#"
        with feed as (
            select c.id, c.title, c.summary, s.name as specialty, c.author_id,
                   u.full_name as author_name, c.status, c.published_at, c.updated_at,
                   c.kind, c.reading_minutes
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
        ), following as (
            select u.id, u.full_name, u.designation, s.name as specialty,
                   d.name as department, i.name as institution, u.role
            from follows f
            join users u on u.id = f.mentor_id
            left join specialties s on s.slug = u.specialty
            left join departments d on d.id = u.department_id
            left join institutions i on i.id = d.institution_id
            where f.follower_id = $1
        ), followed_specialties as (
            select s.slug as value, s.name as label
            from specialty_follows f join specialties s on s.slug = f.specialty
            where f.user_id = $1
        ), drafts as (
            select c.id, c.title, c.summary, s.name as specialty, c.author_id,
                   u.full_name as author_name, c.status, c.published_at, c.updated_at,
                   c.kind, c.reading_minutes
            from cases c
            join users u on u.id = c.author_id
            join specialties s on s.slug = c.specialty
            where $5 and c.author_id = $1 and c.status = 'draft'
        ), reviews as (
            select c.id, c.title, c.summary, s.name as specialty, c.author_id,
                   u.full_name as author_name, c.status, c.published_at, c.updated_at,
                   c.kind, c.reading_minutes
            from cases c
            join users u on u.id = c.author_id
            join specialties s on s.slug = c.specialty
            join users r on r.id = $1
            where c.review_status = 'pending' and c.status = 'published'
              and c.department_id = r.department_id and c.author_id <> $1
              and r.role in ('mentor', 'department_admin')
            order by c.published_at, c.id
            limit 20
        ), assignments as (
            select a.id, q.case_id, c.title, u.full_name, a.due_on,
                   exists (select 1 from quiz_attempts t
                           where t.quiz_id = a.quiz_id and t.user_id = a.user_id and t.passed) as completed
            from module_assignments a
            join quizzes q on q.id = a.quiz_id
            join cases c on c.id = q.case_id
            join users u on u.id = a.user_id
            where a.user_id = $1
        ), recent as (
            select c.author_id, c.published_at from cases c
            where c.status = 'published'
            order by c.published_at desc, c.id desc
            limit 1000
        ), active as (
            select author_id, count(*) as cases, max(published_at) as latest
            from recent group by author_id
        ), suggested as (
            select u.id, u.full_name, u.designation, s.name as specialty,
                   d.name as department, i.name as institution, u.role,
                   a.cases, a.latest
            from active a
            join users u on u.id = a.author_id
            left join specialties s on s.slug = u.specialty
            left join departments d on d.id = u.department_id
            left join institutions i on i.id = d.institution_id
            where u.role = 'mentor' and u.id <> $1
              and not exists (select 1 from follows f where f.follower_id = $1 and f.mentor_id = u.id)
            order by a.cases desc, a.latest desc, u.full_name
            limit $6
        ), waiting as (
            select c.id, c.specialty, c.state, c.urgency, c.due_at,
                   c.overdue_at is not null as overdue,
                   case when c.requester_id = $1 then 'reply'
                        when c.responder_id = $1 then 'respond'
                        else 'pool' end as why
            from consults c
            where (c.responder_id = $1 and c.state in ('submitted', 'accepted', 'follow_up'))
               or (c.requester_id = $1 and c.state = 'info_requested')
               or (c.state = 'submitted' and c.responder_id is null and c.requester_id <> $1
                   and exists (select 1 from consult_pool_responders r
                               where r.department_id = c.pool_id and r.user_id = $1))
            order by c.due_at nulls last, c.id
            limit 20
        )
        select
            coalesce((select jsonb_agg(to_jsonb(x) order by x.published_at desc, x.id desc) from feed x),
                     '[]') as "feed!: Json<Vec<SummaryRow>>",
            coalesce((select jsonb_agg(to_jsonb(x) order by x.full_name) from following x),
                     '[]') as "following!: Json<Vec<PublicUser>>",
            coalesce((select jsonb_agg(to_jsonb(x) order by x.label) from followed_specialties x),
                     '[]') as "specialties!: Json<Vec<Choice>>",
            coalesce((select jsonb_agg(to_jsonb(x) order by x.updated_at desc, x.id desc) from drafts x),
                     '[]') as "drafts!: Json<Vec<SummaryRow>>",
            coalesce((select jsonb_agg(to_jsonb(x) order by x.published_at, x.id) from reviews x),
                     '[]') as "reviews!: Json<Vec<SummaryRow>>",
            coalesce((select jsonb_agg(to_jsonb(x) order by x.due_on, x.title) from assignments x),
                     '[]') as "assignments!: Json<Vec<AssignmentRecord>>",
            coalesce((select jsonb_agg(to_jsonb(x) order by x.cases desc, x.latest desc, x.full_name)
                      from suggested x),
                     '[]') as "suggested!: Json<Vec<PublicUser>>",
            coalesce((select jsonb_agg(to_jsonb(x) order by x.due_at nulls last, x.id) from waiting x),
                     '[]') as "consults!: Json<Vec<WaitingConsult>>"
        "#,
        viewer,
        // Typed as chrono here; the macro would otherwise insist on `time` (also enabled).
        before_at as _,
        before_id,
        limit + 1,
        can_author,
        SUGGESTED_MENTORS
    )
    .fetch_one(pool)
    .await?;
    let mut feed = row.feed.0;
    let more = feed.len() as i64 > limit;
    feed.truncate(limit as usize);
    let next = if more {
        feed.last()
            .and_then(|r| r.published_at.map(|at| crate::cases::feed_cursor(at, r.id)))
    } else {
        None
    };
    let today = crate::cme::api::today();
    Ok(HomeData {
        following: row.following.0,
        specialties: row.specialties.0,
        feed: FeedPage {
            items: feed.into_iter().map(Into::into).collect(),
            next,
        },
        drafts: row.drafts.0.into_iter().map(Into::into).collect(),
        reviews: row.reviews.0.into_iter().map(Into::into).collect(),
        assignments: row
            .assignments
            .0
            .into_iter()
            .map(|a| a.into_row(today))
            .collect(),
        suggested: row.suggested.0,
        consults: row.consults.0,
    })
}
