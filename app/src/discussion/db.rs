//! Comments under cases and the notifications they (and publications) cause.

use crate::discussion::{Comment, Notification, NotificationKind};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// A page of a case's discussion: up to `limit` threads (top-level comments, oldest first)
/// after `after` (the last thread of the previous page: its time in microseconds and id),
/// each with all its replies; the cursor of the next page; and how many comments the case has.
pub async fn comments(
    pool: &PgPool,
    case_id: i64,
    after: Option<(i64, i64)>,
    limit: i64,
) -> Result<(Vec<Comment>, Option<String>, i64), AppError> {
    let after_at = after.and_then(|(micros, _)| DateTime::<Utc>::from_timestamp_micros(micros));
    let after_id = after.map(|(_, id)| id);
    let mut threads = sqlx::query_scalar!(
        r#"
        select t.id from comments t
        where t.case_id = $1 and t.parent_id is null
          and ($2::timestamptz is null or (t.created_at, t.id) > ($2, $3))
        order by t.created_at, t.id
        limit $4
        "#,
        case_id,
        after_at,
        after_id,
        limit + 1
    )
    .fetch_all(pool)
    .await?;
    let more = threads.len() as i64 > limit;
    threads.truncate(limit as usize);
    let comments = sqlx::query_as!(
        Comment,
        r#"
        select c.id, c.parent_id, c.author_id, u.full_name as author_name,
               case when c.hidden_at is null then c.body_html else '' end as "body_html!",
               c.is_answer, c.hidden_at is not null as "hidden!",
               c.created_at as "created_at: DateTime<Utc>"
        from comments c join users u on u.id = c.author_id
        where c.case_id = $1 and coalesce(c.parent_id, c.id) = any($2)
        order by c.created_at, c.id
        "#,
        case_id,
        &threads
    )
    .fetch_all(pool)
    .await?;
    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from comments where case_id = $1"#,
        case_id
    )
    .fetch_one(pool)
    .await?;
    let next = more
        .then(|| {
            comments
                .iter()
                .rfind(|c| c.parent_id.is_none())
                .map(|c| crate::util::cursor(c.created_at.timestamp_micros(), c.id))
        })
        .flatten();
    Ok((comments, next, total))
}

/// The case and top-level parent a comment belongs to.
pub async fn comment_place(
    pool: &PgPool,
    id: i64,
) -> Result<Option<(i64, Option<i64>, i64)>, AppError> {
    let row = sqlx::query!(
        "select case_id, parent_id, author_id from comments where id = $1",
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.case_id, r.parent_id, r.author_id)))
}

/// Adds a comment (a reply when `parent_id` is set) and notifies the parent's author.
pub async fn add_comment(
    pool: &PgPool,
    case_id: i64,
    author_id: i64,
    parent_id: Option<i64>,
    body_md: &str,
    body_html: &str,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let id = sqlx::query_scalar!(
        r#"
        insert into comments (case_id, author_id, parent_id, body_md, body_html)
        values ($1, $2, $3, $4, $5) returning id
        "#,
        case_id,
        author_id,
        parent_id,
        body_md,
        body_html
    )
    .fetch_one(&mut *tx)
    .await?;
    if let Some(parent_id) = parent_id {
        sqlx::query!(
            r#"
            insert into notifications (user_id, kind, case_id, actor_id)
            select p.author_id, 'comment_reply', $2, $3
            from comments p where p.id = $1 and p.author_id <> $3
            "#,
            parent_id,
            case_id,
            author_id
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
}

pub async fn hide_comment(pool: &PgPool, id: i64, by: i64) -> Result<(), AppError> {
    sqlx::query!(
        "update comments set hidden_at = now(), hidden_by = $2 where id = $1 and hidden_at is null",
        id,
        by
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Marks (or unmarks) a comment as the mentor's answer; one answer per case.
pub async fn set_answer(
    pool: &PgPool,
    case_id: i64,
    id: i64,
    answer: bool,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    if answer {
        sqlx::query!(
            "update comments set is_answer = false where case_id = $1",
            case_id
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "update comments set is_answer = $2 where id = $1",
        id,
        answer
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Tells the followers of a case's author who may read it that it was published.
pub async fn notify_published(pool: &PgPool, case_id: i64) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into notifications (user_id, kind, case_id, actor_id)
        select f.follower_id, 'case_published', c.id, c.author_id
        from cases c join follows f on f.mentor_id = c.author_id
        where c.id = $1 and case_readable(c, f.follower_id)
          and not exists (select 1 from notifications n
                          where n.user_id = f.follower_id and n.case_id = c.id
                            and n.kind = 'case_published')
        "#,
        case_id
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn notifications(pool: &PgPool, user_id: i64) -> Result<Vec<Notification>, AppError> {
    // Case notifications while the case is readable; consult notifications while the consult
    // is (a pool consult taken by a colleague leaves the other responders' lists).
    Ok(sqlx::query_as!(
        Notification,
        r#"
        select n.id, n.kind as "kind: NotificationKind", n.case_id, n.consult_id,
               coalesce(c.title, 'Consult #' || n.consult_id) as "case_title!",
               u.full_name as actor_name,
               n.created_at as "created_at: DateTime<Utc>", n.read_at is not null as "read!"
        from notifications n
        left join cases c on c.id = n.case_id
        left join consults k on k.id = n.consult_id
        join users u on u.id = n.actor_id
        where n.user_id = $1
          and ((n.case_id is not null and case_readable(c, $1))
               or (n.consult_id is not null and consult_readable(k, $1)))
        order by n.created_at desc, n.id desc
        limit 50
        "#,
        user_id
    )
    .fetch_all(pool)
    .await?)
}

pub async fn mark_all_read(pool: &PgPool, user_id: i64) -> Result<(), AppError> {
    sqlx::query!(
        "update notifications set read_at = now() where user_id = $1 and read_at is null",
        user_id
    )
    .execute(pool)
    .await?;
    Ok(())
}
