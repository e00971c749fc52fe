use crate::discussion::{Discussion, Notification};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::auth::AuthUser;
use leptos::prelude::*;

pub const COMMENT_MAX: usize = 5000;

/// A page of the discussion under a case the caller may read: the first, or the one after
/// the cursor `after` (a `Discussion::next`). A cursor that does not read is a 400.
#[server(endpoint = "discussion")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn get_discussion(case_id: i64, after: Option<String>) -> Result<Discussion, AppError> {
    use crate::accounts::Role;
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let after = crate::util::parse_cursor(after.as_deref())?;
    if !crate::cases::readable(&pool, case_id, user.id).await? {
        return Err(AppError::NotFound);
    }
    let author = crate::cases::author_of(&pool, case_id)
        .await?
        .map(|(a, _)| a);
    let is_case_author = author == Some(user.id);
    let (comments, next, total) =
        crate::discussion::db::comments(&pool, case_id, after, crate::discussion::THREADS_PER_PAGE)
            .await?;
    Ok(Discussion {
        comments,
        can_moderate: is_case_author || user.role == Role::SiteAdmin,
        can_mark_answer: is_case_author,
        total,
        next,
        later_page: after.is_some(),
    })
}

/// Comments on a case, or replies to a comment (`parent_id`). Replies to replies join the
/// same thread: discussion stays one level deep.
#[server(endpoint = "comment")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn add_comment(
    case_id: i64,
    parent_id: Option<i64>,
    body: String,
) -> Result<i64, AppError> {
    use crate::ssr::{markdown, pool};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    if !crate::cases::readable(&pool, case_id, user.id).await? {
        return Err(AppError::NotFound);
    }
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::field("body", "Write something first."));
    }
    if body.chars().count() > COMMENT_MAX {
        let mut errors = crate::error::FieldErrors::new().with_values(&[("body", body)]);
        errors.add(
            "body",
            format!("Keep comments to {COMMENT_MAX} characters."),
        );
        return Err(AppError::Invalid(errors));
    }
    let parent_id = match parent_id {
        None => None,
        Some(pid) => match crate::discussion::db::comment_place(&pool, pid).await? {
            Some((cid, grandparent, _)) if cid == case_id => Some(grandparent.unwrap_or(pid)),
            _ => return Err(AppError::NotFound),
        },
    };
    crate::discussion::db::add_comment(
        &pool,
        case_id,
        user.id,
        parent_id,
        body,
        &markdown::render(body),
    )
    .await
}

/// Hides a comment (kept for audit). The case's author and site admins may.
#[server(endpoint = "hide-comment")]
#[tracing::instrument(skip_all, fields(comment_id))]
pub async fn hide_comment(comment_id: i64) -> Result<(), AppError> {
    use crate::accounts::Role;
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let (case_id, _, _) = crate::discussion::db::comment_place(&pool, comment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let author = crate::cases::author_of(&pool, case_id)
        .await?
        .map(|(a, _)| a);
    if author != Some(user.id) && user.role != Role::SiteAdmin {
        return Err(AppError::Forbidden);
    }
    crate::discussion::db::hide_comment(&pool, comment_id, user.id).await?;
    tracing::info!(comment_id, by = user.id, "comment hidden");
    Ok(())
}

/// The case's author marks (or unmarks) a comment as the mentor's answer.
#[server(endpoint = "mark-answer")]
#[tracing::instrument(skip_all, fields(comment_id))]
pub async fn mark_answer(comment_id: i64, answer: bool) -> Result<(), AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let (case_id, _, _) = crate::discussion::db::comment_place(&pool, comment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if crate::cases::author_of(&pool, case_id)
        .await?
        .map(|(a, _)| a)
        != Some(user.id)
    {
        return Err(AppError::Forbidden);
    }
    crate::discussion::db::set_answer(&pool, case_id, comment_id, answer).await
}

#[server(endpoint = "notifications")]
#[tracing::instrument(skip_all)]
pub async fn get_notifications() -> Result<Vec<Notification>, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    crate::discussion::db::notifications(&pool, user.id).await
}

#[server(endpoint = "notifications/read")]
#[tracing::instrument(skip_all)]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    crate::discussion::db::mark_all_read(&pool, user.id).await
}
