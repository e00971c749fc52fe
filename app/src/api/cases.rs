use crate::error::AppError;
use crate::model::{CaseDetail, CasePage, HomeData};
use leptos::prelude::*;

/// Creates (no `id`) or updates a case sketch. `intent` is `publish` to publish, anything else
/// saves a draft. Only mentors write cases, and only the author may change one.
#[server(endpoint = "save-case")]
#[tracing::instrument(skip_all, fields(case_id = ?id))]
pub async fn save_case(
    id: Option<i64>,
    title: String,
    specialty: String,
    summary: String,
    body: String,
    intent: Option<String>,
) -> Result<(), AppError> {
    use crate::model::{NewCase, Role};
    use crate::ssr::{auth, db, markdown, pool};
    let pool = pool()?;
    let user = auth::require_role(&pool, &[Role::Mentor, Role::SiteAdmin]).await?;
    if let Some(id) = id {
        match db::cases::author_of(&pool, id).await? {
            None => return Err(AppError::NotFound),
            Some(author) if author != user.id => return Err(AppError::Forbidden),
            Some(_) => {}
        }
    }
    let known = db::users::specialty_exists(&pool, specialty.trim()).await?;
    let case = NewCase::parse(&title, &specialty, &summary, &body, known)?;
    let html = markdown::render(&case.body);
    let publish = intent.as_deref() == Some("publish");
    let id = match id {
        Some(id) => {
            db::cases::update(&pool, id, &case, &html, publish).await?;
            id
        }
        None => db::cases::insert(&pool, user.id, &case, &html, publish).await?,
    };
    tracing::info!(case_id = id, publish, "case saved");
    leptos_axum::redirect(&format!("/cases/{id}"));
    Ok(())
}

#[server(endpoint = "publish-case")]
#[tracing::instrument(skip_all, fields(case_id = id))]
pub async fn publish_case(id: i64) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{auth, db, pool};
    let pool = pool()?;
    let user = auth::require_role(&pool, &[Role::Mentor, Role::SiteAdmin]).await?;
    match db::cases::author_of(&pool, id).await? {
        None => return Err(AppError::NotFound),
        Some(author) if author != user.id => return Err(AppError::Forbidden),
        Some(_) => {}
    }
    db::cases::publish(&pool, id).await?;
    leptos_axum::redirect(&format!("/cases/{id}"));
    Ok(())
}

/// Renders Markdown exactly as a saved case would be, for the editor's preview.
#[server(endpoint = "preview-case")]
#[tracing::instrument(skip_all)]
pub async fn preview_case(body: String) -> Result<String, AppError> {
    use crate::model::{Role, BODY_MAX};
    use crate::ssr::{auth, markdown, pool};
    let pool = pool()?;
    auth::require_role(&pool, &[Role::Mentor, Role::SiteAdmin]).await?;
    if body.chars().count() > BODY_MAX {
        return Err(AppError::field(
            "body",
            format!("The body is too long: at most {BODY_MAX} characters."),
        ));
    }
    Ok(markdown::render(&body))
}

#[server(endpoint = "case")]
#[tracing::instrument(skip_all, fields(case_id = id))]
pub async fn get_case(id: i64) -> Result<CaseDetail, AppError> {
    use crate::ssr::{auth, db, pool};
    let pool = pool()?;
    let user = auth::require_user(&pool).await?;
    db::cases::get_visible(&pool, id, user.id).await
}

#[server(endpoint = "cases")]
#[tracing::instrument(skip_all)]
pub async fn list_cases(page: i64) -> Result<CasePage, AppError> {
    use crate::ssr::{auth, db, pool};
    let pool = pool()?;
    auth::require_user(&pool).await?;
    db::cases::list_published(&pool, page).await
}

/// The signed-in home page: who you follow, their latest cases, your drafts, mentors to follow.
#[server(endpoint = "home")]
#[tracing::instrument(skip_all)]
pub async fn get_home() -> Result<HomeData, AppError> {
    use crate::ssr::{auth, db, pool};
    let pool = pool()?;
    let user = auth::require_user(&pool).await?;
    let drafts = if user.role.can_author() {
        db::cases::drafts_of(&pool, user.id).await?
    } else {
        Vec::new()
    };
    Ok(HomeData {
        following: db::follows::following(&pool, user.id).await?,
        latest: db::cases::from_followed(&pool, user.id, 10).await?,
        drafts,
        suggested: db::users::suggested_mentors(&pool, user.id, 4).await?,
    })
}
