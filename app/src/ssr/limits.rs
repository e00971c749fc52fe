//! A bound on the bodies sent to server functions. Plain handlers bound their own (each upload
//! route its `DefaultBodyLimit`, forms axum's 2 MB default), but a server function reads its
//! whole body before it runs, with no bound of its own: without this, one request could make
//! the server hold any amount in memory. JSON nesting is bounded by serde_json (128 levels),
//! and form arguments by their size here.

use crate::error::AppError;
use crate::ssr::respond::Caller;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

/// Where server functions answer.
const SERVER_FN_PREFIX: &str = "/api/";

/// The largest body a server function accepts: a whole case (50,000 characters of Devanagari
/// is 450 KB once form-encoded) or a pasted question bank several times over.
pub const SERVER_FN_BODY_MAX: usize = 2 * 1024 * 1024;

/// Middleware: refuses a server function's body above [`SERVER_FN_BODY_MAX`] with 413 and a
/// sentence, before the function runs; by its declared length when it has one, else as it
/// arrives.
pub async fn bound_server_fn_bodies(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with(SERVER_FN_PREFIX) {
        return next.run(request).await;
    }
    let caller = Caller::of(request.headers());
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > SERVER_FN_BODY_MAX as u64) {
        return too_large(caller);
    }
    let (parts, body) = request.into_parts();
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::with_capacity(declared.map_or(0, |n| n as usize));
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return AppError::BadRequest.into_response();
        };
        if bytes.len() + chunk.len() > SERVER_FN_BODY_MAX {
            return too_large(caller);
        }
        bytes.extend_from_slice(&chunk);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// 413 with the sentence: as JSON for a script, as text for a page posted without JavaScript.
fn too_large(caller: Caller) -> Response {
    let error = AppError::TooLarge {
        limit_kb: (SERVER_FN_BODY_MAX / 1024) as u32,
    };
    tracing::info!("server function body over the limit refused");
    match caller {
        Caller::Json => error.into_response(),
        Caller::Page => (StatusCode::PAYLOAD_TOO_LARGE, error.to_string()).into_response(),
    }
}
