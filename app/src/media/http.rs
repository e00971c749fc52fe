//! Image uploads and image files: plain HTTP handlers beside the server functions, because an
//! upload is a multipart body and a file is bytes, not JSON.
//!
//! `POST /cases/{id}/images` takes a form (`image`, `alt_text`, `caption`) posted by the images
//! page, with or without JavaScript: on success it redirects to the new image's annotation
//! editor, on a problem back to the form with the message beside the field and what was typed.
//! Clients that send `Accept: application/json` get JSON instead (`{"id"}` or an `AppError`).
//! `GET /media/images/{id}/{display|thumb}` serves a rendition to readers of its case only.

use crate::error::AppError;
use crate::media::db::NewImage;
use crate::media::upload::{self, Form, Refused};
use crate::ssr::auth::AuthUser;
use crate::ssr::respond::Caller;
use crate::ssr::{guard, AppState};
use axum::{
    extract::{DefaultBodyLimit, Multipart, Path, State},
    http::HeaderMap,
    response::Response,
    routing::{get, post},
    Router,
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
    let outcome = match outcome {
        // A page gets the finding beside its field; a script gets the findings themselves.
        Err(Refused::Error(AppError::PrivacyBlocked { findings, .. }))
            if caller == Caller::Page =>
        {
            let (field, message) = upload::privacy_message(
                &findings,
                "The case is published, so readers would see it at once: remove it and upload \
                 again.",
            );
            Err(Refused::Private(field, message))
        }
        other => other,
    };
    let action = format!("/cases/{case_id}/images");
    upload::answer(caller, outcome, &action, &action, &form, |id| {
        format!("/cases/{case_id}/images/{id}")
    })
}

async fn accept(
    state: &AppState,
    session: &Session,
    case_id: i64,
    multipart: Multipart,
    form: &mut Form,
) -> Result<i64, Refused> {
    let pool = &state.pool;
    let user = AuthUser::from_session(pool, session).await?;
    let published = guard::writes_case(pool, case_id, &user).await?;
    upload::read(multipart, state.media.max_bytes, form).await?;
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
    let stored =
        upload::process_and_store(&state.media, &format!("cases/{case_id}"), bytes).await?;
    let inserted = crate::media::db::insert(
        pool,
        &NewImage {
            case_id,
            alt_text: &form.alt_text,
            caption: &form.caption,
            content_type: stored.content_type,
            width: stored.width,
            height: stored.height,
            display_key: &stored.display_key,
            thumb_key: &stored.thumb_key,
            display_bytes: stored.display_bytes,
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
                width = stored.width,
                height = stored.height,
                "image uploaded"
            );
            Ok(id)
        }
        Err(error) => {
            stored.discard(&state.media).await;
            Err(error.into())
        }
    }
}

async fn serve(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, size)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let thumb = upload::thumb_asked(&size)?;
    // Only readers of the case may see it.
    let (key, content_type) = crate::media::db::rendition(&state.pool, id, user.id, thumb)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(upload::rendition_file(&state.media, &key, &content_type).await)
}
