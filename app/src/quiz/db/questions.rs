//! A module settings and questions: saving, offering, appending, deleting, retiring.

use super::*;

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

pub(super) async fn offered(
    pool: &PgPool,
    quiz_id: i64,
    started_at: Option<DateTime<Utc>>,
    retired_too: bool,
) -> Result<Vec<StoredQuestion>, AppError> {
    let rows = sqlx::query!(
        r#"
        select id, question as "question: Json<Question>",
               retired_at as "retired_at: DateTime<Utc>"
        from quiz_questions q
        where quiz_id = $1
          and ($3 or question_offered(q, coalesce($2::timestamptz, now())))
        order by position, id
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

/// What an author may do to a question of their module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionChange {
    /// Gone for good, while nobody has answered it.
    Delete,
    /// Attempts started from now on no longer see it; earlier ones keep it. Retiring it again
    /// keeps the first date.
    Retire,
}

/// What became of a question the author deleted or retired.
#[derive(Debug, PartialEq, Eq)]
pub enum QuestionChanged {
    Done,
    /// The module has no such question.
    NotFound,
    /// Learners have answered it: their records keep it (retire it instead of deleting it).
    Answered,
}

/// Deletes or retires a question of module `quiz_id`. A delete spares answered questions: an
/// answer saved at the same moment either lands first (and the foreign key refuses the
/// delete) or waits for it (and finds no question).
pub async fn change_question(
    pool: &PgPool,
    quiz_id: i64,
    question_id: i64,
    change: QuestionChange,
) -> Result<QuestionChanged, AppError> {
    let done = match change {
        QuestionChange::Delete => {
            sqlx::query!(
                r#"
                delete from quiz_questions q
                where q.id = $1 and q.quiz_id = $2
                  and not exists (select 1 from quiz_answers a where a.question_id = q.id)
                "#,
                question_id,
                quiz_id
            )
            .execute(pool)
            .await
        }
        QuestionChange::Retire => {
            sqlx::query!(
                r#"
                update quiz_questions set retired_at = coalesce(retired_at, now())
                where id = $1 and quiz_id = $2
                "#,
                question_id,
                quiz_id
            )
            .execute(pool)
            .await
        }
    };
    match done {
        Ok(done) if done.rows_affected() == 1 => Ok(QuestionChanged::Done),
        // Only a delete skips a question that exists: when it has answers.
        Ok(_) if change == QuestionChange::Delete => {
            let exists = sqlx::query_scalar!(
                r#"select exists (select 1 from quiz_questions where id = $1 and quiz_id = $2) as "exists!""#,
                question_id,
                quiz_id
            )
            .fetch_one(pool)
            .await?;
            Ok(if exists {
                QuestionChanged::Answered
            } else {
                QuestionChanged::NotFound
            })
        }
        Ok(_) => Ok(QuestionChanged::NotFound),
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {
            Ok(QuestionChanged::Answered)
        }
        Err(e) => Err(e.into()),
    }
}

/// What became of a question the author wrote or edited.
#[derive(Debug, PartialEq, Eq)]
pub enum QuestionSaved {
    /// A new question, after the others.
    Added(i64),
    /// Nobody had answered it: changed in place.
    Changed(i64),
    /// Learners had answered it: the old version is retired (their attempts keep it) and this
    /// new one takes its place for attempts started from now on.
    NewVersion(i64),
    /// The module has no such question.
    NotFound,
    /// A retired question stays as it was.
    Retired,
}

/// Adds a question to module `quiz_id` (`question_id` None) or changes one of its questions.
/// The question's row is locked first, so an answer saved at the same moment either lands
/// before (and the edit makes a new version) or after (on the new version, or the old one in
/// an attempt that began before).
pub async fn save_question(
    pool: &PgPool,
    quiz_id: i64,
    question_id: Option<i64>,
    question: &Question,
) -> Result<QuestionSaved, AppError> {
    let Some(id) = question_id else {
        let ids = append_questions(pool, quiz_id, std::slice::from_ref(question)).await?;
        return Ok(QuestionSaved::Added(ids[0]));
    };
    let mut tx = pool.begin().await?;
    let Some(row) = sqlx::query!(
        r#"select position, retired_at is not null as "retired!",
                  exists (select 1 from quiz_answers a where a.question_id = q.id) as "answered!"
           from quiz_questions q where id = $1 and quiz_id = $2 for update"#,
        id,
        quiz_id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(QuestionSaved::NotFound);
    };
    if row.retired {
        return Ok(QuestionSaved::Retired);
    }
    let saved = if row.answered {
        sqlx::query!(
            "update quiz_questions set retired_at = now() where id = $1",
            id
        )
        .execute(&mut *tx)
        .await?;
        let new_id = sqlx::query_scalar!(
            r#"insert into quiz_questions (quiz_id, position, question, replaces)
               values ($1, $2, $3, $4) returning id"#,
            quiz_id,
            row.position,
            Json(question) as _,
            id
        )
        .fetch_one(&mut *tx)
        .await?;
        QuestionSaved::NewVersion(new_id)
    } else {
        sqlx::query!(
            "update quiz_questions set question = $2 where id = $1",
            id,
            Json(question) as _
        )
        .execute(&mut *tx)
        .await?;
        QuestionSaved::Changed(id)
    };
    tx.commit().await?;
    Ok(saved)
}
