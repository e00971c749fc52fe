//! Image uploads and image files: plain HTTP handlers beside the server functions, because an
//! upload is a multipart body and a file is bytes, not JSON.
//!
//! `POST /cases/{id}/images` takes a form (`image`, `alt_text`, `caption`) posted by the images
//! page, with or without JavaScript: on success it redirects to the new image's annotation
//! editor, on a problem back to the form with the message beside the field and what was typed.
//! Clients that send `Accept: application/json` get JSON instead (`{"id"}` or an `AppError`).
//! `GET /media/images/{id}/{display|thumb}` serves a rendition to readers of its case only.

use crate::accounts::Role;
use crate::error::AppError;
use crate::media::db::NewImage;
use crate::media::store;
use crate::media::store::{Media, UploadError};
use crate::ssr::auth::AuthUser;
use crate::ssr::respond::{private_file, refused, Caller, PostedForm};
use crate::ssr::{guard, AppState};
use axum::{
    extract::{multipart::MultipartError, DefaultBodyLimit, Multipart, Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Json, Router,
};
use tower_sessions::Session;

/// The routes, with a body limit a little above the upload limit (the form's other fields).
pub fn routes(max_bytes: usize) -> Router<AppState> {
    Router::new()
        .route(
            "/cases/{id}/images",
            post(upload).layer(DefaultBodyLimit::max(max_bytes + 256 * 1024)),
        )
        .route("/media/images/{id}/{size}", get(serve))
}

/// What the form had in it, kept to refill it after a problem.
#[derive(Default)]
struct Form {
    alt_text: String,
    caption: String,
    bytes: Vec<u8>,
    file_seen: bool,
}

enum Refused {
    /// A problem with one field: shown beside it.
    Field(&'static str, String),
    Error(AppError),
}

impl From<AppError> for Refused {
    fn from(error: AppError) -> Self {
        Refused::Error(error)
    }
}

async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path(case_id): Path<i64>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let caller = Caller::of(&headers);
    let mut form = Form::default();
    let outcome = match multipart {
        Ok(multipart) => accept(&state, &session, case_id, multipart, &mut form).await,
        Err(_) => Err(Refused::Error(AppError::BadRequest)),
    };
    let action = format!("/cases/{case_id}/images");
    let values = [
        ("alt_text", form.alt_text.as_str()),
        ("caption", form.caption.as_str()),
    ];
    let posted = PostedForm {
        action: &action,
        page: &action,
        values: &values,
    };
    match outcome {
        Ok(id) if caller == Caller::Json => {
            (StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response()
        }
        Ok(id) => Redirect::to(&format!("/cases/{case_id}/images/{id}")).into_response(),
        // Neither the found text nor what was typed goes back into a URL: URLs end up in
        // browser history and server logs.
        Err(Refused::Error(AppError::PrivacyBlocked { findings, .. }))
            if caller == Caller::Page =>
        {
            let (field, message) = privacy_message(&findings);
            let posted = PostedForm {
                values: &[],
                ..posted
            };
            refused(caller, AppError::field(field, message), &posted)
        }
        Err(Refused::Error(error)) => refused(caller, error, &posted),
        Err(Refused::Field(field, message)) => {
            refused(caller, AppError::field(field, message), &posted)
        }
    }
}

/// The field a privacy finding belongs to and a sentence naming what kind of identifier was
/// found, for the form refilled after a no-JavaScript upload. Neither the found text nor what
/// was typed goes into the redirect: URLs end up in browser history and server logs.
fn privacy_message(findings: &[crate::privacy::PrivacyFinding]) -> (&'static str, String) {
    let field = match findings.first().map(|f| f.field.as_str()) {
        Some("caption") => "caption",
        _ => "alt_text",
    };
    let mut kinds: Vec<&str> = findings.iter().map(|f| f.kind.label()).collect();
    kinds.dedup();
    (
        field,
        format!(
            "This may identify the patient ({}). The case is published, so readers would see \
             it at once: remove it and upload again.",
            kinds.join(", ")
        ),
    )
}

async fn accept(
    state: &AppState,
    session: &Session,
    case_id: i64,
    mut multipart: Multipart,
    form: &mut Form,
) -> Result<i64, Refused> {
    let pool = &state.pool;
    let user = AuthUser::from_session(pool, session).await?;
    if !matches!(user.role, Role::Mentor | Role::SiteAdmin) {
        return Err(AppError::Forbidden.into());
    }
    let published = guard::owns_case(pool, case_id, user.id).await?;

    let max = state.media.max_bytes;
    let too_large = || {
        Refused::Field(
            "image",
            UploadError::TooLarge(max.div_ceil(1024 * 1024)).to_string(),
        )
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return Err(read_error(&error, &too_large)),
        };
        match field.name().unwrap_or_default() {
            "image" => {
                form.file_seen = true;
                let mut field = field;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if form.bytes.len() + chunk.len() > max {
                                return Err(too_large());
                            }
                            form.bytes.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(error) => return Err(read_error(&error, &too_large)),
                    }
                }
            }
            name @ ("alt_text" | "caption") => {
                let name = name.to_owned();
                let text = field
                    .text()
                    .await
                    .map_err(|error| read_error(&error, &too_large))?;
                let text = text.trim().to_owned();
                if name == "alt_text" {
                    form.alt_text = text;
                } else {
                    form.caption = text;
                }
            }
            _ => {}
        }
    }

    let alt_chars = form.alt_text.chars().count();
    if alt_chars == 0 || alt_chars > 300 {
        return Err(Refused::Field(
            "alt_text",
            "Describe the image for someone who cannot see it (at most 300 characters), e.g. “Chest X-ray, PA view, left apical pneumothorax”.".into(),
        ));
    }
    if form.caption.chars().count() > 500 {
        return Err(Refused::Field(
            "caption",
            "Keep the caption to 500 characters.".into(),
        ));
    }
    if !form.file_seen || form.bytes.is_empty() {
        return Err(Refused::Field("image", UploadError::Empty.to_string()));
    }
    if published {
        // Readers of a published case would see the texts at once.
        guard::check_published_additions(
            pool,
            case_id,
            &[("alt_text", &form.alt_text), ("caption", &form.caption)],
        )
        .await?;
    }

    let bytes = std::mem::take(&mut form.bytes);
    let processed = tokio::task::spawn_blocking(move || store::process(&bytes, max))
        .await
        .map_err(AppError::internal)?
        .map_err(|error| Refused::Field("image", error.to_string()))?;

    let token = format!("{:016x}", rand::random::<u64>());
    let (display_key, thumb_key) = store::keys(case_id, &token, processed.extension);
    store(&state.media, &display_key, processed.display.clone()).await?;
    store(&state.media, &thumb_key, processed.thumb).await?;
    let inserted = crate::media::db::insert(
        pool,
        &NewImage {
            case_id,
            alt_text: &form.alt_text,
            caption: &form.caption,
            content_type: processed.content_type,
            width: processed.width as i32,
            height: processed.height as i32,
            display_key: &display_key,
            thumb_key: &thumb_key,
            display_bytes: processed.display.len() as i64,
            uploaded_by: user.id,
        },
    )
    .await;
    match inserted {
        Ok(id) => {
            // Readers outside the reviewers see the image only after consent is on file
            // (`crate::media::db::rendition`); an approved case waits for its reviewer again.
            if published {
                crate::cases::back_to_review(pool, case_id).await?;
            }
            tracing::info!(
                case_id,
                image_id = id,
                width = processed.width,
                height = processed.height,
                "image uploaded"
            );
            Ok(id)
        }
        Err(error) => {
            // Nothing refers to the files: remove them rather than leave orphans.
            for key in [&display_key, &thumb_key] {
                let _ = state.media.delete(key).await;
            }
            Err(error.into())
        }
    }
}

async fn store(media: &Media, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
    media.put(key, bytes).await.map_err(|error| {
        tracing::error!(%error, key, "could not store an image");
        AppError::internal("image store unavailable")
    })
}

/// A body cut off by the size limit reads as "too large"; anything else as a bad form.
fn read_error(error: &MultipartError, too_large: &dyn Fn() -> Refused) -> Refused {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        tracing::info!(%error, "unreadable upload");
        Refused::Error(AppError::BadRequest)
    }
}

async fn serve(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, size)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let thumb = match size.as_str() {
        "display" => false,
        "thumb" => true,
        _ => return Err(AppError::NotFound),
    };
    let (key, content_type) = crate::media::db::rendition(&state.pool, id, user.id, thumb)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(match state.media.get(&key).await {
        Ok(bytes) => {
            // Only readers of the case may see it.
            private_file(bytes, &content_type, None)
        }
        Err(error) => {
            tracing::warn!(%error, key, "image file missing from the store");
            AppError::NotFound.into_response()
        }
    })
}
