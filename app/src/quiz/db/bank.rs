//! A mentor's question bank: searching it (with each question's use and answers per module),
//! tags, adding a question to a module, deleting an unused one, and the new version an edit of
//! an answered question makes in every module it serves.

use super::*;
use crate::quiz::bank::{BankFilter, BankQuestion, BankUse};

/// A page of `author_id`'s current questions matching `filter`, newest first, older than
/// `before`; one more than `limit` tells there is a next page.
pub async fn search(
    pool: &PgPool,
    author_id: i64,
    filter: &BankFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<BankQuestion>, AppError> {
    let text = filter.text.trim().to_lowercase();
    let objective = filter.objective.trim().to_lowercase();
    let tag = filter.tag.trim().to_lowercase();
    let rows = sqlx::query!(
        r#"
        select q.id, q.question as "question: Json<Question>", q.tags, q.created_at,
               exists (select 1 from quiz_attempt_questions a where a.question_id = q.id)
                   as "in_attempts!",
               -- Where it serves and how it was answered there (submitted attempts only).
               coalesce((select jsonb_agg(u order by u.title) from (
                    select z.case_id, c.title, bool_or(p.removed_at is null) as offered,
                           (select count(*) from quiz_answers x
                            join quiz_attempts t on t.id = x.attempt_id
                            where x.question_id = q.id and t.quiz_id = z.id
                              and t.submitted_at is not null) as answers,
                           (select count(*) from quiz_answers x
                            join quiz_attempts t on t.id = x.attempt_id
                            where x.question_id = q.id and t.quiz_id = z.id
                              and t.submitted_at is not null and x.fraction >= 1 - 1e-9)
                               as full_credit
                    from quiz_module_questions p
                    join quizzes z on z.id = p.quiz_id
                    join cases c on c.id = z.case_id
                    where p.question_id = q.id
                    group by z.id, z.case_id, c.title) u), '[]')
                   as "uses!: Json<Vec<BankUse>>"
        from quiz_questions q
        where q.author_id = $1 and q.retired_at is null
          and ($2::bigint is null or q.id < $2)
          and ($3 = '' or strpos(lower(coalesce(q.question ->> 'name', '') || ' '
                                       || coalesce(q.question ->> 'text', '')), $3) > 0)
          and ($4 = '' or strpos(lower(coalesce(q.question ->> 'objective', '')), $4) > 0)
          and ($5 = '' or exists (select 1 from unnest(q.tags) t where lower(t) = $5))
          and ($6::text is null or q.question ->> 'kind' = $6)
        order by q.id desc
        limit $7
        "#,
        author_id,
        before,
        text,
        objective,
        tag,
        filter.kind.map(|k| k.as_str()),
        limit + 1
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| BankQuestion {
            id: r.id,
            question: r.question.0,
            tags: r.tags,
            created_at: r.created_at,
            in_attempts: r.in_attempts,
            uses: r.uses.0,
        })
        .collect())
}

/// Every tag `author_id` has used on a current question, sorted.
pub async fn tags(pool: &PgPool, author_id: i64) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        select distinct t as "t!" from quiz_questions q, unnest(q.tags) t
        where q.author_id = $1 and q.retired_at is null
        order by 1
        "#,
        author_id
    )
    .fetch_all(pool)
    .await?)
}

/// The cases `author_id` wrote, most recently changed first, whose modules questions can go
/// into: (case id, title).
pub async fn author_cases(pool: &PgPool, author_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query!(
        r#"
        select id, title from cases
        where author_id = $1
        order by updated_at desc, id desc
        limit 100
        "#,
        author_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| (r.id, r.title))
    .collect())
}

/// Changes the tags of `author_id`'s question (not an edit of the question: no new version).
/// False when they have no such question.
pub async fn set_tags(
    pool: &PgPool,
    author_id: i64,
    question_id: i64,
    tags: &[String],
) -> Result<bool, AppError> {
    Ok(sqlx::query!(
        "update quiz_questions set tags = $3 where id = $1 and author_id = $2",
        question_id,
        author_id,
        tags
    )
    .execute(pool)
    .await?
    .rows_affected()
        == 1)
}

/// What became of adding a bank question to a module.
#[derive(Debug, PartialEq, Eq)]
pub enum Added {
    Done,
    /// The author has no such current question.
    NotFound,
    AlreadyThere,
    /// A hotspot question is drawn on one case's image and serves only that case's module.
    ImageOfAnotherCase,
}

/// Places `author_id`'s question `question_id` after the other questions of the module of case
/// `case_id` (which the caller has been checked to write), making the module when the case has
/// none yet. Nothing is stored when the question cannot be added.
pub async fn add_to_module(
    pool: &PgPool,
    case_id: i64,
    author_id: i64,
    question_id: i64,
) -> Result<Added, AppError> {
    let mut tx = pool.begin().await?;
    // The module (the settings' defaults when new), locked first: changes to its order take
    // turns, and module rows are locked before question rows everywhere.
    sqlx::query!(
        "insert into quizzes (case_id) values ($1) on conflict (case_id) do nothing",
        case_id
    )
    .execute(&mut *tx)
    .await?;
    let quiz_id = sqlx::query_scalar!(
        "select id from quizzes where case_id = $1 for update",
        case_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let Some(row) = sqlx::query!(
        r#"
        -- A hotspot's image must belong to the case.
        select (q.question ->> 'image_id') is null
                 or exists (select 1 from case_images i
                            where i.case_id = $2 and i.id = (q.question ->> 'image_id')::bigint)
                   as "image_here!"
        from quiz_questions q
        where q.id = $1 and q.author_id = $3 and q.retired_at is null
        for share of q
        "#,
        question_id,
        case_id,
        author_id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(Added::NotFound);
    };
    if !row.image_here {
        return Ok(Added::ImageOfAnotherCase);
    }
    let there = sqlx::query_scalar!(
        r#"select exists (select 1 from quiz_module_questions
                          where quiz_id = $1 and question_id = $2 and removed_at is null)
               as "there!""#,
        quiz_id,
        question_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if there {
        return Ok(Added::AlreadyThere);
    }
    let position = next_position(&mut tx, quiz_id).await?;
    place(&mut tx, quiz_id, question_id, position).await?;
    tx.commit().await?;
    Ok(Added::Done)
}

/// What became of deleting a bank question.
#[derive(Debug, PartialEq, Eq)]
pub enum Deleted {
    Done,
    NotFound,
    /// It serves (or served) a module: take it out of the module first; once in an attempt, it
    /// is part of learners' records and stays.
    InUse,
}

/// Deletes `author_id`'s question when no module has ever held it.
pub async fn delete(pool: &PgPool, author_id: i64, question_id: i64) -> Result<Deleted, AppError> {
    let deleted = sqlx::query!(
        r#"
        delete from quiz_questions q
        where q.id = $1 and q.author_id = $2 and q.retired_at is null
          and not exists (select 1 from quiz_module_questions p where p.question_id = q.id)
          and not exists (select 1 from quiz_attempt_questions a where a.question_id = q.id)
        "#,
        question_id,
        author_id
    )
    .execute(pool)
    .await;
    match deleted {
        Ok(done) if done.rows_affected() == 1 => Ok(Deleted::Done),
        Ok(_) => {
            let exists = sqlx::query_scalar!(
                r#"select exists (select 1 from quiz_questions
                                  where id = $1 and author_id = $2 and retired_at is null)
                       as "exists!""#,
                question_id,
                author_id
            )
            .fetch_one(pool)
            .await?;
            Ok(if exists {
                Deleted::InUse
            } else {
                Deleted::NotFound
            })
        }
        // Placed in a module at the same moment.
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => Ok(Deleted::InUse),
        Err(e) => Err(e.into()),
    }
}

/// Locks the rows of the modules offering question `id`, in id order, before the question's own
/// row is locked: every path takes module rows before question rows (`start_attempt` holds its
/// module's row and then key-share locks the questions it records), so none waits in a cycle.
/// A module cannot start offering the question meanwhile: `add_to_module` waits for the
/// question's row.
pub(super) async fn lock_modules_offering(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    id: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        select z.id from quizzes z
        where z.id in (select quiz_id from quiz_module_questions
                       where question_id = $1 and removed_at is null)
        order by z.id for update
        "#,
        id
    )
    .fetch_all(&mut **tx)
    .await?;
    Ok(())
}

/// Replaces question `id` (locked by the caller after `lock_modules_offering`, and in
/// learners' attempts) with a new version
/// holding `question`: the old one leaves the bank, and in every module offering it the new one
/// takes its place (the old placement stays, retired, beside it). Returns the new id.
pub(super) async fn new_version(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    id: i64,
    question: &Question,
) -> Result<i64, AppError> {
    let new_id = sqlx::query_scalar!(
        r#"
        insert into quiz_questions (author_id, question, tags, replaces)
        select author_id, $2, tags, id from quiz_questions where id = $1
        returning id
        "#,
        id,
        Json(question) as _
    )
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query!(
        "update quiz_questions set retired_at = now() where id = $1",
        id
    )
    .execute(&mut **tx)
    .await?;
    sqlx::query!(
        r#"
        with old as (
            update quiz_module_questions set removed_at = now()
            where question_id = $1 and removed_at is null
            returning quiz_id, position
        )
        insert into quiz_module_questions (quiz_id, question_id, position)
        select quiz_id, $2, position from old
        "#,
        id,
        new_id
    )
    .execute(&mut **tx)
    .await?;
    Ok(new_id)
}
