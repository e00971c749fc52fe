//! Consult housekeeping, run hourly by the server (and by tests with a clock of their own: every
//! function takes `now`). Each one finds the consults due for a step and takes it through the same
//! guarded [`step`] as people do, so a consult a person moved meanwhile is simply left alone.
//!
//! - escalate: a pool consult nobody accepted within the pool's acknowledgement time; its
//!   admins are told.
//! - mark overdue: a consult not answered by its due time; both sides are told.
//! - auto-close: an answered consult the requester did not close within 14 days.
//! - expire: a consult nobody accepted, or whose requested information never came, in 14 days.
//! - purge: the clinical text of consults ended longer ago than the retention period is blanked
//!   and their images' files deleted; who, when, specialty, timings, ratings, outcome, consent
//!   record, events, and that images were attached (their rows, emptied) remain.

use super::db::{self, step};
use super::notice::{self, Post};
use crate::consults::{Action, State, EXPIRY_DAYS, FOLLOW_UP_DAYS};
use crate::discussion::NotificationKind;
use crate::error::AppError;
use crate::media::store::Media;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

/// How many consults each chore moved.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub escalated: usize,
    pub overdue: usize,
    pub auto_closed: usize,
    pub expired: usize,
    pub purged: usize,
}

/// Every chore, in order; the first failure stops the round (the next hour tries again).
pub async fn run(
    pool: &PgPool,
    media: &Media,
    post: Option<Post<'_>>,
    now: DateTime<Utc>,
    retention_days: i32,
) -> Result<Report, AppError> {
    Ok(Report {
        escalated: escalate(pool, post, now).await?,
        overdue: mark_overdue(pool, post, now).await?,
        auto_closed: auto_close(pool, now).await?,
        expired: expire(pool, now).await?,
        purged: purge(pool, media, now, retention_days).await?,
    })
}

/// Pool consults still unaccepted past the pool's acknowledgement time: flagged once, and the
/// pool's admins told.
pub async fn escalate(
    pool: &PgPool,
    post: Option<Post<'_>>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let due = sqlx::query!(
        r#"
        select c.id, c.requester_id, c.pool_id as "pool_id!"
        from consults c join consult_pools p on p.department_id = c.pool_id
        where c.state = 'submitted' and c.responder_id is null and c.escalated_at is null
          and c.submitted_at + make_interval(hours => p.ack_hours) < $1
        "#,
        now
    )
    .fetch_all(pool)
    .await?;
    let mut done = 0;
    for c in due {
        let (_, admins) = db::pool_people(pool, c.pool_id).await?;
        let mut tx = pool.begin().await?;
        let detail = "not accepted within the pool's acknowledgement time";
        let moved = step(
            &mut tx,
            c.id,
            State::Submitted,
            State::Submitted,
            Action::Escalate,
            None,
            now,
            None,
            Some(detail),
        )
        .await?;
        if moved {
            let kind = NotificationKind::ConsultEscalated;
            db::notify(&mut tx, c.id, &admins, kind, c.requester_id).await?;
        }
        tx.commit().await?;
        if moved {
            notice::mail(
                pool,
                post,
                c.id,
                &admins,
                NotificationKind::ConsultEscalated,
            )
            .await?;
            done += 1;
        }
    }
    Ok(done)
}

/// Consults past their due time and still unanswered (the clock does not run while
/// information is requested): flagged once, and both sides told (the pool's admins while
/// nobody has accepted it).
pub async fn mark_overdue(
    pool: &PgPool,
    post: Option<Post<'_>>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let due = sqlx::query!(
        r#"
        select id, state as "state: State", requester_id, responder_id, pool_id
        from consults
        where state in ('submitted', 'accepted') and overdue_at is null and due_at < $1
        "#,
        now
    )
    .fetch_all(pool)
    .await?;
    let mut done = 0;
    for c in due {
        let mut told = vec![c.requester_id];
        match (c.responder_id, c.pool_id) {
            (Some(responder), _) => told.push(responder),
            (None, Some(department)) => told.extend(db::pool_people(pool, department).await?.1),
            (None, None) => {}
        }
        let mut tx = pool.begin().await?;
        let moved = step(
            &mut tx,
            c.id,
            c.state,
            c.state,
            Action::MarkOverdue,
            None,
            now,
            None,
            Some("not answered by its due time"),
        )
        .await?;
        if moved {
            let kind = NotificationKind::ConsultOverdue;
            db::notify(&mut tx, c.id, &told, kind, c.requester_id).await?;
        }
        tx.commit().await?;
        if moved {
            notice::mail(pool, post, c.id, &told, NotificationKind::ConsultOverdue).await?;
            done += 1;
        }
    }
    Ok(done)
}

/// Answered consults the requester left open for 14 days close themselves (without a
/// close-out).
pub async fn auto_close(pool: &PgPool, now: DateTime<Utc>) -> Result<usize, AppError> {
    let cutoff = now - Duration::days(FOLLOW_UP_DAYS);
    let due = sqlx::query!(
        r#"select id, state as "state: State" from consults
           where state in ('answered', 'follow_up') and answered_at < $1"#,
        cutoff
    )
    .fetch_all(pool)
    .await?;
    end_each(
        pool,
        due.into_iter().map(|c| (c.id, c.state)),
        State::Closed,
        Action::AutoClose,
        now,
        "closed 14 days after the answer",
    )
    .await
}

/// Consults nobody accepted, or whose requested information never came, within 14 days.
pub async fn expire(pool: &PgPool, now: DateTime<Utc>) -> Result<usize, AppError> {
    let cutoff = now - Duration::days(EXPIRY_DAYS);
    let due = sqlx::query!(
        r#"select id, state as "state: State" from consults
           where (state = 'submitted' and submitted_at < $1)
              or (state = 'info_requested' and paused_at < $1)"#,
        cutoff
    )
    .fetch_all(pool)
    .await?;
    end_each(
        pool,
        due.into_iter().map(|c| (c.id, c.state)),
        State::Expired,
        Action::Expire,
        now,
        "no response within 14 days",
    )
    .await
}

/// Takes Corridor's step `action` to `to` for each (consult, state it was read in), each in
/// its own transaction; a consult that moved on meanwhile is left alone. How many moved.
async fn end_each(
    pool: &PgPool,
    due: impl Iterator<Item = (i64, State)>,
    to: State,
    action: Action,
    now: DateTime<Utc>,
    detail: &str,
) -> Result<usize, AppError> {
    let mut done = 0;
    for (id, from) in due {
        let mut tx = pool.begin().await?;
        if step(&mut tx, id, from, to, action, None, now, None, Some(detail)).await? {
            done += 1;
        }
        tx.commit().await?;
    }
    Ok(done)
}

/// Blanks the clinical text of consults that ended more than `retention_days` ago: the
/// request, the answer's texts, the messages, the close-out note and the privacy overrides
/// (whose text may be an identifier). What remains is the record: who, when, specialty,
/// urgency, timings, referral advice, ratings, outcome, the consent record and every event.
pub async fn purge(
    pool: &PgPool,
    media: &Media,
    now: DateTime<Utc>,
    retention_days: i32,
) -> Result<usize, AppError> {
    let cutoff = now - Duration::days(i64::from(retention_days.max(30)));
    let due = sqlx::query!(
        r#"select id, state as "state: State" from consults
           where purged_at is null and ended_at < $1"#,
        cutoff
    )
    .fetch_all(pool)
    .await?;
    let mut done = 0;
    for c in due {
        // The files go first: should the store fail, nothing is marked purged and the next round
        // tries again; should the database fail after, the rows point at files already gone
        // (served as "not found"), never the other way round.
        for key in db::images::keys(pool, c.id).await? {
            media.delete(&key).await.map_err(|error| {
                tracing::error!(%error, consult_id = c.id, "could not delete a consult image");
                AppError::internal("image store unavailable")
            })?;
        }
        let mut tx = pool.begin().await?;
        db::images::purge(&mut tx, c.id).await?;
        sqlx::query!(
            r#"
            update consults set question = '', situation = '', background = '', assessment = '',
                   ask = '', findings = '', investigations = '', medicines = '', tried = '',
                   age_band = null, sex = null
            where id = $1
            "#,
            c.id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            r#"update consult_answers set impression = '', recommendations = '', red_flags = '',
                      investigations = '', citations = '', free_text = ''
               where consult_id = $1"#,
            c.id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "update consult_messages set body = '' where consult_id = $1",
            c.id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "update consult_closeouts set note = '' where consult_id = $1",
            c.id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "delete from consult_privacy_overrides where consult_id = $1",
            c.id
        )
        .execute(&mut *tx)
        .await?;
        let detail = format!("clinical text removed after {retention_days} days");
        if step(
            &mut tx,
            c.id,
            c.state,
            c.state,
            Action::Purge,
            None,
            now,
            None,
            Some(&detail),
        )
        .await?
        {
            done += 1;
        }
        tx.commit().await?;
    }
    Ok(done)
}
