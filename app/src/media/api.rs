//! Images on a case: the author's images page, consent, annotations. Uploads and the image
//! files themselves go through plain HTTP handlers (`media/http.rs`), which use the same
//! checks.

use crate::error::AppError;
use crate::media::{CaseImage, CaseMedia};
#[cfg(feature = "ssr")]
use crate::ssr::auth::AuthUser;
use leptos::prelude::*;

/// The images page of a case, for its writers (author and co-authors) only.
#[server(endpoint = "case-media")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn get_case_media(case_id: i64) -> Result<CaseMedia, AppError> {
    use crate::ssr::{guard, pool, state};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let published = guard::writes_case(&pool, case_id, &user).await?;
    let (title, _, _) = crate::cases::texts(&pool, case_id).await?;
    Ok(CaseMedia {
        case_id,
        title,
        published,
        images: crate::media::db::for_case(&pool, case_id).await?,
        consent: crate::media::db::consent(&pool, case_id).await?,
        max_upload_mb: state()?.media.max_bytes.div_ceil(1024 * 1024),
    })
}

/// One image and its annotations, for the annotation editor (the case's author) or a reader.
#[server(endpoint = "case-image")]
#[tracing::instrument(skip_all, fields(image_id))]
pub async fn get_case_image(image_id: i64) -> Result<(CaseImage, String, bool), AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let (image, title) = crate::media::db::readable(&pool, image_id, user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let is_author = crate::cases::writer_of(&pool, image.case_id, user.id)
        .await?
        .is_some_and(|(writes, _)| writes);
    Ok((image, title, is_author))
}

/// Checks the caller writes the case an image belongs to (its author or a co-author); returns
/// the case id.
#[cfg(feature = "ssr")]
async fn owned_image(pool: &sqlx::PgPool, image_id: i64) -> Result<(i64, i64), AppError> {
    let user = AuthUser::require(pool).await?;
    let (case_id, _) = crate::media::db::owner(pool, image_id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::ssr::guard::writes_case(pool, case_id, &user).await?;
    Ok((case_id, user.id))
}

/// Stores the annotations drawn on an image, sent as JSON (the editor's whole set each time).
/// Every shape and text is checked; problems come back next to the editor. On a published case
/// the texts pass the privacy guard, and an approved case goes back to peer review.
#[server(endpoint = "save-annotations")]
#[tracing::instrument(skip_all, fields(image_id))]
pub async fn save_annotations(image_id: i64, annotations: String) -> Result<(), AppError> {
    use crate::media::annotations::{normalise, validate, Annotation};
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let (case_id, _) = owned_image(&pool, image_id).await?;
    if annotations.len() > 64 * 1024 {
        return Err(AppError::field(
            "annotations",
            "Too many annotations to save at once.",
        ));
    }
    let list: Vec<Annotation> = serde_json::from_str(&annotations).map_err(|_| {
        AppError::field(
            "annotations",
            "The annotations could not be read. Reload the page and try again.",
        )
    })?;
    let list = normalise(list);
    if let Err(problems) = validate(&list) {
        return Err(AppError::field("annotations", problems.join(" ")));
    }
    let published = crate::cases::author_of(&pool, case_id)
        .await?
        .is_some_and(|(_, published)| published);
    if published {
        // Readers see the labels and notes at once: they pass the privacy guard first.
        let texts: Vec<(&str, &str)> = list
            .iter()
            .flat_map(|a| {
                [
                    ("annotations", a.text.as_str()),
                    ("annotations", a.note.as_str()),
                ]
            })
            .filter(|(_, text)| !text.is_empty())
            .collect();
        guard::check_published_additions(&pool, case_id, &texts).await?;
    }
    crate::media::db::save_annotations(&pool, image_id, &list).await?;
    if published {
        crate::cases::back_to_review(&pool, case_id).await?;
    }
    tracing::info!(case_id, image_id, count = list.len(), "annotations saved");
    Ok(())
}

/// Deletes an image and its files.
#[server(endpoint = "delete-image")]
#[tracing::instrument(skip_all, fields(image_id))]
pub async fn delete_image(image_id: i64) -> Result<(), AppError> {
    use crate::ssr::{pool, state};
    let pool = pool()?;
    let (case_id, _) = owned_image(&pool, image_id).await?;
    if let Some((display, thumb)) = crate::media::db::delete(&pool, image_id).await? {
        let media = state()?.media;
        for key in [display, thumb] {
            // The row is gone, so nobody can reach the file any more; a file left behind is
            // logged for the operator rather than failing the request.
            if let Err(error) = media.delete(&key).await {
                tracing::warn!(%error, key, "could not delete an image file");
            }
        }
    }
    tracing::info!(case_id, image_id, "image deleted");
    leptos_axum::redirect(&format!("/cases/{case_id}/images"));
    Ok(())
}

/// Records that the patient consented to the use of the case's images for teaching.
#[server(endpoint = "record-consent")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn record_consent(
    case_id: i64,
    obtained: Option<String>,
    form_reference: String,
    consent_date: String,
) -> Result<(), AppError> {
    use crate::error::FieldErrors;
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    guard::writes_case(&pool, case_id, &user).await?;
    let form_reference = form_reference.trim();
    let mut errors = FieldErrors::new();
    if obtained.as_deref() != Some("yes") {
        errors.add(
            "obtained",
            "Confirm that the patient (or guardian) gave written consent.",
        );
    }
    if form_reference.is_empty() || form_reference.chars().count() > 100 {
        errors.add(
            "form_reference",
            "Give the consent form's reference (at most 100 characters), e.g. CF-2026-114.",
        );
    }
    let today = chrono::Utc::now().date_naive();
    let date = match chrono::NaiveDate::parse_from_str(consent_date.trim(), "%Y-%m-%d") {
        Ok(date) if date > today => {
            errors.add("consent_date", "The consent date cannot be in the future.");
            None
        }
        Ok(date) => Some(date),
        Err(_) => {
            errors.add("consent_date", "Give the date consent was obtained.");
            None
        }
    };
    errors
        .with_values(&[
            ("form_reference", form_reference),
            ("consent_date", consent_date.trim()),
        ])
        .into_result()?;
    let Some(date) = date else {
        return Err(AppError::field(
            "consent_date",
            "Give the date consent was obtained.",
        ));
    };
    crate::media::db::record_consent(&pool, case_id, form_reference, date, user.id).await?;
    crate::ssr::audit::record(
        &pool,
        crate::ssr::audit::Event::new("consent.recorded")
            .actor(user.id)
            .department(crate::ssr::audit::case_department(&pool, case_id).await?)
            .target(format!("case:{case_id}"))
            .detail(format!("form {form_reference}")),
    )
    .await?;
    tracing::info!(case_id, user_id = user.id, "consent recorded");
    leptos_axum::redirect(&format!("/cases/{case_id}/images"));
    Ok(())
}
