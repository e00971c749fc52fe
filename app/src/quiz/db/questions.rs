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
    of_module(pool, quiz_id, true).await
}

/// The questions an attempt starting now gets: those not retired, in the module's order.
pub async fn offered_questions(
    pool: &PgPool,
    quiz_id: i64,
) -> Result<Vec<StoredQuestion>, AppError> {
    of_module(pool, quiz_id, false).await
}

async fn of_module(
    pool: &PgPool,
    quiz_id: i64,
    retired_too: bool,
) -> Result<Vec<StoredQuestion>, AppError> {
    let rows = sqlx::query!(
        r#"
        select id, question as "question: Json<Question>",
               retired_at as "retired_at: DateTime<Utc>"
        from quiz_questions q
        where quiz_id = $1 and ($2 or retired_at is null)
        order by position, id
        "#,
        quiz_id,
        retired_too
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| stored(r.id, r.question, r.retired_at))
        .collect())
}

fn stored(id: i64, question: Json<Question>, retired_at: Option<DateTime<Utc>>) -> StoredQuestion {
    StoredQuestion {
        id,
        question: question.0,
        retired_at,
    }
}

/// The questions of an attempt, in its order: fixed when it started, whatever the author has
/// reordered, retired or made a new version of since.
pub async fn attempt_questions(
    pool: &PgPool,
    attempt_id: i64,
) -> Result<Vec<StoredQuestion>, AppError> {
    let rows = sqlx::query!(
        r#"
        select q.id, q.question as "question: Json<Question>",
               q.retired_at as "retired_at: DateTime<Utc>"
        from quiz_attempt_questions n
        join quiz_questions q on q.id = n.question_id
        where n.attempt_id = $1
        order by n.number
        "#,
        attempt_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| stored(r.id, r.question, r.retired_at))
        .collect())
}

/// The questions of a module that are part of learners' attempts (open or not, answered or
/// not): they can be retired, no longer deleted.
pub async fn answered_questions(pool: &PgPool, quiz_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        select q.id from quiz_questions q
        where q.quiz_id = $1
          and exists (select 1 from quiz_attempt_questions a where a.question_id = q.id)
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
    /// It is in learners' attempts: their records keep it (retire it instead of deleting it).
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
                  and not exists (select 1 from quiz_attempt_questions a
                                  where a.question_id = q.id)
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
    /// No attempt had it yet: changed in place.
    Changed(i64),
    /// It was in learners' attempts: the old version is retired (their attempts keep it, answered
    /// or not) and this new one takes its place for attempts started from now on.
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
                  exists (select 1 from quiz_attempt_questions a where a.question_id = q.id)
                      as "answered!"
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

/// Which way a question moves among the module's offered questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// Swaps an offered question with its neighbour above or below. Attempts already started
/// keep their order (`quiz_attempt_questions`). Returns false when the module has no such
/// offered question; moving the first up or the last down changes nothing.
pub async fn move_question(
    pool: &PgPool,
    quiz_id: i64,
    question_id: i64,
    direction: Direction,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    // Lock the module's offered questions, so two moves at once cannot interleave.
    let order: Vec<(i64, i32)> = sqlx::query!(
        r#"select id, position from quiz_questions
           where quiz_id = $1 and retired_at is null order by position, id for update"#,
        quiz_id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| (r.id, r.position))
    .collect();
    let Some(at) = order.iter().position(|(id, _)| *id == question_id) else {
        tx.rollback().await?;
        return Ok(false);
    };
    let other = match direction {
        Direction::Up => at.checked_sub(1),
        Direction::Down => Some(at + 1).filter(|i| *i < order.len()),
    };
    if let Some(other) = other {
        let ((a, pa), (b, pb)) = (order[at], order[other]);
        // Through a free place: a place is unique among offered questions at every step.
        for (id, position) in [(a, i32::MIN), (b, pa), (a, pb)] {
            sqlx::query!(
                "update quiz_questions set position = $2 where id = $1",
                id,
                position
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// Copies a question (offered or retired) of the module into a new offered question right
/// after it (a retired one's copy goes last), named "… (copy)". None when the module has no
/// such question.
pub async fn duplicate_question(
    pool: &PgPool,
    quiz_id: i64,
    question_id: i64,
) -> Result<Option<i64>, AppError> {
    let mut tx = pool.begin().await?;
    // Serialise with other changes to the module's order.
    sqlx::query!(
        "select id from quiz_questions where quiz_id = $1 and retired_at is null for update",
        quiz_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let Some(original) = sqlx::query!(
        r#"select position, retired_at is not null as "retired!",
                  question as "question: Json<Question>"
           from quiz_questions where id = $1 and quiz_id = $2"#,
        question_id,
        quiz_id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        tx.rollback().await?;
        return Ok(None);
    };
    let position = if original.retired {
        sqlx::query_scalar!(
            r#"select coalesce(max(position), 0) + 1 as "n!" from quiz_questions where quiz_id = $1"#,
            quiz_id
        )
        .fetch_one(&mut *tx)
        .await?
    } else {
        // Make room after the original: shift the later ones down by one, through negative
        // places so no two offered questions share a place at any step.
        sqlx::query!(
            r#"update quiz_questions set position = -(position + 1)
               where quiz_id = $1 and retired_at is null and position > $2"#,
            quiz_id,
            original.position
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            r#"update quiz_questions set position = -position
               where quiz_id = $1 and retired_at is null and position < 0"#,
            quiz_id
        )
        .execute(&mut *tx)
        .await?;
        original.position + 1
    };
    let mut copy = original.question.0;
    copy.name = if copy.name.is_empty() {
        "(copy)".to_owned()
    } else {
        format!("{} (copy)", copy.name)
    };
    let id = sqlx::query_scalar!(
        "insert into quiz_questions (quiz_id, position, question) values ($1, $2, $3) returning id",
        quiz_id,
        position,
        Json(&copy) as _
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}
