//! Case modules: settings, questions, attempts and answers. Answers are written inside a
//! transaction that locks the attempt row, so two tabs (or a retry) cannot corrupt an attempt.

use crate::cme::CreditType;
use crate::error::AppError;
use crate::quiz::{AttemptSummary, FeedbackMode, Question, QuizSettings, Response, StoredQuestion};
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::PgPool;

/// The module of a case, if it has one: (quiz id, settings).
pub async fn for_case(
    pool: &PgPool,
    case_id: i64,
) -> Result<Option<(i64, QuizSettings)>, AppError> {
    let row = sqlx::query!(
        r#"
        select id, pass_mark, feedback_mode as "feedback_mode: FeedbackMode", attempts_allowed,
               credit_amount::float8 as "credit_amount!", credit_type as "credit_type: CreditType",
               time_limit_minutes
        from quizzes where case_id = $1
        "#,
        case_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        (
            r.id,
            QuizSettings {
                pass_mark: r.pass_mark,
                feedback_mode: r.feedback_mode,
                attempts_allowed: r.attempts_allowed,
                credit_amount: r.credit_amount,
                credit_type: r.credit_type,
                time_limit_minutes: r.time_limit_minutes,
            },
        )
    }))
}

/// Creates the module or changes its settings; returns its id.
pub async fn save_settings(pool: &PgPool, case_id: i64, s: &QuizSettings) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        insert into quizzes (case_id, pass_mark, feedback_mode, attempts_allowed, credit_amount,
                             credit_type, time_limit_minutes)
        values ($1, $2, $3, $4, $5::float8::numeric, $6, $7)
        on conflict (case_id) do update
        set pass_mark = excluded.pass_mark, feedback_mode = excluded.feedback_mode,
            attempts_allowed = excluded.attempts_allowed, credit_amount = excluded.credit_amount,
            credit_type = excluded.credit_type, time_limit_minutes = excluded.time_limit_minutes,
            updated_at = now()
        returning id
        "#,
        case_id,
        s.pass_mark,
        s.feedback_mode as FeedbackMode,
        s.attempts_allowed,
        s.credit_amount,
        s.credit_type as CreditType,
        s.time_limit_minutes
    )
    .fetch_one(pool)
    .await?)
}

/// Every question of a module, retired ones included (for its author).
pub async fn questions(pool: &PgPool, quiz_id: i64) -> Result<Vec<StoredQuestion>, AppError> {
    offered(pool, quiz_id, None, true).await
}

/// The questions of an attempt started at `started_at` (None: one starting now): those not
/// retired before it began, so retiring a question never changes an earlier attempt.
pub async fn offered_questions(
    pool: &PgPool,
    quiz_id: i64,
    started_at: Option<DateTime<Utc>>,
) -> Result<Vec<StoredQuestion>, AppError> {
    offered(pool, quiz_id, started_at, false).await
}

async fn offered(
    pool: &PgPool,
    quiz_id: i64,
    started_at: Option<DateTime<Utc>>,
    retired_too: bool,
) -> Result<Vec<StoredQuestion>, AppError> {
    let rows = sqlx::query!(
        r#"
        select id, question as "question: Json<Question>",
               retired_at as "retired_at: DateTime<Utc>"
        from quiz_questions
        where quiz_id = $1
          and ($3 or retired_at is null or retired_at > coalesce($2::timestamptz, now()))
        order by position
        "#,
        quiz_id,
        // `as _`: the server build also enables sqlx's `time`, which makes the macro expect
        // its type for a bare timestamptz parameter.
        started_at as _,
        retired_too
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StoredQuestion {
            id: r.id,
            question: r.question.0,
            retired_at: r.retired_at,
        })
        .collect())
}

/// The questions of a module that learners have answered (in any attempt, open or not).
pub async fn answered_questions(pool: &PgPool, quiz_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        select q.id from quiz_questions q
        where q.quiz_id = $1 and exists (select 1 from quiz_answers a where a.question_id = q.id)
        order by q.position
        "#,
        quiz_id
    )
    .fetch_all(pool)
    .await?)
}

/// Adds questions after the existing ones.
pub async fn append_questions(
    pool: &PgPool,
    quiz_id: i64,
    questions: &[Question],
) -> Result<Vec<i64>, AppError> {
    let mut tx = pool.begin().await?;
    let start: i32 = sqlx::query_scalar!(
        r#"select coalesce(max(position), 0) as "n!" from quiz_questions where quiz_id = $1"#,
        quiz_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut ids = Vec::with_capacity(questions.len());
    for (i, q) in questions.iter().enumerate() {
        ids.push(
            sqlx::query_scalar!(
                "insert into quiz_questions (quiz_id, position, question) values ($1, $2, $3) \
                 returning id",
                quiz_id,
                start + 1 + i as i32,
                Json(q) as _
            )
            .fetch_one(&mut *tx)
            .await?,
        );
    }
    tx.commit().await?;
    Ok(ids)
}

/// What became of a question the author asked to delete.
#[derive(Debug, PartialEq, Eq)]
pub enum QuestionDeletion {
    Deleted,
    NotFound,
    /// Learners have answered it: their records keep it (retire it instead).
    Answered,
}

/// Deletes a question nobody has answered. An answer saved at the same moment either lands
/// first (and the foreign key refuses the delete) or waits for it (and finds no question).
pub async fn delete_question(
    pool: &PgPool,
    quiz_id: i64,
    question_id: i64,
) -> Result<QuestionDeletion, AppError> {
    let done = sqlx::query!(
        r#"
        delete from quiz_questions q
        where q.id = $1 and q.quiz_id = $2
          and not exists (select 1 from quiz_answers a where a.question_id = q.id)
        "#,
        question_id,
        quiz_id
    )
    .execute(pool)
    .await;
    match done {
        Ok(done) if done.rows_affected() == 1 => Ok(QuestionDeletion::Deleted),
        Ok(_) => {
            let exists = sqlx::query_scalar!(
                r#"select exists (select 1 from quiz_questions where id = $1 and quiz_id = $2) as "exists!""#,
                question_id,
                quiz_id
            )
            .fetch_one(pool)
            .await?;
            Ok(if exists {
                QuestionDeletion::Answered
            } else {
                QuestionDeletion::NotFound
            })
        }
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {
            Ok(QuestionDeletion::Answered)
        }
        Err(e) => Err(e.into()),
    }
}

/// Retires a question: attempts started from now on no longer see it. Retiring it again
/// keeps the first date. False when the module has no such question.
pub async fn retire_question(
    pool: &PgPool,
    quiz_id: i64,
    question_id: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query!(
        r#"
        update quiz_questions set retired_at = coalesce(retired_at, now())
        where id = $1 and quiz_id = $2
        "#,
        question_id,
        quiz_id
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

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
        select coalesce(sum(a.fraction), 0)::float8 / greatest(count(q.id), 1) as "score!"
        from quiz_attempts t
        join quiz_questions q on q.quiz_id = t.quiz_id
                             and (q.retired_at is null or q.retired_at > t.started_at)
        left join quiz_answers a on a.question_id = q.id and a.attempt_id = t.id
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
    tx.commit().await?;
    Ok((score, passed))
}

/// The answers given to a question in submitted attempts, with who gave them (for the
/// distribution shown after answering). Open attempts are left out: what someone is still
/// typing is not yet "how others answered".
pub async fn submitted_responses_to(
    pool: &PgPool,
    question_id: i64,
) -> Result<Vec<(i64, Response)>, AppError> {
    Ok(sqlx::query!(
        r#"
        select t.user_id, x.response as "response: Json<Response>"
        from quiz_answers x join quiz_attempts t on t.id = x.attempt_id
        where x.question_id = $1 and t.submitted_at is not null
        "#,
        question_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.user_id, r.response.0))
    .collect())
}

/// Where a learner stands with the module of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LearnerStanding {
    /// The learner wrote the case.
    pub is_author: bool,
    /// Published and, where the department reviews cases, approved: readers see it.
    pub released: bool,
}

/// How `viewer` stands with case `case_id`'s module; None when they cannot read the case
/// (`case_readable` decides, as everywhere).
pub async fn learner_standing(
    pool: &PgPool,
    case_id: i64,
    viewer: i64,
) -> Result<Option<LearnerStanding>, AppError> {
    Ok(sqlx::query_as!(
        LearnerStanding,
        r#"
        select c.author_id = $2 as "is_author!",
               (c.status = 'published' and c.review_status <> 'pending') as "released!"
        from cases c
        where c.id = $1 and case_readable(c, $2)
        "#,
        case_id,
        viewer
    )
    .fetch_optional(pool)
    .await?)
}

/// Modules a department admin may assign: released, with questions, and readable by the
/// admin (a member of the department, so what the department reads). (case id, title).
pub async fn assignable_modules(
    pool: &PgPool,
    admin_id: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query!(
        r#"
        select c.id, c.title from quizzes q join cases c on c.id = q.case_id
        where c.status = 'published' and c.review_status <> 'pending'
          and case_readable(c, $1)
          and exists (select 1 from quiz_questions x where x.quiz_id = q.id and x.retired_at is null)
        order by c.title, c.id
        "#,
        admin_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.id, r.title))
    .collect())
}

/// The module of case `case_id`, when the department admin `admin_id` may assign it (the
/// same rule as `assignable_modules`).
pub async fn assignable_quiz(
    pool: &PgPool,
    case_id: i64,
    admin_id: i64,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        select q.id from quizzes q join cases c on c.id = q.case_id
        where c.id = $1 and c.status = 'published' and c.review_status <> 'pending'
          and case_readable(c, $2)
          and exists (select 1 from quiz_questions x where x.quiz_id = q.id and x.retired_at is null)
        "#,
        case_id,
        admin_id
    )
    .fetch_optional(pool)
    .await?)
}

/// For item analysis: each submitted attempt's score with its answers' fractions and responses.
pub async fn submitted_answers(
    pool: &PgPool,
    quiz_id: i64,
) -> Result<Vec<(i64, f64, i64, Response, f64)>, AppError> {
    let rows = sqlx::query!(
        r#"
        select a.id as attempt_id, a.score as "score!", x.question_id,
               x.response as "response: Json<Response>", x.fraction
        from quiz_attempts a join quiz_answers x on x.attempt_id = a.id
        where a.quiz_id = $1 and a.submitted_at is not null
        "#,
        quiz_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.attempt_id,
                r.score,
                r.question_id,
                r.response.0,
                r.fraction,
            )
        })
        .collect())
}
