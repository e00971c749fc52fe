//! Server-only code: database access, sessions, password hashing, Markdown rendering.
//! Nothing under this module is compiled into the browser bundle.

pub mod audit;
pub mod auth;
pub mod db;
pub mod guard;
pub mod limits;
pub mod mail;
pub mod markdown;
pub mod public_url;
pub mod respond;
pub mod sessions;

use crate::error::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use sqlx::PgPool;

/// Limits on sign-in attempts within a sliding window.
#[derive(Clone, Debug)]
pub struct LoginLimits {
    pub per_account: i64,
    pub per_ip: i64,
    pub window_minutes: i64,
    /// Behind a reverse proxy every request comes from the proxy: then the client address is
    /// taken from `X-Forwarded-For`, which must be trusted only when the proxy sets it.
    pub trust_proxy: bool,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            per_account: 5,
            per_ip: 30,
            window_minutes: 15,
            trust_proxy: false,
        }
    }
}

/// What every handler and server function can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub login_limits: LoginLimits,
    pub media: crate::media::store::Media,
    pub mailer: mail::Mailer,
    /// The address people reach Corridor at (`CORRIDOR_PUBLIC_URL`): links in mails,
    /// certificates and badges are built from it, never from a request's `Host`.
    pub public_url: public_url::PublicUrl,
}

/// The application state, provided as context by the Leptos routes and server-function handlers.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState missing from context"))
}

pub fn pool() -> Result<PgPool, AppError> {
    state().map(|s| s.pool)
}

tokio::task_local! {
    /// The current request's id, for errors raised where no Leptos context exists (plain
    /// handlers, extractors).
    static REQUEST_ID: String;
}

/// The id given to the current request by the request-id middleware, for error reports.
pub fn request_id() -> Option<String> {
    if let Ok(id) = REQUEST_ID.try_with(Clone::clone) {
        return Some(id);
    }
    let parts = use_context::<http::request::Parts>()?;
    let id = parts
        .extensions
        .get::<tower_http::request_id::RequestId>()?;
    id.header_value().to_str().ok().map(str::to_owned)
}

/// Middleware (inside the request-id layer): runs the rest of the request with its id in
/// scope, so every error quotes the id the response header carries, and gives it a place to
/// remember who is calling (`auth::CallerMemo`).
pub async fn with_request_id(
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    request.extensions_mut().insert(auth::CallerMemo::default());
    let id = request
        .extensions()
        .get::<tower_http::request_id::RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("unknown")
        .to_owned();
    REQUEST_ID.scope(id, next.run(request)).await
}
