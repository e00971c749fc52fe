//! Prometheus metrics: the recorder, the per-request counters and latency histogram, and the
//! `GET /metrics` endpoint.
//!
//! The app emits with one-line `metrics::counter!(…)` calls where things happen (sign-in
//! failures, rate limits, mail, consult steps); this module installs the recorder those calls
//! reach, times every request by its matched route (never the raw path, so ids in URLs do not
//! make a series each), and samples what is cheaper to read than to track (the database pool,
//! overdue consults) when Prometheus scrapes.
//!
//! `/metrics` is not public: it answers only a bearer token from `CORRIDOR_METRICS_TOKEN`
//! (401 without it or with another), and 404 when no token is configured.

use axum::{
    body::Body,
    extract::{MatchedPath, State},
    http::{header, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// Request latency buckets, in seconds: from a cached page to a slow PDF.
const LATENCY_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// How long a request waited for a database connection, in seconds: from "one was idle" to
/// the 5 s at which the pool gives up.
const POOL_WAIT_BUCKETS: [f64; 10] = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 1.0, 2.5, 5.0];

/// The process's recorder, installed on first use (by the server at start-up, or by the first
/// router a test builds). Metrics are process-wide, as `metrics::counter!` calls are.
pub fn recorder() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("corridor_http_request_duration_seconds".into()),
                &LATENCY_BUCKETS,
            )
            .expect("the latency buckets are not empty")
            .set_buckets_for_metric(
                Matcher::Full("corridor_db_pool_acquire_seconds".into()),
                &POOL_WAIT_BUCKETS,
            )
            .expect("the pool wait buckets are not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics will be empty");
        }
        handle
    })
}

/// Counts and times each request under its matched route, method and status. Requests no
/// route matched (assets, unknown paths) share the route label `unmatched`.
pub async fn track(req: Request<Body>, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    // Only the methods a route can have; anything else would be a new series per invention.
    let method: &'static str = match req.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    };
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(
        "corridor_http_requests_total",
        "route" => route.clone(), "method" => method, "status" => status
    )
    .increment(1);
    metrics::histogram!(
        "corridor_http_request_duration_seconds",
        "route" => route, "method" => method
    )
    .record(started.elapsed().as_secs_f64());
    response
}

/// What the endpoint needs: the token it answers to, the pool to sample.
struct Scrape {
    /// SHA-256 of the configured token, so a comparison takes the same time whatever it is.
    token: Option<[u8; 32]>,
    pool: PgPool,
}

/// `GET /metrics`, answering the bearer `token` (or nobody, with 404, when there is none).
pub fn routes<S>(token: Option<&SecretString>, pool: PgPool) -> Router<S> {
    let scrape = Scrape {
        token: token.map(|t| digest(t.expose_secret())),
        pool,
    };
    Router::new()
        .route("/metrics", get(scrape_metrics))
        .with_state(Arc::new(scrape))
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

async fn scrape_metrics(State(scrape): State<Arc<Scrape>>, req: Request<Body>) -> Response {
    let Some(expected) = scrape.token else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| digest(t.trim()));
    if given != Some(expected) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a metrics token is required",
        )
            .into_response();
    }
    sample(&scrape.pool).await;
    let handle = recorder();
    handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}

/// Gauges read when Prometheus asks: the pool's connections, and consults past their due time.
async fn sample(pool: &PgPool) {
    metrics::gauge!("corridor_db_pool_connections", "state" => "open").set(pool.size() as f64);
    metrics::gauge!("corridor_db_pool_connections", "state" => "idle").set(pool.num_idle() as f64);
    metrics::gauge!("corridor_db_pool_max_connections")
        .set(pool.options().get_max_connections() as f64);
    match app::consults::db::overdue_count(pool).await {
        Ok(n) => metrics::gauge!("corridor_consults_overdue").set(n as f64),
        Err(error) => tracing::warn!(%error, "could not count overdue consults for /metrics"),
    }
}

/// Turns sqlx's "acquired connection" events (one per acquire, with `aquired_after_secs`;
/// `crate::pool_options` enables them) into the pool-wait histogram
/// `corridor_db_pool_acquire_seconds`. sqlx has no other hook for the time spent waiting for
/// a connection, and this one costs an event per acquire, not a timer around every query.
pub struct PoolWaits;

impl PoolWaits {
    /// The tracing target sqlx reports acquires under.
    pub const TARGET: &'static str = "sqlx::pool::acquire";

    /// The layer with its own filter: it sees the acquire events whatever `RUST_LOG` lets the
    /// log print, and nothing else.
    pub fn layer<S>() -> impl tracing_subscriber::Layer<S>
    where
        S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    {
        use tracing_subscriber::Layer;
        PoolWaits.with_filter(
            tracing_subscriber::filter::Targets::new()
                .with_target(Self::TARGET, tracing::Level::TRACE),
        )
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for PoolWaits {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct Waited(Option<f64>);
        impl tracing::field::Visit for Waited {
            fn record_f64(&mut self, field: &tracing::field::Field, value: f64) {
                // sqlx's spelling.
                if field.name() == "aquired_after_secs" {
                    self.0 = Some(value);
                }
            }
            fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
        }
        if event.metadata().target() != Self::TARGET {
            return;
        }
        let mut waited = Waited(None);
        event.record(&mut waited);
        if let Some(seconds) = waited.0 {
            metrics::histogram!("corridor_db_pool_acquire_seconds").record(seconds);
        }
    }
}
