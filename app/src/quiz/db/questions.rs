//! A module's settings and the questions placed in it: offering, appending, deleting, retiring,
//! editing (a new version once answered), moving and duplicating. The questions themselves live
//! in their author's bank (`bank.rs`); a module holds placements of them.

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

/// Every question placed in a module, those taken out included (for its author): a taken-out
/// placement's `retired_at` is when it left the module.
pub async fn questions(pool: &PgPool, quiz_id: i64) -> Result<Vec<StoredQuestion>, AppError> {
    of_module(pool, quiz_id, true).await
}

/// The questions an attempt starting now gets: those in the module, in its order.
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
        select q.id, q.question as "question: Json<Question>",
               p.removed_at as "retired_at: DateTime<Utc>"
        from quiz_module_questions p join quiz_questions q on q.id = p.question_id
        where p.quiz_id = $1 and ($2 or p.removed_at is null)
        order by p.position, p.id
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

/// The questions placed in a module that are part of learners' attempts (in this module or
/// another; open or not, answered or not): they can be retired, no longer deleted.
pub async fn answered_questions(pool: &PgPool, quiz_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        select distinct p.question_id from quiz_module_questions p
        where p.quiz_id = $1
          and exists (select 1 from quiz_attempt_questions a where a.question_id = p.question_id)
        "#,
        quiz_id
    )
    .fetch_all(pool)
    .await?)
}

/// Writes questions into `author_id`'s bank and places them after the other questions of
/// module `quiz_id` (of a case they write), each with its tags.
pub async fn append_tagged(
    pool: &PgPool,
    quiz_id: i64,
    author_id: i64,
    questions: &[(Question, Vec<String>)],
) -> Result<Vec<i64>, AppError> {
    let mut tx = pool.begin().await?;
    lock_module(&mut tx, quiz_id).await?;
    let start = next_position(&mut tx, quiz_id).await?;
    let mut ids = Vec::with_capacity(questions.len());
    for (i, (q, tags)) in questions.iter().enumerate() {
        let id = sqlx::query_scalar!(
            "insert into quiz_questions (author_id, question, tags) values ($1, $2, $3) \
             returning id",
            author_id,
            Json(q) as _,
            &crate::quiz::bank::clean_tags(tags)
        )
        .fetch_one(&mut *tx)
        .await?;
        place(&mut tx, quiz_id, id, start + i as i32).await?;
        ids.push(id);
    }
    tx.commit().await?;
    Ok(ids)
}

/// Writes untagged questions into the bank and places them after the module's others.
pub async fn append_questions(
    pool: &PgPool,
    quiz_id: i64,
    author_id: i64,
    questions: &[Question],
) -> Result<Vec<i64>, AppError> {
    let tagged: Vec<_> = questions.iter().map(|q| (q.clone(), Vec::new())).collect();
    append_tagged(pool, quiz_id, author_id, &tagged).await
}

/// The place after every question of the module (taken-out ones too, so history keeps its
/// order).
pub(super) async fn next_position(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    quiz_id: i64,
) -> Result<i32, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select coalesce(max(position), 0) + 1 as "n!" from quiz_module_questions
           where quiz_id = $1"#,
        quiz_id
    )
    .fetch_one(&mut **tx)
    .await?)
}

pub(super) async fn place(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    quiz_id: i64,
    question_id: i64,
    position: i32,
) -> Result<(), AppError> {
    sqlx::query!(
        "insert into quiz_module_questions (quiz_id, question_id, position) values ($1, $2, $3)",
        quiz_id,
        question_id,
        position
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Locks a module's row: changes to its order (append, move, duplicate, new versions) take
/// turns.
async fn lock_module(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    quiz_id: i64,
) -> Result<(), AppError> {
    sqlx::query!("select id from quizzes where id = $1 for update", quiz_id)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(())
}

/// What an author may do to a question of their module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionChange {
    /// Out of the module for good, while nobody has it in an attempt. The question stays in
    /// the author's bank.
    Delete,
    /// Attempts started from now on no longer see it; earlier ones keep it. Retiring it again
    /// keeps the first date. The question stays in the bank.
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

/// Deletes or retires a question's placement in module `quiz_id`. A delete spares questions
/// in attempts: an attempt starting at the same moment locks the module's placements first
/// (`start_attempt`), so it either sees the question and the delete is refused, or does not.
pub async fn change_question(
    pool: &PgPool,
    quiz_id: i64,
    question_id: i64,
    change: QuestionChange,
) -> Result<QuestionChanged, AppError> {
    let mut tx = pool.begin().await?;
    lock_module(&mut tx, quiz_id).await?;
    let Some(row) = sqlx::query!(
        r#"select exists (select 1 from quiz_attempt_questions a where a.question_id = $2)
                  as "answered!"
           from quiz_module_questions p where p.quiz_id = $1 and p.question_id = $2
           limit 1"#,
        quiz_id,
        question_id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(QuestionChanged::NotFound);
    };
    match change {
        QuestionChange::Delete if row.answered => return Ok(QuestionChanged::Answered),
        QuestionChange::Delete => {
            sqlx::query!(
                "delete from quiz_module_questions where quiz_id = $1 and question_id = $2",
                quiz_id,
                question_id
            )
            .execute(&mut *tx)
            .await?;
        }
        QuestionChange::Retire => {
            sqlx::query!(
                r#"update quiz_module_questions set removed_at = now()
                   where quiz_id = $1 and question_id = $2 and removed_at is null"#,
                quiz_id,
                question_id
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(QuestionChanged::Done)
}

/// What became of a question the author wrote or edited.
#[derive(Debug, PartialEq, Eq)]
pub enum QuestionSaved {
    /// A new question, after the others.
    Added(i64),
    /// No attempt had it yet: changed in place (in every module it serves).
    Changed(i64),
    /// It was in learners' attempts: the old version leaves the bank (their attempts keep it,
    /// answered or not) and this new one takes its place, in every module it served, for
    /// attempts started from now on.
    NewVersion(i64),
    /// The module has no such question.
    NotFound,
    /// It is in another writer's bank (a co-author's): only they change it.
    NotYours,
    /// A retired question stays as it was.
    Retired,
}

/// Adds a question to module `quiz_id` (`question_id` None) or changes one of its questions,
/// which must be `author_id`'s. The question's row is locked first, so an answer saved at the
/// same moment either lands before (and the edit makes a new version) or after (on the new
/// version, or the old one in an attempt that began before).
pub async fn save_question(
    pool: &PgPool,
    quiz_id: i64,
    author_id: i64,
    question_id: Option<i64>,
    question: &Question,
) -> Result<QuestionSaved, AppError> {
    let Some(id) = question_id else {
        let ids =
            append_questions(pool, quiz_id, author_id, std::slice::from_ref(question)).await?;
        return Ok(QuestionSaved::Added(ids[0]));
    };
    let mut tx = pool.begin().await?;
    super::bank::lock_modules_offering(&mut tx, id).await?;
    let Some(row) = sqlx::query!(
        r#"select q.author_id = $3 as "mine!",
                  exists (select 1 from quiz_module_questions p
                          where p.quiz_id = $2 and p.question_id = q.id and p.removed_at is null)
                      as "offered!",
                  exists (select 1 from quiz_attempt_questions a where a.question_id = q.id)
                      as "answered!"
           from quiz_questions q
           where q.id = $1
             and exists (select 1 from quiz_module_questions p
                         where p.quiz_id = $2 and p.question_id = q.id)
           for update of q"#,
        id,
        quiz_id,
        author_id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(QuestionSaved::NotFound);
    };
    if !row.mine {
        return Ok(QuestionSaved::NotYours);
    }
    if !row.offered {
        return Ok(QuestionSaved::Retired);
    }
    let saved = if row.answered {
        QuestionSaved::NewVersion(super::bank::new_version(&mut tx, id, question).await?)
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
    lock_module(&mut tx, quiz_id).await?;
    let order: Vec<(i64, i64, i32)> = sqlx::query!(
        r#"select id, question_id, position from quiz_module_questions
           where quiz_id = $1 and removed_at is null order by position, id"#,
        quiz_id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| (r.id, r.question_id, r.position))
    .collect();
    let Some(at) = order.iter().position(|(_, q, _)| *q == question_id) else {
        tx.rollback().await?;
        return Ok(false);
    };
    let other = match direction {
        Direction::Up => at.checked_sub(1),
        Direction::Down => Some(at + 1).filter(|i| *i < order.len()),
    };
    if let Some(other) = other {
        let ((a, _, pa), (b, _, pb)) = (order[at], order[other]);
        // Through a free place: a place is unique among offered questions at every step.
        for (id, position) in [(a, i32::MIN), (b, pa), (a, pb)] {
            sqlx::query!(
                "update quiz_module_questions set position = $2 where id = $1",
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

/// Copies a question (offered or retired) of the module into a new question of `author_id`'s
/// bank, offered right after it (a retired one's copy goes last), named "… (copy)". None when
/// the module has no such question.
pub async fn duplicate_question(
    pool: &PgPool,
    quiz_id: i64,
    author_id: i64,
    question_id: i64,
) -> Result<Option<i64>, AppError> {
    let mut tx = pool.begin().await?;
    lock_module(&mut tx, quiz_id).await?;
    let Some(original) = sqlx::query!(
        r#"select p.position, p.removed_at is not null as "retired!",
                  q.question as "question: Json<Question>", q.tags
           from quiz_module_questions p join quiz_questions q on q.id = p.question_id
           where p.question_id = $1 and p.quiz_id = $2
           order by p.removed_at is null desc, p.id desc limit 1"#,
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
        next_position(&mut tx, quiz_id).await?
    } else {
        // Make room after the original: shift the later ones down by one, through negative
        // places so no two offered questions share a place at any step.
        sqlx::query!(
            r#"update quiz_module_questions set position = -(position + 1)
               where quiz_id = $1 and removed_at is null and position > $2"#,
            quiz_id,
            original.position
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            r#"update quiz_module_questions set position = -position
               where quiz_id = $1 and removed_at is null and position < 0"#,
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
        "insert into quiz_questions (author_id, question, tags) values ($1, $2, $3) returning id",
        author_id,
        Json(&copy) as _,
        &original.tags
    )
    .fetch_one(&mut *tx)
    .await?;
    place(&mut tx, quiz_id, id, position).await?;
    tx.commit().await?;
    Ok(Some(id))
}
