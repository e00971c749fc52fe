//! Attempts: starting, answering (under a row lock), submitting.

use super::*;

pub async fn attempts_of(
    pool: &PgPool,
    quiz_id: i64,
    user_id: i64,
) -> Result<Vec<AttemptSummary>, AppError> {
    Ok(sqlx::query_as!(
        AttemptSummary,
        r#"
        select id, started_at as "started_at: DateTime<Utc>",
               submitted_at as "submitted_at: DateTime<Utc>", score, passed
        from quiz_attempts where quiz_id = $1 and user_id = $2
        order by started_at desc, id desc
        "#,
        quiz_id,
        user_id
    )
    .fetch_all(pool)
    .await?)
}

/// An attempt with what is needed to check who may touch it and whether it is still open.
#[derive(Debug, Clone)]
pub struct AttemptRow {
    pub id: i64,
    pub quiz_id: i64,
    pub case_id: i64,
    pub user_id: i64,
    pub started_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub score: Option<f64>,
    pub passed: Option<bool>,
}

pub async fn attempt(pool: &PgPool, attempt_id: i64) -> Result<Option<AttemptRow>, AppError> {
    Ok(sqlx::query_as!(
        AttemptRow,
        r#"
        select a.id, a.quiz_id, q.case_id, a.user_id, a.started_at as "started_at: DateTime<Utc>",
               a.deadline as "deadline: DateTime<Utc>",
               a.submitted_at as "submitted_at: DateTime<Utc>", a.score, a.passed
        from quiz_attempts a join quizzes q on q.id = a.quiz_id
        where a.id = $1
        "#,
        attempt_id
    )
    .fetch_optional(pool)
    .await?)
}

/// Why an attempt cannot start.
#[derive(Debug, PartialEq, Eq)]
pub enum StartRefused {
    NoAttemptsLeft(i32),
}

/// Resumes the learner's open attempt, or starts one if attempts remain. Two tabs starting at
/// once end up in the same attempt (the open-attempt index allows one).
pub async fn start_attempt(
    pool: &PgPool,
    quiz_id: i64,
    user_id: i64,
    settings: &QuizSettings,
) -> Result<Result<i64, StartRefused>, AppError> {
    let mut tx = pool.begin().await?;
    // Serialise starts of this learner on this quiz.
    sqlx::query!(
        "select pg_advisory_xact_lock($1, $2)",
        quiz_id as i32,
        user_id as i32
    )
    .execute(&mut *tx)
    .await?;
    if let Some(open) = sqlx::query_scalar!(
        "select id from quiz_attempts where quiz_id = $1 and user_id = $2 and submitted_at is null",
        quiz_id,
        user_id
    )
    .fetch_optional(&mut *tx)
    .await?
    {
        tx.commit().await?;
        return Ok(Ok(open));
    }
    if let Some(allowed) = settings.attempts_allowed {
        let used: i64 = sqlx::query_scalar!(
            r#"select count(*) as "n!" from quiz_attempts where quiz_id = $1 and user_id = $2"#,
            quiz_id,
            user_id
        )
        .fetch_one(&mut *tx)
        .await?;
        if used >= allowed as i64 {
            // End the transaction now: a dropped one keeps its locks until the pooled
            // connection is next used.
            tx.rollback().await?;
            return Ok(Err(StartRefused::NoAttemptsLeft(allowed)));
        }
    }
    let id = sqlx::query_scalar!(
        r#"
        insert into quiz_attempts (quiz_id, user_id, deadline)
        values ($1, $2, case when $3::int is null then null
                             else now() + make_interval(mins => $3::int) end)
        returning id
        "#,
        quiz_id,
        user_id,
        settings.time_limit_minutes
    )
    .fetch_one(&mut *tx)
    .await?;
    // The attempt's questions and their numbers, fixed from now on: the module's questions
    // still offered, in its order. The module's row is share-locked so that an author's delete
    // of a question (which locks it for update) sees this attempt or happens before it.
    sqlx::query!("select id from quizzes where id = $1 for share", quiz_id)
        .fetch_optional(&mut *tx)
        .await?;
    sqlx::query!(
        r#"
        insert into quiz_attempt_questions (attempt_id, number, question_id)
        select $1, row_number() over (order by position, id), question_id
        from quiz_module_questions
        where quiz_id = $2 and removed_at is null
        "#,
        id,
        quiz_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// What happened to an answer.
#[derive(Debug, PartialEq)]
pub enum AnswerOutcome {
    Saved,
    /// The same answer again: nothing changed.
    Unchanged,
    Submitted,
    TimeUp,
    /// A different answer to a question already answered, when feedback follows each answer.
    AlreadyAnswered,
}

/// Stores an answer the moment it is given, unless the attempt is over.
pub async fn save_answer(
    pool: &PgPool,
    attempt_id: i64,
    question_id: i64,
    response: &Response,
    fraction: f64,
    final_once_answered: bool,
) -> Result<AnswerOutcome, AppError> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        r#"
        select submitted_at is not null as "submitted!",
               coalesce(deadline < now(), false) as "late!"
        from quiz_attempts where id = $1 for update
        "#,
        attempt_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if row.submitted || row.late {
        // Release the attempt's row lock at once (see `start_attempt`).
        tx.rollback().await?;
        return Ok(if row.submitted {
            AnswerOutcome::Submitted
        } else {
            AnswerOutcome::TimeUp
        });
    }
    let existing = sqlx::query_scalar!(
        r#"select response as "response: Json<Response>" from quiz_answers where attempt_id = $1 and question_id = $2"#,
        attempt_id,
        question_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let outcome = match existing {
        Some(Json(previous)) if previous == *response => AnswerOutcome::Unchanged,
        Some(_) if final_once_answered => AnswerOutcome::AlreadyAnswered,
        _ => {
            sqlx::query!(
                r#"
                insert into quiz_answers (attempt_id, question_id, response, fraction)
                values ($1, $2, $3, $4)
                on conflict (attempt_id, question_id) do update
                set response = excluded.response, fraction = excluded.fraction, answered_at = now()
                "#,
                attempt_id,
                question_id,
                Json(response) as _,
                fraction
            )
            .execute(&mut *tx)
            .await?;
            AnswerOutcome::Saved
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// The answers of an attempt: (question id, response, fraction).
pub async fn answers(
    pool: &PgPool,
    attempt_id: i64,
) -> Result<Vec<(i64, Response, f64)>, AppError> {
    let rows = sqlx::query!(
        r#"
        select question_id, response as "response: Json<Response>", fraction
        from quiz_answers where attempt_id = $1
        "#,
        attempt_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.question_id, r.response.0, r.fraction))
        .collect())
}

/// Grades and closes an attempt (unanswered questions score nothing). Submitting twice returns
/// the first result.
pub async fn submit(
    pool: &PgPool,
    attempt_id: i64,
    pass_mark: i32,
) -> Result<(f64, bool), AppError> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query!(
        r#"select score, passed from quiz_attempts where id = $1 for update"#,
        attempt_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if let (Some(score), Some(passed)) = (row.score, row.passed) {
        tx.rollback().await?;
        return Ok((score, passed));
    }
    let score: f64 = sqlx::query_scalar!(
        r#"
        select coalesce(sum(a.fraction), 0)::float8 / greatest(count(q.question_id), 1) as "score!"
        from quiz_attempts t
        join quiz_attempt_questions q on q.attempt_id = t.id
        left join quiz_answers a on a.question_id = q.question_id and a.attempt_id = t.id
        where t.id = $1
        "#,
        attempt_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let passed = score * 100.0 + 1e-9 >= pass_mark as f64;
    sqlx::query!(
        "update quiz_attempts set submitted_at = now(), score = $2, passed = $3 where id = $1",
        attempt_id,
        score,
        passed
    )
    .execute(&mut *tx)
    .await?;
    tally(&mut tx, attempt_id).await?;
    tx.commit().await?;
    Ok((score, passed))
}

/// Adds a submitted attempt's answers to the running tallies of how learners answered
/// (`quiz_response_tallies`), in the transaction that submits it. Rows are taken in key order,
/// so two submissions updating the same tallies wait for each other instead of deadlocking.
async fn tally(tx: &mut sqlx::PgConnection, attempt_id: i64) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into quiz_response_tallies (question_id, response, full_credit, answers, learners)
        select x.question_id,
               case when q.question ->> 'kind' = 'hotspot' then 'null'::jsonb
                    else x.response end,
               x.fraction >= 1 - 1e-9, 1,
               case when q.question ->> 'kind' = 'short_answer' then array[t.user_id]
                    else '{}'::bigint[] end
        from quiz_answers x
        join quiz_attempts t on t.id = x.attempt_id
        join quiz_questions q on q.id = x.question_id
        where x.attempt_id = $1
        order by 1, 2, 3
        on conflict (question_id, response, full_credit) do update
        set answers = quiz_response_tallies.answers + 1,
            -- The lowest `MIN_LEARNERS_FOR_TEXT` different learners.
            learners = (select coalesce(array_agg(u order by u), '{}')
                        from (select distinct unnest(quiz_response_tallies.learners
                                                     || excluded.learners) as u
                              order by u limit $2) s)
        "#,
        attempt_id,
        crate::quiz::feedback::MIN_LEARNERS_FOR_TEXT as i64
    )
    .execute(tx)
    .await?;
    Ok(())
}
