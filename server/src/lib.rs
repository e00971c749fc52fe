//! The Corridor web server: configuration, the axum router around the Leptos app, health
//! checks, demo data and operator commands.

pub mod cli;
pub mod config;
pub mod demo;
pub mod metrics;
pub mod security;
pub mod telemetry;

use app::ssr::{AppState, LoginLimits};
use app::{shell, App};
use axum::{
    body::Body,
    extract::{MatchedPath, State},
    http::{header, HeaderValue, Request, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::{postgres::PgPoolOptions, PgPool};
use std::time::Duration;
use tower_http::{
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tracing::Span;

pub use sqlx;

/// Everything the router needs besides the database.
#[derive(Clone, Debug)]
pub struct Settings {
    pub leptos_options: LeptosOptions,
    pub cookie_secure: bool,
    pub login_limits: LoginLimits,
    /// Where case images are kept. [`Settings::new`] starts with a fresh directory under the
    /// system's temporary directory; the server sets the configured store.
    pub media: app::media::store::Media,
    /// Where mail goes. [`Settings::new`] writes it to an outbox under the temporary directory.
    pub mailer: app::ssr::mail::Mailer,
    /// The site's public base URL (`CORRIDOR_PUBLIC_URL`) for links in mails, certificates and
    /// badges; [`Settings::new`] starts with the development address.
    pub public_url: app::ssr::public_url::PublicUrl,
    /// The bearer token `GET /metrics` answers (`CORRIDOR_METRICS_TOKEN`); without one the
    /// endpoint is not there (404).
    pub metrics_token: Option<secrecy::SecretString>,
}

/// An object store in a local directory, created if missing.
pub fn local_media(
    dir: &std::path::Path,
    max_bytes: usize,
) -> std::io::Result<app::media::store::Media> {
    std::fs::create_dir_all(dir)?;
    let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
        .map_err(std::io::Error::other)?;
    Ok(app::media::store::Media {
        store: std::sync::Arc::new(store),
        max_bytes,
    })
}

/// An S3-compatible bucket, configured by the usual `AWS_*` variables (`AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT` for MinIO and others, `AWS_ALLOW_HTTP`).
pub fn s3_media(
    bucket: &str,
    max_bytes: usize,
) -> Result<app::media::store::Media, object_store::Error> {
    let store = object_store::aws::AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .build()?;
    Ok(app::media::store::Media {
        store: std::sync::Arc::new(store),
        max_bytes,
    })
}

impl Settings {
    /// Settings for a site whose compiled assets live under `site_root` (cargo-leptos output).
    pub fn new(site_root: &str, cookie_secure: bool, trust_proxy: bool) -> Self {
        let leptos_options = LeptosOptions::builder()
            .output_name("corridor")
            .site_root(site_root)
            .site_pkg_dir("pkg")
            .build();
        let scratch = std::env::temp_dir().join(format!(
            "corridor-media-{}-{:08x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        let media =
            local_media(&scratch, app::media::store::DEFAULT_UPLOAD_MAX).unwrap_or_else(|_| {
                app::media::store::Media {
                    store: std::sync::Arc::new(object_store::memory::InMemory::new()),
                    max_bytes: app::media::store::DEFAULT_UPLOAD_MAX,
                }
            });
        let mailer = app::ssr::mail::Mailer::outbox(
            std::env::temp_dir().join(format!("corridor-outbox-{}", std::process::id())),
            "Corridor <corridor@localhost>",
        )
        .expect("the built-in sender address is valid");
        Self {
            leptos_options,
            cookie_secure,
            login_limits: LoginLimits {
                trust_proxy,
                ..LoginLimits::default()
            },
            media,
            mailer,
            public_url: Default::default(),
            metrics_token: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("could not connect to PostgreSQL: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("could not apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("could not read or create the credential signing key: {0}")]
    SigningKey(#[source] app::error::AppError),
}

pub async fn connect(url: &str, max_connections: u32) -> Result<PgPool, StartupError> {
    pool_options(max_connections)
        .connect(url)
        .await
        .map_err(StartupError::Connect)
}

/// The pool's settings. Every acquire reports how long it waited (a trace event that
/// `metrics::PoolWaits` turns into `corridor_db_pool_acquire_seconds`); one waiting over a
/// second is also logged as a warning, and one waiting 5 s gives up (503, "busy").
pub fn pool_options(max_connections: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .acquire_time_level(log::LevelFilter::Trace)
        .acquire_slow_level(log::LevelFilter::Warn)
        .acquire_slow_threshold(Duration::from_secs(1))
}

/// Applies the SQL files under `migrations/` (embedded at build time).
pub async fn migrate(pool: &PgPool) -> Result<(), StartupError> {
    sqlx::migrate!("../migrations").run(pool).await?;
    Ok(())
}

/// The whole application as an axum router. Sessions live in PostgreSQL (`app::ssr::sessions`);
/// the cookie is HttpOnly, SameSite=Lax, and Secure when configured.
pub async fn router(pool: PgPool, settings: Settings) -> Result<Router, StartupError> {
    let sessions = SessionManagerLayer::new(app::ssr::sessions::Store::new(pool.clone()))
        .with_name("corridor_session")
        .with_secure(settings.cookie_secure)
        .with_same_site(SameSite::Lax)
        .with_http_only(true)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::days(14),
        ));

    // Credentials are signed from the first request on: make the key now if this is the first
    // start (several servers starting together still make one).
    app::cme::badge::keys::current(&pool)
        .await
        .map_err(StartupError::SigningKey)?;
    // Before the first request, so no counter is met without the recorder listening.
    metrics::recorder();
    let metrics_routes = metrics::routes(settings.metrics_token.as_ref(), pool.clone());
    let state = AppState {
        leptos_options: settings.leptos_options.clone(),
        pool,
        login_limits: settings.login_limits,
        media: settings.media.clone(),
        mailer: settings.mailer.clone(),
        public_url: settings.public_url.clone(),
    };
    let routes = generate_route_list(App);
    let options = settings.leptos_options;
    // The compiled bundle, precompressed at build time (brotli and gzip). File names carry no
    // hash, so browsers revalidate (cheaply: Last-Modified gives 304s) instead of caching blindly.
    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);
    let pkg = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );

    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(metrics_routes)
        .merge(app::media::http::routes(settings.media.max_bytes))
        .merge(app::consults::http::routes(settings.media.max_bytes))
        .merge(app::quiz::http::routes())
        .merge(app::cme::http::routes(settings.media.max_bytes))
        .merge(app::cme::badge::http::routes())
        .merge(app::audit::http::routes())
        .nest_service(&format!("/{}", options.site_pkg_dir), pkg)
        .leptos_routes_with_context(&state, routes, provide_nonce, move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide_nonce, shell))
        .layer(sessions)
        .layer(axum::middleware::from_fn(
            app::ssr::limits::bound_server_fn_bodies,
        ))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(settings.public_url),
            security::same_site_only,
        ))
        .layer(axum::middleware::from_fn(security::security_headers))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                // Failures are logged with their cause where they happen (`AppError::internal`).
                .on_failure(())
                .on_response(|res: &Response, latency: Duration, span: &Span| {
                    let status = res.status().as_u16();
                    let latency_ms = latency.as_secs_f64() * 1000.0;
                    span.record("status", status);
                    span.record("latency_ms", latency_ms);
                    tracing::info!(status, latency_ms, "response");
                }),
        )
        .layer(axum::middleware::from_fn(app::ssr::with_request_id))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state);
    Ok(router)
}

/// Hands the request's CSP nonce (set by [`security::security_headers`]) to the Leptos
/// renderer, so the hydration script and inline scripts carry the one the header allows.
fn provide_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<security::CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// One span per request: method, matched route (not the raw path, which may carry ids),
/// request id; status and latency are recorded when the response is ready.
fn request_span(req: &Request<Body>) -> Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| req.uri().path().to_owned());
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        method = %req.method(),
        route = %route,
        request_id = %request_id,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    )
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers: the process can serve requests.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query_scalar::<_, i32>("select 1")
        .fetch_one(&state.pool)
        .await
    {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// What housekeeping needs to know: how long records are kept, and where consult mails go.
#[derive(Clone, Debug)]
pub struct Chores {
    pub audit_retention_days: i32,
    /// Days a consult's clinical text is kept after it ended (its record stays).
    pub consult_retention_days: i32,
    /// Escalation and overdue notices are mailed as well as shown in the app; `None` sends none.
    pub mailer: Option<app::ssr::mail::Mailer>,
    pub public_url: app::ssr::public_url::PublicUrl,
    /// Where images are kept: the consult purge deletes the files of purged consults' images.
    pub media: app::media::store::Media,
}

impl Chores {
    /// The defaults (audit log a year, consults three years), without mail.
    pub fn new(audit_retention_days: i32, media: app::media::store::Media) -> Self {
        Self {
            audit_retention_days,
            consult_retention_days: 3 * 365,
            media,
            mailer: None,
            public_url: app::ssr::public_url::PublicUrl::parse("http://localhost:3000")
                .expect("a valid address"),
        }
    }
}

/// Hourly: deletes stale sign-in attempts and request counts, and audit entries past their
/// retention period; moves consults along (escalation, overdue, auto-close, expiry, purge).
pub fn spawn_housekeeping(pool: PgPool, chores: Chores) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            housekeeping(&pool, &chores).await;
        }
    });
}

/// One round of housekeeping; each task's failure is logged and does not stop the others.
pub async fn housekeeping(pool: &PgPool, chores: &Chores) {
    let audit_retention_days = chores.audit_retention_days;
    let outcome = app::accounts::db::prune_attempts(pool).await;
    if let Err(error) = ran("prune_sign_in_attempts", outcome) {
        tracing::warn!(%error, "could not prune sign-in attempts");
    }
    let outcome = app::department::db::prune_limits(pool).await;
    if let Err(error) = ran("prune_request_limits", outcome) {
        tracing::warn!(%error, "could not prune request counts");
    }
    let outcome = app::ssr::sessions::delete_expired(pool).await;
    if let Err(error) = ran("delete_expired_sessions", outcome) {
        tracing::warn!(%error, "could not remove expired sessions");
    }
    match ran(
        "prune_audit_log",
        app::ssr::audit::prune(pool, audit_retention_days).await,
    ) {
        Ok(0) => {}
        Ok(n) => tracing::info!(removed = n, "audit entries past retention removed"),
        Err(error) => tracing::warn!(%error, "could not prune the audit log"),
    }
    let post = chores
        .mailer
        .as_ref()
        .map(|mailer| app::consults::notice::Post {
            mailer,
            base: chores.public_url.as_str(),
        });
    let outcome = app::consults::chores::run(
        pool,
        &chores.media,
        post,
        chrono::Utc::now(),
        chores.consult_retention_days,
    )
    .await;
    match ran("consult_chores", outcome) {
        Ok(report) if report == Default::default() => {}
        Ok(report) => tracing::info!(?report, "consults moved by housekeeping"),
        Err(error) => tracing::warn!(%error, "could not finish the consult chores"),
    }
}

/// Counts one run of a background task by its outcome, for the operators' metrics.
fn ran<T, E>(task: &'static str, outcome: Result<T, E>) -> Result<T, E> {
    let label = if outcome.is_ok() { "ok" } else { "failed" };
    ::metrics::counter!("corridor_background_runs_total", "task" => task, "outcome" => label)
        .increment(1);
    outcome
}
