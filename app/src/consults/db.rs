//! Consults in PostgreSQL. Every change of state goes through [`step`]: one guarded
//! `update … where state = $from` and one appended event, so two people acting at once cannot
//! both succeed. Who may read is `consult_readable` (SQL), used by every query returning a
//! consult; who the reader is to it (`Party`) is worked out here from the same facts.

use crate::consults::{
    Action, Answer, Closeout, Consent, ConsentRecord, ConsultDetail, ConsultSummary, ConsultText,
    Event, Message, MessageKind, MyConsults, NewConsult, Party, Pool, Recipient, State,
};
use crate::discussion::NotificationKind;
use crate::error::AppError;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{PgConnection, PgPool};

pub mod find;
pub mod images;
pub mod stats;

/// The facts about a consult that decide who may do what.
#[derive(Debug, Clone)]
pub struct ConsultRow {
    pub id: i64,
    pub state: State,
    pub requester_id: i64,
    pub responder_id: Option<i64>,
    pub pool_id: Option<i64>,
    pub answered_at: Option<DateTime<Utc>>,
    /// The reader is one of the pool's responders.
    pub reader_responds_for_pool: bool,
    /// The reader is the pool's department admin.
    pub reader_admins_pool: bool,
}

impl ConsultRow {
    /// Who `reader` is to this consult; `None` when they are nobody to it.
    pub fn party(&self, reader: i64) -> Option<Party> {
        if self.requester_id == reader {
            return Some(Party::Requester);
        }
        if self.state == State::Draft {
            return None;
        }
        match (self.responder_id, self.pool_id) {
            (Some(r), None) if r == reader => return Some(Party::NamedResponder),
            (Some(r), Some(_)) if r == reader => return Some(Party::PoolResponder),
            (None, Some(_)) if self.reader_responds_for_pool && self.state == State::Submitted => {
                return Some(Party::PoolResponder)
            }
            _ => {}
        }
        self.reader_admins_pool.then_some(Party::PoolAdmin)
    }

    /// The people on the other side of `actor`, to be told of a step.
    pub fn others(&self, actor: i64) -> Vec<i64> {
        [Some(self.requester_id), self.responder_id]
            .into_iter()
            .flatten()
            .filter(|id| *id != actor)
            .collect()
    }
}

/// The consult as `reader` may see it, or `None` when they may not (`consult_readable`).
pub async fn row(pool: &PgPool, id: i64, reader: i64) -> Result<Option<ConsultRow>, AppError> {
    Ok(sqlx::query_as!(
        ConsultRow,
        r#"
        select c.id, c.state as "state: State", c.requester_id, c.responder_id, c.pool_id,
               c.answered_at as "answered_at: DateTime<Utc>",
               exists (select 1 from consult_pool_responders r
                       where r.department_id = c.pool_id and r.user_id = $2) as "reader_responds_for_pool!",
               exists (select 1 from users u
                       where u.id = $2 and u.role = 'department_admin'
                         and u.department_id = c.pool_id and u.deactivated_at is null) as "reader_admins_pool!"
        from consults c
        where c.id = $1 and consult_readable(c, $2)
        "#,
        id,
        reader
    )
    .fetch_optional(pool)
    .await?)
}

/// Whether consult `id` was sent to a pool `user` responds for and has been taken by someone
/// else (so a late "accept" is a conflict, not a missing consult).
pub async fn taken_in_my_pool(pool: &PgPool, id: i64, user: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select exists (
               select 1 from consults c
               join consult_pool_responders r on r.department_id = c.pool_id and r.user_id = $2
               where c.id = $1 and c.state <> 'draft' and c.responder_id is distinct from $2
           ) as "taken!""#,
        id,
        user
    )
    .fetch_one(pool)
    .await?)
}

/// A new draft, written at `now`; returns its id. Its creation is the first event.
pub async fn create_draft(
    pool: &PgPool,
    requester: i64,
    new: &NewConsult,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let (responder, pool_id) = match new.to {
        Recipient::Named(user) => (Some(user), None),
        Recipient::Pool(department) => (None, Some(department)),
    };
    let t = &new.text;
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        r#"
        insert into consults (requester_id, responder_id, pool_id, specialty, urgency, question,
                              situation, background, assessment, ask, findings, investigations,
                              medicines, tried, age_band, sex, created_at, updated_at)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
        returning id
        "#,
        requester,
        responder,
        pool_id,
        t.specialty,
        t.urgency as _,
        t.question,
        t.situation,
        t.background,
        t.assessment,
        t.ask,
        t.findings,
        t.investigations,
        t.medicines,
        t.tried,
        t.age_band as _,
        t.sex as _,
        now,
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into consult_events (consult_id, actor_id, at, to_state, detail)
         values ($1, $2, $3, 'draft', 'created')",
        id,
        requester,
        now
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Rewrites a draft's text (only while it is a draft).
pub async fn update_draft(
    pool: &PgPool,
    id: i64,
    requester: i64,
    t: &ConsultText,
) -> Result<(), AppError> {
    let updated = sqlx::query!(
        r#"
        update consults set specialty = $3, urgency = $4, question = $5, situation = $6,
               background = $7, assessment = $8, ask = $9, findings = $10, investigations = $11,
               medicines = $12, tried = $13, age_band = $14, sex = $15, updated_at = now()
        where id = $1 and requester_id = $2 and state = 'draft'
        "#,
        id,
        requester,
        t.specialty,
        t.urgency as _,
        t.question,
        t.situation,
        t.background,
        t.assessment,
        t.ask,
        t.findings,
        t.investigations,
        t.medicines,
        t.tried,
        t.age_band as _,
        t.sex as _,
    )
    .execute(pool)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(AppError::conflict(
            "This consult has been sent already; its request can no longer be changed.",
        ));
    }
    Ok(())
}

/// A consult's request text, for the privacy guard and the page (or, in a transaction holding
/// the consult's row, for a teaching draft: the purge cannot blank it half-way).
pub async fn text<'e>(db: impl sqlx::PgExecutor<'e>, id: i64) -> Result<ConsultText, AppError> {
    Ok(sqlx::query_as!(
        ConsultText,
        r#"
        select specialty, urgency as "urgency: _", question, situation, background, assessment,
               ask, age_band as "age_band: _", sex as "sex: _", findings, investigations,
               medicines, tried
        from consults where id = $1
        "#,
        id
    )
    .fetch_one(db)
    .await?)
}

/// One step of the state machine, guarded: the consult changes only if it is still in `from`
/// (and, for an acceptance, still unclaimed or addressed to `actor`). Returns whether it did;
/// when it did, the event is appended in the same transaction. `due_hours` sets the answer clock
/// on submission.
#[allow(clippy::too_many_arguments)]
pub async fn step(
    tx: &mut PgConnection,
    id: i64,
    from: State,
    to: State,
    action: Action,
    actor: Option<i64>,
    now: DateTime<Utc>,
    due_hours: Option<i32>,
    detail: Option<&str>,
) -> Result<bool, AppError> {
    let moved = sqlx::query!(
        r#"
        update consults set
            state = $3::consult_state,
            updated_at = $6,
            submitted_at = case when $4 = 'submit' then $6 else submitted_at end,
            due_at = case when $4 = 'submit' then $6 + make_interval(hours => $7)
                          when $4 = 'provide_info' and paused_at is not null
                               then due_at + ($6 - paused_at)
                          else due_at end,
            paused_at = case when $4 = 'request_info' then $6
                             when $4 = 'provide_info' then null else paused_at end,
            responder_id = case when $4 = 'accept' then $5
                                when $4 = 'decline' and pool_id is not null then null
                                else responder_id end,
            accepted_at = case when $4 = 'accept' then $6
                               when $4 = 'decline' and pool_id is not null then null
                               else accepted_at end,
            answered_at = case when $4 = 'answer' then $6 else answered_at end,
            ended_at = case when $3::consult_state in ('closed', 'declined', 'cancelled', 'expired')
                            then coalesce(ended_at, $6) else ended_at end,
            escalated_at = case when $4 = 'escalate' then $6 else escalated_at end,
            overdue_at = case when $4 = 'mark_overdue' then $6 else overdue_at end,
            purged_at = case when $4 = 'purge' then $6 else purged_at end
        where id = $1 and state = $2
          and ($4 <> 'accept' or responder_id = $5 or (pool_id is not null and responder_id is null))
        "#,
        id,
        from as State,
        to as State,
        action.as_str(),
        actor,
        now,
        due_hours.unwrap_or(0),
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if moved {
        sqlx::query!(
            r#"
            insert into consult_events (consult_id, actor_id, at, from_state, to_state, action, detail)
            values ($1, $2, $3, $4, $5, $6, $7)
            "#,
            id,
            actor,
            now,
            from as State,
            to as State,
            action as Action,
            detail
        )
        .execute(&mut *tx)
        .await?;
        metrics::counter!("corridor_consult_steps_total", "action" => action.as_str()).increment(1);
    }
    Ok(moved)
}

/// Records the patient's consent with the request.
pub async fn record_consent(
    tx: &mut PgConnection,
    id: i64,
    consent: &ConsentRecord,
    by: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into consult_consents (consult_id, method, obtained_on, recorded_by)
        values ($1, $2, $3, $4)
        on conflict (consult_id) do update
           set method = excluded.method, obtained_on = excluded.obtained_on,
               recorded_by = excluded.recorded_by, recorded_at = now()
        "#,
        id,
        consent.method as _,
        consent.obtained_on,
        by
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// The answer targets for a new consult: (answer hours, by urgency) from its pool, or the
/// defaults for a named colleague.
pub async fn due_hours(pool: &PgPool, id: i64) -> Result<i32, AppError> {
    let row = sqlx::query!(
        r#"
        select c.urgency as "urgency: crate::consults::Urgency", p.routine_hours as "routine?",
               p.soon_hours as "soon?"
        from consults c left join consult_pools p on p.department_id = c.pool_id
        where c.id = $1
        "#,
        id
    )
    .fetch_one(pool)
    .await?;
    Ok(match row.urgency {
        crate::consults::Urgency::Routine => {
            row.routine.unwrap_or(crate::consults::NAMED_ROUTINE_HOURS)
        }
        crate::consults::Urgency::Soon => row.soon.unwrap_or(crate::consults::NAMED_SOON_HOURS),
    })
}

pub async fn add_message(
    tx: &mut PgConnection,
    id: i64,
    kind: MessageKind,
    author: i64,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query!(
        "insert into consult_messages (consult_id, kind, author_id, body, created_at)
         values ($1, $2, $3, $4, $5)",
        id,
        kind as MessageKind,
        author,
        body,
        now
    )
    .execute(tx)
    .await?;
    Ok(())
}

pub async fn save_answer(
    tx: &mut PgConnection,
    id: i64,
    answer: &Answer,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into consult_answers (consult_id, impression, recommendations, red_flags, referral,
                                     investigations, citations, free_text, answered_by, answered_at)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        "#,
        id,
        answer.impression,
        answer.recommendations,
        answer.red_flags,
        answer.referral as _,
        answer.investigations,
        answer.citations,
        answer.free_text,
        by,
        now
    )
    .execute(tx)
    .await?;
    Ok(())
}

pub async fn save_closeout(
    tx: &mut PgConnection,
    id: i64,
    closeout: &Closeout,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into consult_closeouts (consult_id, useful, educational, outcome, note, closed_by,
                                       closed_at)
        values ($1, $2, $3, $4, $5, $6, $7)
        "#,
        id,
        closeout.useful,
        closeout.educational,
        closeout.outcome as _,
        closeout.note,
        by,
        now
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// The requester's accepted privacy findings for this consult: (kind, text).
pub async fn privacy_overrides(pool: &PgPool, id: i64) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query!(
        "select kind, text from consult_privacy_overrides where consult_id = $1",
        id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.kind, r.text))
    .collect())
}

pub async fn record_privacy_override(
    pool: &PgPool,
    id: i64,
    kind: &str,
    text: &str,
    reason: &str,
    by: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into consult_privacy_overrides (consult_id, kind, text, reason, recorded_by)
        values ($1, $2, $3, $4, $5)
        on conflict (consult_id, kind, text)
        do update set reason = excluded.reason, recorded_by = excluded.recorded_by, recorded_at = now()
        "#,
        id,
        kind,
        text,
        reason,
        by
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Tells `users` about a step, in the app (the page lists these under Notifications).
pub async fn notify(
    tx: &mut PgConnection,
    id: i64,
    users: &[i64],
    kind: NotificationKind,
    actor: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into notifications (user_id, kind, consult_id, actor_id)
        select u, $3, $1, $4 from unnest($2::int8[]) as u
        "#,
        id,
        users,
        kind as NotificationKind,
        actor
    )
    .execute(tx)
    .await?;
    Ok(())
}

/// Addresses and names of `users`, for mail.
pub async fn mail_addresses(
    pool: &PgPool,
    users: &[i64],
) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query!(
        "select email, full_name from users where id = any($1) and deactivated_at is null",
        users
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.email, r.full_name))
    .collect())
}

/// The pool's responders, and its admins (who route and are told of escalations).
pub async fn pool_people(pool: &PgPool, department: i64) -> Result<(Vec<i64>, Vec<i64>), AppError> {
    let responders = sqlx::query_scalar!(
        "select user_id from consult_pool_responders where department_id = $1",
        department
    )
    .fetch_all(pool)
    .await?;
    let admins = sqlx::query_scalar!(
        "select id from users where department_id = $1 and role = 'department_admin'
           and deactivated_at is null",
        department
    )
    .fetch_all(pool)
    .await?;
    Ok((responders, admins))
}

/// Whether `user` can be sent a consult by name: an active account with a verified address and
/// a verified department membership.
pub async fn consultable(pool: &PgPool, user: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select exists (select 1 from users where id = $1 and deactivated_at is null
                          and email_verified_at is not null and department_id is not null) as "ok!""#,
        user
    )
    .fetch_one(pool)
    .await?)
}

/// A pool by its department, with its responders.
pub async fn pool(pool: &PgPool, department: i64) -> Result<Option<Pool>, AppError> {
    let Some(row) = sqlx::query!(
        r#"
        select p.department_id, (i.name || ' · ' || d.name) as "name!", p.accepting,
               p.routine_hours, p.soon_hours, p.ack_hours
        from consult_pools p join departments d on d.id = p.department_id
        join institutions i on i.id = d.institution_id
        where p.department_id = $1
        "#,
        department
    )
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let responders = sqlx::query!(
        r#"select u.id, u.full_name from consult_pool_responders r join users u on u.id = r.user_id
           where r.department_id = $1 order by u.full_name, u.id"#,
        department
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.id, r.full_name))
    .collect();
    Ok(Some(Pool {
        department_id: row.department_id,
        name: row.name,
        accepting: row.accepting,
        routine_hours: row.routine_hours,
        soon_hours: row.soon_hours,
        ack_hours: row.ack_hours,
        responders,
    }))
}

/// Creates or changes a department's pool.
pub async fn set_pool(
    pool: &PgPool,
    department: i64,
    accepting: bool,
    routine_hours: i32,
    soon_hours: i32,
    ack_hours: i32,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into consult_pools (department_id, accepting, routine_hours, soon_hours, ack_hours)
        values ($1, $2, $3, $4, $5)
        on conflict (department_id) do update
           set accepting = excluded.accepting, routine_hours = excluded.routine_hours,
               soon_hours = excluded.soon_hours, ack_hours = excluded.ack_hours
        "#,
        department,
        accepting,
        routine_hours,
        soon_hours,
        ack_hours
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Names (or, with `add` false, removes) a responder of the pool; they must be a member of its
/// department with a confirmed address (as `consultable` asks of a named colleague).
pub async fn set_responder(
    pool: &PgPool,
    department: i64,
    user: i64,
    add: bool,
    by: i64,
) -> Result<bool, AppError> {
    let changed = if add {
        sqlx::query!(
            r#"
            insert into consult_pool_responders (department_id, user_id, added_by)
            select $1, u.id, $3 from users u
            where u.id = $2 and u.department_id = $1 and u.deactivated_at is null
              and u.email_verified_at is not null
            on conflict do nothing
            "#,
            department,
            user,
            by
        )
        .execute(pool)
        .await?
        .rows_affected()
    } else {
        sqlx::query!(
            "delete from consult_pool_responders where department_id = $1 and user_id = $2",
            department,
            user
        )
        .execute(pool)
        .await?
        .rows_affected()
    };
    Ok(changed > 0)
}

/// Whether the pool exists and takes consults now.
pub async fn pool_accepting(pool: &PgPool, department: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select exists (select 1 from consult_pools where department_id = $1 and accepting) as "ok!""#,
        department
    )
    .fetch_one(pool)
    .await?)
}

/// The consult in full, for a reader `consult_readable` lets in (the caller checked).
pub async fn detail(
    pool: &PgPool,
    row: &ConsultRow,
    viewer: Party,
) -> Result<ConsultDetail, AppError> {
    let id = row.id;
    let c = sqlx::query!(
        r#"
        select req.full_name as requester_name, resp.full_name as "responder_name?",
               (i.name || ' · ' || d.name) as "pool_name?",
               c.submitted_at as "submitted_at: DateTime<Utc>",
               c.accepted_at as "accepted_at: DateTime<Utc>",
               c.answered_at as "answered_at: DateTime<Utc>",
               c.ended_at as "ended_at: DateTime<Utc>", c.due_at as "due_at: DateTime<Utc>",
               c.paused_at is not null as "paused!", c.escalated_at is not null as "escalated!",
               c.overdue_at is not null as "overdue!", c.purged_at is not null as "purged!"
        from consults c
        join users req on req.id = c.requester_id
        left join users resp on resp.id = c.responder_id
        left join departments d on d.id = c.pool_id
        left join institutions i on i.id = d.institution_id
        where c.id = $1
        "#,
        id
    )
    .fetch_one(pool)
    .await?;
    let consent = sqlx::query!(
        r#"select k.method as "method: crate::consults::ConsentMethod", k.obtained_on,
                  u.full_name, k.recorded_at as "recorded_at: DateTime<Utc>"
           from consult_consents k join users u on u.id = k.recorded_by where k.consult_id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .map(|r| Consent {
        method: r.method,
        obtained_on: r.obtained_on,
        recorded_by: r.full_name,
        recorded_at: r.recorded_at,
    });
    let answer = sqlx::query_as!(
        Answer,
        r#"select impression, recommendations, red_flags, referral as "referral: _",
                  investigations, citations, free_text
           from consult_answers where consult_id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    let closeout = sqlx::query_as!(
        Closeout,
        r#"select useful, educational, outcome as "outcome: _", note
           from consult_closeouts where consult_id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    let messages = sqlx::query_as!(
        Message,
        r#"select m.kind as "kind: _", u.full_name as author_name, m.body,
                  m.created_at as "created_at: DateTime<Utc>"
           from consult_messages m join users u on u.id = m.author_id
           where m.consult_id = $1 order by m.created_at, m.id"#,
        id
    )
    .fetch_all(pool)
    .await?;
    Ok(ConsultDetail {
        id,
        state: row.state,
        requester_id: row.requester_id,
        requester_name: c.requester_name,
        responder_id: row.responder_id,
        responder_name: c.responder_name,
        pool_id: row.pool_id,
        pool_name: c.pool_name,
        text: text(pool, id).await?,
        consent,
        answer,
        closeout,
        messages,
        images: images::for_consult(pool, id).await?,
        events: events(pool, id).await?,
        submitted_at: c.submitted_at,
        accepted_at: c.accepted_at,
        answered_at: c.answered_at,
        ended_at: c.ended_at,
        due_at: c.due_at,
        paused: c.paused,
        escalated: c.escalated,
        overdue: c.overdue,
        purged: c.purged,
        viewer,
        teaching: crate::consults::teaching::db::proposal(pool, id).await?,
    })
}

/// A consult's history, oldest first.
pub async fn events(pool: &PgPool, id: i64) -> Result<Vec<Event>, AppError> {
    Ok(sqlx::query_as!(
        Event,
        r#"select e.at as "at: DateTime<Utc>", u.full_name as "actor_name?",
                  e.from_state as "from_state: _", e.to_state as "to_state: _",
                  e.action as "action: _", e.detail
           from consult_events e left join users u on u.id = e.actor_id
           where e.consult_id = $1 order by e.at, e.id"#,
        id
    )
    .fetch_all(pool)
    .await?)
}

/// The reader's consults: sent, to answer (due first), and waiting in their pools.
pub async fn mine(pool: &PgPool, user: i64) -> Result<MyConsults, AppError> {
    let list = |rows: Vec<SummaryRow>| rows.into_iter().map(ConsultSummary::from).collect();
    let requested = sqlx::query_as!(
        SummaryRow,
        r#"select c.id, c.state as "state: State", c.urgency as "urgency: _", c.specialty,
                  c.question, req.full_name as requester_name, resp.full_name as "responder_name?",
                  d.name as "pool_name?", c.due_at as "due_at: DateTime<Utc>",
                  c.overdue_at is not null as "overdue!", c.escalated_at is not null as "escalated!",
                  c.updated_at as "updated_at: DateTime<Utc>"
           from consults c join users req on req.id = c.requester_id
           left join users resp on resp.id = c.responder_id
           left join departments d on d.id = c.pool_id
           where c.requester_id = $1
           order by c.updated_at desc, c.id desc limit 100"#,
        user
    )
    .fetch_all(pool)
    .await?;
    let responding = sqlx::query_as!(
        SummaryRow,
        r#"select c.id, c.state as "state: State", c.urgency as "urgency: _", c.specialty,
                  c.question, req.full_name as requester_name, resp.full_name as "responder_name?",
                  d.name as "pool_name?", c.due_at as "due_at: DateTime<Utc>",
                  c.overdue_at is not null as "overdue!", c.escalated_at is not null as "escalated!",
                  c.updated_at as "updated_at: DateTime<Utc>"
           from consults c join users req on req.id = c.requester_id
           left join users resp on resp.id = c.responder_id
           left join departments d on d.id = c.pool_id
           where c.responder_id = $1 and c.state <> 'draft'
           order by c.ended_at is not null, c.due_at nulls last, c.id desc limit 100"#,
        user
    )
    .fetch_all(pool)
    .await?;
    let pool_queue = sqlx::query_as!(
        SummaryRow,
        r#"select c.id, c.state as "state: State", c.urgency as "urgency: _", c.specialty,
                  c.question, req.full_name as requester_name, resp.full_name as "responder_name?",
                  d.name as "pool_name?", c.due_at as "due_at: DateTime<Utc>",
                  c.overdue_at is not null as "overdue!", c.escalated_at is not null as "escalated!",
                  c.updated_at as "updated_at: DateTime<Utc>"
           from consults c join users req on req.id = c.requester_id
           left join users resp on resp.id = c.responder_id
           join departments d on d.id = c.pool_id
           where c.state = 'submitted' and c.responder_id is null and c.requester_id <> $1
             and consult_readable(c, $1)
           order by c.due_at nulls last, c.id limit 100"#,
        user
    )
    .fetch_all(pool)
    .await?;
    Ok(MyConsults {
        requested: list(requested),
        responding: list(responding),
        pool_queue: list(pool_queue),
    })
}

struct SummaryRow {
    id: i64,
    state: State,
    urgency: crate::consults::Urgency,
    specialty: String,
    question: String,
    requester_name: String,
    responder_name: Option<String>,
    pool_name: Option<String>,
    due_at: Option<DateTime<Utc>>,
    overdue: bool,
    escalated: bool,
    updated_at: DateTime<Utc>,
}

impl From<SummaryRow> for ConsultSummary {
    fn from(r: SummaryRow) -> Self {
        ConsultSummary {
            id: r.id,
            state: r.state,
            urgency: r.urgency,
            specialty: r.specialty,
            question: r.question,
            requester_name: r.requester_name,
            responder_name: r.responder_name,
            pool_name: r.pool_name,
            due_at: r.due_at,
            overdue: r.overdue,
            escalated: r.escalated,
            updated_at: r.updated_at,
        }
    }
}

/// Today in India, where consent dates are written.
pub fn today_ist(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::minutes(330)).date_naive()
}

/// Consults being waited on past their due time (not yet answered, the clock not paused),
/// for the operators' metrics.
pub async fn overdue_count(pool: &PgPool) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        select count(*) as "n!" from consults
        where state in ('submitted', 'accepted') and due_at < now()
        "#
    )
    .fetch_one(pool)
    .await?)
}
