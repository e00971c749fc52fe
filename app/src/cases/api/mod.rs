// The case editor sends one form field per section: one argument each.
#![allow(clippy::too_many_arguments)]

pub mod mentors;

use crate::cases::{CaseDetail, CasePage, HomeData, Preview};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::auth::AuthUser;
use leptos::prelude::*;

/// Creates (no `id`) or updates a case sketch. `intent` is `publish` to publish, anything else
/// saves a draft. Only mentors write cases, and only the author may change one. Publishing, and
/// any change to a published case, must pass the privacy guard.
#[server(endpoint = "save-case")]
#[tracing::instrument(skip_all, fields(case_id = ?id))]
pub async fn save_case(
    id: Option<i64>,
    title: String,
    specialty: String,
    summary: String,
    body: Option<String>,
    presentation: Option<String>,
    history: Option<String>,
    examination: Option<String>,
    investigations: Option<String>,
    management: Option<String>,
    outcome: Option<String>,
    teaching_points: Option<String>,
    tags: Option<String>,
    visibility: Option<String>,
    kind: Option<String>,
    related: Option<String>,
    intent: Option<String>,
) -> Result<i64, AppError> {
    use crate::cases::{CaseInput, CaseSections, Kind, NewCase};
    use crate::ssr::{guard, markdown, pool};
    let pool = pool()?;
    // New cases are for mentors; an existing one for its writers (`guard::writes_case`).
    let (user, published) = match id {
        Some(id) => {
            let user = AuthUser::require(&pool).await?;
            let published = guard::writes_case(&pool, id, &user).await?;
            (user, published)
        }
        None => (AuthUser::author(&pool).await?, false),
    };
    // A case stays a case and a lesson a lesson: the kind is chosen when it is first written.
    let kind = match id {
        Some(id) => crate::cases::db::kind_of(&pool, id).await?,
        None => kind.as_deref().and_then(Kind::parse).unwrap_or_default(),
    };
    let known = crate::accounts::specialty_exists(&pool, specialty.trim()).await?;
    let has_department = user.department_id.is_some();
    let case = NewCase::parse(CaseInput {
        title: &title,
        specialty: &specialty,
        summary: &summary,
        body: body.as_deref().unwrap_or(""),
        sections: CaseSections {
            presentation: presentation.unwrap_or_default(),
            history: history.unwrap_or_default(),
            examination: examination.unwrap_or_default(),
            investigations: investigations.unwrap_or_default(),
            management: management.unwrap_or_default(),
            outcome: outcome.unwrap_or_default(),
            teaching_points: teaching_points.unwrap_or_default(),
            notes: String::new(),
        },
        tags: tags.as_deref().unwrap_or(""),
        visibility: visibility.as_deref().unwrap_or(""),
        specialty_known: known,
        has_department,
        kind,
        related: related.as_deref().unwrap_or(""),
    })?;
    let readable = crate::cases::db::related(&pool, &case.related_case_ids, user.id).await?;
    if let Some(missing) = case.related_case_ids.iter().find(|id| {
        !readable
            .iter()
            .any(|c| c.id == **id && c.kind == Kind::Case)
    }) {
        return Err(AppError::field(
            "related",
            format!("Case {missing} was not found among published cases you can read."),
        ));
    }
    let html = markdown::render(&case.body);
    let publish = intent.as_deref() == Some("publish");
    let id = match id {
        // What readers see changes only if the new text passes the guard.
        Some(id) if published => {
            guard::check_publishable(&pool, id, &case.title, &case.summary, &case.body).await?;
            crate::cases::db::update(&pool, id, &case, &html, true).await?;
            id
        }
        // A draft is saved first, so a blocked publication loses nothing.
        existing => {
            let id = match existing {
                Some(id) => {
                    crate::cases::db::update(&pool, id, &case, &html, false).await?;
                    id
                }
                None => crate::cases::db::insert(&pool, user.id, &case, &html, false).await?,
            };
            if publish {
                guard::check_publishable(&pool, id, &case.title, &case.summary, &case.body).await?;
                crate::cases::db::publish(&pool, id).await?;
                crate::discussion::notify_published(&pool, id).await?;
            }
            id
        }
    };
    tracing::info!(case_id = id, publish, kind = kind.as_str(), "case saved");
    leptos_axum::redirect(&kind.url(id));
    Ok(id)
}

#[server(endpoint = "publish-case")]
#[tracing::instrument(skip_all, fields(case_id = id))]
pub async fn publish_case(id: i64) -> Result<(), AppError> {
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    guard::writes_case(&pool, id, &user).await?;
    let (title, summary, body) = crate::cases::db::texts(&pool, id).await?;
    guard::check_publishable(&pool, id, &title, &summary, &body).await?;
    crate::cases::db::publish(&pool, id).await?;
    crate::discussion::notify_published(&pool, id).await?;
    leptos_axum::redirect(&crate::cases::db::kind_of(&pool, id).await?.url(id));
    Ok(())
}

/// Another mentor of the case's department approves a case waiting for peer review; readers
/// see it from then on.
#[server(endpoint = "approve-case")]
#[tracing::instrument(skip_all, fields(case_id = id))]
pub async fn approve_case(id: i64) -> Result<(), AppError> {
    use crate::accounts::Role;
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::with_role(&pool, &[Role::Mentor, Role::DepartmentAdmin]).await?;
    let (author, department, pending) = crate::cases::db::review_info(&pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if author == user.id || department.is_none() || department != user.department_id {
        return Err(AppError::Forbidden);
    }
    // A co-author does not review what they wrote either.
    if crate::cases::writer_of(&pool, id, user.id)
        .await?
        .is_some_and(|(writes, _)| writes)
    {
        return Err(AppError::Forbidden);
    }
    if !pending || !crate::cases::db::approve(&pool, id, user.id).await? {
        return Err(AppError::field(
            "review",
            "This case is not waiting for review.",
        ));
    }
    crate::discussion::notify_published(&pool, id).await?;
    tracing::info!(case_id = id, reviewer = user.id, "case approved");
    leptos_axum::redirect(&crate::cases::db::kind_of(&pool, id).await?.url(id));
    Ok(())
}

/// Takes a published case back to draft (readers stop seeing it). Only its writers may.
#[server(endpoint = "unpublish-case")]
#[tracing::instrument(skip_all, fields(case_id = id))]
pub async fn unpublish_case(id: i64) -> Result<(), AppError> {
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    guard::writes_case(&pool, id, &user).await?;
    crate::cases::db::unpublish(&pool, id).await?;
    tracing::info!(case_id = id, "case unpublished");
    leptos_axum::redirect(&crate::cases::db::kind_of(&pool, id).await?.url(id));
    Ok(())
}

/// The author accepts one privacy finding as not identifying, with a written reason that is
/// kept for audit. Only findings actually present in the case can be overridden.
#[server(endpoint = "override-finding")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn override_finding(
    case_id: i64,
    kind: String,
    text: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    guard::writes_case(&pool, case_id, &user).await?;
    let reason = reason.trim();
    if reason.chars().count() < 10 {
        return Err(AppError::field(
            "reason",
            "Say in a sentence why this does not identify the patient (at least 10 characters).",
        ));
    }
    let (title, summary, body) = crate::cases::db::texts(&pool, case_id).await?;
    let present = guard::open_findings(&pool, case_id, &title, &summary, &body)
        .await?
        .into_iter()
        .any(|f| f.kind.as_str() == kind && f.text == text);
    if !present {
        return Err(AppError::field(
            "reason",
            "That item is no longer in the case.",
        ));
    }
    crate::cases::db::record_privacy_override(&pool, case_id, &kind, &text, reason, user.id)
        .await?;
    {
        use crate::ssr::audit;
        use crate::ssr::audit::Event;
        audit::record(
            &pool,
            Event::new("privacy.override")
                .actor(user.id)
                .department(audit::case_department(&pool, case_id).await?)
                .target(format!("case:{case_id}"))
                .detail(format!("{kind}: {reason}")),
        )
        .await?;
    }
    tracing::info!(
        case_id,
        kind,
        user_id = user.id,
        "privacy finding overridden"
    );
    crate::ssr::respond::back_with("overridden", "1");
    Ok(())
}

/// Renders Markdown exactly as a saved case would be, and runs the privacy guard over the
/// texts, for the editor's preview.
#[server(endpoint = "preview-case")]
#[tracing::instrument(skip_all)]
pub async fn preview_case(
    title: String,
    summary: String,
    body: String,
) -> Result<Preview, AppError> {
    use crate::cases::BODY_MAX;
    use crate::privacy::PrivacyFinding;
    use crate::ssr::{markdown, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    if body.chars().count() > BODY_MAX {
        return Err(AppError::field(
            "body",
            format!("The body is too long: at most {BODY_MAX} characters."),
        ));
    }
    Ok(Preview {
        html: markdown::render(&body),
        findings: PrivacyFinding::scan_fields_with(
            &[("title", &title), ("summary", &summary), ("body", &body)],
            &crate::admin::labels_for_user(&pool, user.id).await?,
        ),
    })
}

/// A case as its reader sees it, with the first page of its discussion, or the page after
/// the cursor `comments` (a `Discussion::next`). A cursor that does not read is a 400.
#[server(endpoint = "case")]
#[tracing::instrument(skip_all, fields(case_id = id))]
pub async fn get_case(id: i64, comments: Option<String>) -> Result<CaseDetail, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let comments_after = crate::util::parse_cursor(comments.as_deref())?;
    let mut case = crate::cases::db::get_visible(&pool, id, user.id, comments_after).await?;
    case.discussion.can_moderate |= user.role == crate::accounts::Role::SiteAdmin;
    // Reading a case restricted to a department or institution is on the record.
    if case.visibility != crate::cases::Visibility::All && case.summary.author_id != user.id {
        use crate::ssr::audit;
        use crate::ssr::audit::Event;
        audit::record(
            &pool,
            Event::new("case.read")
                .actor(user.id)
                .department(audit::case_department(&pool, id).await?)
                .target(format!("case:{id}"))
                .detail(case.visibility.as_str()),
        )
        .await?;
    }
    Ok(case)
}

#[server(endpoint = "cases")]
#[tracing::instrument(skip_all)]
pub async fn list_cases(page: i64) -> Result<CasePage, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    crate::cases::db::list_published(&pool, user.id, page).await
}

/// The signed-in home page: the feed from followed mentors and specialties (a page of it,
/// after the cursor `before`), your drafts, mentors to follow.
#[server(endpoint = "home")]
#[tracing::instrument(skip_all)]
pub async fn get_home(before: Option<String>) -> Result<HomeData, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    crate::cases::db::home(
        &pool,
        user.id,
        user.role.can_author(),
        before.as_deref().and_then(crate::cases::parse_feed_cursor),
    )
    .await
}

/// Searches (or, with an empty query, browses) the cases the caller may read.
#[server(endpoint = "search")]
#[tracing::instrument(skip_all)]
pub async fn search_cases(
    q: String,
    specialty: String,
    mentor: String,
    tag: Option<String>,
    kind: Option<String>,
    page: i64,
) -> Result<crate::cases::SearchResults, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let q = q.trim();
    if q.chars().count() > 200 {
        return Err(AppError::field("q", "Search for at most 200 characters."));
    }
    let specialty = Some(specialty.trim()).filter(|s| !s.is_empty());
    let mentor = mentor.trim().parse::<i64>().ok();
    let tag = tag.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let kind = kind.as_deref().and_then(crate::cases::Kind::parse);
    let (hits, has_next) =
        crate::cases::db::search(&pool, user.id, q, specialty, mentor, tag, kind, page).await?;
    Ok(crate::cases::SearchResults {
        hits,
        page: crate::util::clamp_page(page),
        has_next,
        specialties: crate::accounts::specialties(&pool).await?,
        mentors: crate::cases::db::mentors_with_cases(&pool).await?,
    })
}
