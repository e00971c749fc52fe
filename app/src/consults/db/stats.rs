//! A pool's statistics and its export, computed in SQL: counts, percentiles
//! (`percentile_cont`), the weekly chart and the close-out outcomes in one statement; the
//! export a batch of consults at a time. Time to answer leaves out the time the requester was
//! asked for information (`consult_paused`, migration 23).

use crate::consults::people::{OutcomeCount, OverdueConsult, PoolStats, WeekBar};
use crate::consults::{Outcome, State, Urgency};
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use sqlx::PgPool;

/// Midnight (UTC) starting `day`.
fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// The statistics of `department`'s pool for consults sent from `from` to `to`, both days
/// included.
pub async fn pool_stats(
    pool: &PgPool,
    department: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<PoolStats, AppError> {
    let (start, end) = (start_of(from), start_of(to + chrono::Days::new(1)));
    let row = sqlx::query!(
        r#"
        with c as (
            select c.id, c.submitted_at, c.accepted_at, c.answered_at,
                   extract(epoch from c.accepted_at - c.submitted_at)::float8 / 3600 as ack_hours,
                   extract(epoch from c.answered_at - c.submitted_at - consult_paused(c.id))::float8
                       / 3600 as answer_hours,
                   coalesce(c.answered_at <= c.due_at, false) as in_target
            from consults c
            where c.pool_id = $1 and c.submitted_at >= $2 and c.submitted_at < $3
        ), weeks as (
            select w::date as week,
                   count(c.id) as received,
                   count(c.id) filter (where c.in_target) as within_target
            from generate_series(date_trunc('week', $2::timestamptz), $3::timestamptz - interval '1 second',
                                 interval '1 week') w
            left join c on c.submitted_at >= w and c.submitted_at < w + interval '1 week'
            group by w
        ), outcomes as (
            select k.outcome, count(*) as count
            from c join consult_closeouts k on k.consult_id = c.id
            group by k.outcome
        ), overdue as (
            select c.id, c.state, c.urgency, c.specialty, c.due_at, u.full_name as responder
            from consults c left join users u on u.id = c.responder_id
            where c.pool_id = $1 and c.state in ('submitted', 'accepted') and c.due_at < now()
            order by c.due_at, c.id
            limit 100
        )
        select
            (select count(*) from c) as "received!",
            (select count(accepted_at) from c) as "accepted!",
            (select count(answered_at) from c) as "answered!",
            (select count(*) from c where in_target) as "within_target!",
            (select percentile_cont(0.5) within group (order by ack_hours) from c) as ack_median,
            (select percentile_cont(0.9) within group (order by ack_hours) from c) as ack_p90,
            (select percentile_cont(0.5) within group (order by answer_hours) from c) as answer_median,
            (select percentile_cont(0.9) within group (order by answer_hours) from c) as answer_p90,
            coalesce((select jsonb_agg(to_jsonb(x) order by x.week) from weeks x), '[]')
                as "weeks!: Json<Vec<WeekBar>>",
            coalesce((select jsonb_agg(to_jsonb(x) order by x.outcome) from outcomes x), '[]')
                as "outcomes!: Json<Vec<OutcomeCount>>",
            coalesce((select jsonb_agg(to_jsonb(x) order by x.due_at, x.id) from overdue x), '[]')
                as "overdue!: Json<Vec<OverdueConsult>>"
        "#,
        department,
        start,
        end
    )
    .fetch_one(pool)
    .await?;
    Ok(PoolStats {
        from,
        to,
        received: row.received,
        accepted: row.accepted,
        answered: row.answered,
        within_target: row.within_target,
        ack_median: row.ack_median,
        ack_p90: row.ack_p90,
        answer_median: row.answer_median,
        answer_p90: row.answer_p90,
        weeks: row.weeks.0,
        outcomes: row.outcomes.0,
        overdue: row.overdue.0,
    })
}

/// One consult of the export: dates and numbers, never clinical text.
pub struct ExportRow {
    pub id: i64,
    pub submitted_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub urgency: Urgency,
    pub state: State,
    pub ack_hours: Option<f64>,
    pub answer_hours: Option<f64>,
    pub within_target: Option<bool>,
    pub outcome: Option<Outcome>,
}

/// The pool's consults sent from `from` to `to` (both included), by id, after `after`.
pub async fn export_batch(
    pool: &PgPool,
    department: i64,
    from: NaiveDate,
    to: NaiveDate,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<ExportRow>, AppError> {
    let (start, end) = (start_of(from), start_of(to + chrono::Days::new(1)));
    Ok(sqlx::query_as!(
        ExportRow,
        r#"
        select c.id, c.submitted_at as "submitted_at: DateTime<Utc>",
               c.accepted_at as "accepted_at: DateTime<Utc>",
               c.answered_at as "answered_at: DateTime<Utc>",
               c.ended_at as "ended_at: DateTime<Utc>",
               c.urgency as "urgency: Urgency", c.state as "state: State",
               extract(epoch from c.accepted_at - c.submitted_at)::float8 / 3600 as ack_hours,
               extract(epoch from c.answered_at - c.submitted_at - consult_paused(c.id))::float8
                   / 3600 as answer_hours,
               case when c.answered_at is not null then c.answered_at <= c.due_at end as within_target,
               k.outcome as "outcome?: Outcome"
        from consults c left join consult_closeouts k on k.consult_id = c.id
        where c.pool_id = $1 and c.submitted_at >= $2 and c.submitted_at < $3
          and ($4::int8 is null or c.id > $4)
        order by c.id
        limit $5
        "#,
        department,
        start,
        end,
        after,
        limit
    )
    .fetch_all(pool)
    .await?)
}

/// Verified members of `department` who do not respond for its pool yet: (id, name), by name.
pub async fn responder_candidates(
    pool: &PgPool,
    department: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query!(
        r#"
        select u.id, u.full_name from users u
        where u.department_id = $1 and u.deactivated_at is null and u.email_verified_at is not null
          and not exists (select 1 from consult_pool_responders r
                          where r.department_id = $1 and r.user_id = u.id)
        order by u.full_name, u.id
        limit 500
        "#,
        department
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.id, r.full_name))
    .collect())
}

/// Every department, for a site admin's choice: (id, "institution · department").
pub async fn departments(pool: &PgPool) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query!(
        r#"select d.id, (i.name || ' · ' || d.name) as "name!" from departments d
           join institutions i on i.id = d.institution_id order by i.name, d.name"#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.id, r.name))
    .collect())
}
