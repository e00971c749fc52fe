//! Receiving an image upload: the one way every plain handler that takes a picture (a case's
//! images, a consult's images) reads the multipart form within the size limit, checks the
//! description and caption, re-encodes the picture without its metadata, stores both renditions,
//! and answers — JSON to scripts, a redirect to pages without JavaScript.
//!
//! What is checked about *who* uploads and *what for* stays with each handler.

use crate::error::AppError;
use crate::media::store::{self, Media, UploadError};
use crate::privacy::PrivacyFinding;
use crate::ssr::respond::{refused, Caller, PostedForm};
use axum::{
    extract::{multipart::MultipartError, Multipart},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    Json,
};

/// What the form had in it, kept to refill it after a problem.
#[derive(Default)]
pub struct Form {
    pub alt_text: String,
    pub caption: String,
    pub bytes: Vec<u8>,
    file_seen: bool,
}

/// Why an upload was refused.
pub enum Refused {
    /// A problem with one field: shown beside it, with the form refilled.
    Field(&'static str, String),
    /// The privacy guard's finding in one field: shown beside it, but neither the found text
    /// nor what was typed goes back into the redirect (URLs end up in browser history and
    /// server logs).
    Private(&'static str, String),
    Error(AppError),
}

impl From<AppError> for Refused {
    fn from(error: AppError) -> Self {
        Refused::Error(error)
    }
}

/// Reads `image`, `alt_text` and `caption` (stopping as soon as the file passes `max` bytes),
/// then checks the texts' lengths and that a file came.
pub async fn read(mut multipart: Multipart, max: usize, form: &mut Form) -> Result<(), Refused> {
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
    Ok(())
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

/// Both renditions of an upload, in the store.
#[derive(Debug, Clone)]
pub struct Stored {
    pub content_type: &'static str,
    pub width: i32,
    pub height: i32,
    pub display_key: String,
    pub thumb_key: String,
    pub display_bytes: i64,
}

impl Stored {
    /// Removes the files again when nothing came to refer to them (no orphans).
    pub async fn discard(&self, media: &Media) {
        for key in [&self.display_key, &self.thumb_key] {
            let _ = media.delete(key).await;
        }
    }
}

/// Re-encodes `bytes` (on the blocking pool: it is CPU-bound) and stores both renditions under
/// `owner` (`cases/12`, `consults/7`).
pub async fn process_and_store(
    media: &Media,
    owner: &str,
    bytes: Vec<u8>,
) -> Result<Stored, Refused> {
    let max = media.max_bytes;
    let processed = tokio::task::spawn_blocking(move || store::process(&bytes, max))
        .await
        .map_err(AppError::internal)?
        .map_err(|error| Refused::Field("image", error.to_string()))?;
    let token = format!("{:016x}", rand::random::<u64>());
    let (display_key, thumb_key) = store::keys(owner, &token, processed.extension);
    let stored = Stored {
        content_type: processed.content_type,
        width: processed.width as i32,
        height: processed.height as i32,
        display_bytes: processed.display.len() as i64,
        display_key,
        thumb_key,
    };
    let put = async {
        put(media, &stored.display_key, processed.display).await?;
        put(media, &stored.thumb_key, processed.thumb).await
    };
    if let Err(error) = put.await {
        stored.discard(media).await;
        return Err(error.into());
    }
    Ok(stored)
}

/// Stores one object; a store failure is logged and becomes a 500 without its cause.
pub async fn put(media: &Media, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
    media.put(key, bytes).await.map_err(|error| {
        tracing::error!(%error, key, "could not store an image");
        AppError::internal("image store unavailable")
    })
}

/// Which rendition a file URL asks for: `display`, or `thumb` (true); anything else does not
/// exist.
pub fn thumb_asked(size: &str) -> Result<bool, AppError> {
    match size {
        "display" => Ok(false),
        "thumb" => Ok(true),
        _ => Err(AppError::NotFound),
    }
}

/// A rendition's file for a reader already checked, private (a shared ward computer keeps no
/// usable copy). A file missing from the store is "not found", and logged.
pub async fn rendition_file(media: &Media, key: &str, content_type: &str) -> Response {
    match media.get(key).await {
        Ok(bytes) => crate::ssr::respond::private_file(bytes, content_type, None),
        Err(error) => {
            tracing::warn!(%error, key, "image file missing from the store");
            AppError::NotFound.into_response()
        }
    }
}

/// The field a privacy finding belongs to and a sentence naming what kind of identifier was
/// found, then `advice`. The found text itself is not repeated.
pub fn privacy_message(findings: &[PrivacyFinding], advice: &str) -> (&'static str, String) {
    let field = match findings.first().map(|f| f.field.as_str()) {
        Some("caption") => "caption",
        _ => "alt_text",
    };
    let mut kinds: Vec<&str> = findings.iter().map(|f| f.kind.label()).collect();
    kinds.dedup();
    (
        field,
        format!(
            "This may identify the patient ({}). {advice}",
            kinds.join(", ")
        ),
    )
}

/// The answer to an upload posted to `action` from `page`: `201 {"id"}` or the error for
/// scripts; for pages, a redirect to `success(id)` or back to the form with the message.
pub fn answer(
    caller: Caller,
    outcome: Result<i64, Refused>,
    action: &str,
    page: &str,
    form: &Form,
    success: impl FnOnce(i64) -> String,
) -> Response {
    let values = [
        ("alt_text", form.alt_text.as_str()),
        ("caption", form.caption.as_str()),
    ];
    let posted = PostedForm {
        action,
        page,
        values: &values,
    };
    match outcome {
        Ok(id) if caller == Caller::Json => {
            (StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response()
        }
        Ok(id) => Redirect::to(&success(id)).into_response(),
        Err(Refused::Private(field, message)) => {
            let posted = PostedForm {
                values: &[],
                ..posted
            };
            refused(caller, AppError::field(field, message), &posted)
        }
        Err(Refused::Field(field, message)) => {
            refused(caller, AppError::field(field, message), &posted)
        }
        Err(Refused::Error(error)) => refused(caller, error, &posted),
    }
}
