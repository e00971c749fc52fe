//! `GET /metrics`: Prometheus text for the bearer token from configuration, nobody else; the
//! request counters carry the matched route, not the raw path.
//!
//! The recorder is process-wide and tests run side by side, so each assertion compares a
//! counter before and after this test's own requests.

use crate::common::{Client, TestApp};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use server::Settings;
use sqlx::PgPool;

const TOKEN: &str = "test-metrics-token-0123456789";

async fn scrape(app: &TestApp, authorization: Option<&str>) -> (StatusCode, String) {
    let mut req = Request::get("/metrics");
    if let Some(value) = authorization {
        req = req.header(header::AUTHORIZATION, value);
    }
    let reply = app
        .request(&mut Client::default(), req.body(Body::empty()).unwrap())
        .await;
    (reply.status, reply.body)
}

/// The value of the series `name` whose labels include every one of `labels` (0 when absent).
fn value(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
        .filter(|l| {
            labels
                .iter()
                .all(|(k, v)| l.contains(&format!("{k}=\"{v}\"")))
        })
        .map(|l| {
            l.rsplit(' ')
                .next()
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or_else(|| panic!("not a sample line: {l}"))
        })
        .sum()
}

async fn app_with_token(pool: PgPool) -> TestApp {
    let mut settings = Settings::new("target/site", false, true);
    settings.metrics_token = Some(TOKEN.to_owned().into());
    TestApp::with_settings(pool, settings).await
}

#[sqlx::test(migrations = "../migrations")]
async fn without_a_configured_token_there_is_no_metrics_endpoint(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (status, body) = scrape(&app, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.contains("corridor_"));
    let (status, _) = scrape(&app, Some(&format!("Bearer {TOKEN}"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "../migrations")]
async fn metrics_need_the_token(pool: PgPool) {
    let app = app_with_token(pool).await;
    for authorization in [
        None,
        Some("Bearer wrong-token-0123456789abcdef"),
        Some(TOKEN),
        Some("Basic dGVzdDp0ZXN0"),
        Some("Bearer "),
    ] {
        let (status, body) = scrape(&app, authorization).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert!(!body.contains("corridor_http"), "{authorization:?}: {body}");
    }
    let (status, body) = scrape(&app, Some(&format!("Bearer {TOKEN}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("corridor_db_pool_connections"), "{body}");
}

#[sqlx::test(migrations = "../migrations")]
async fn requests_and_sign_in_failures_are_counted(pool: PgPool) {
    let app = app_with_token(pool).await;
    let bearer = format!("Bearer {TOKEN}");
    let healthz = [("route", "/healthz"), ("method", "GET"), ("status", "200")];
    let failures = [("reason", "bad_credentials")];

    let (_, before) = scrape(&app, Some(&bearer)).await;
    let mut browser = Client {
        forwarded_for: Some("10.77.0.1".into()),
        ..Client::default()
    };
    for _ in 0..3 {
        assert_eq!(
            app.get(&mut browser, "/healthz").await.status,
            StatusCode::OK
        );
    }
    // A case id that exists nowhere: its route is counted, the id is not.
    app.get(&mut browser, "/cases/987654321").await;
    let reply = app
        .login(&mut browser, "nobody@example.in", "not the password")
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    let (status, after) = scrape(&app, Some(&bearer)).await;
    assert_eq!(status, StatusCode::OK);

    let served = value(&after, "corridor_http_requests_total", &healthz)
        - value(&before, "corridor_http_requests_total", &healthz);
    assert!(served >= 3.0, "healthz counted {served} times:\n{after}");
    assert!(
        value(
            &after,
            "corridor_http_requests_total",
            &[("route", "/cases/{id}"), ("method", "GET")]
        ) >= 1.0,
        "{after}"
    );
    assert!(!after.contains("987654321"), "a raw path became a label");
    let login = [
        ("route", "/api/login"),
        ("method", "POST"),
        ("status", "401"),
    ];
    assert!(
        value(&after, "corridor_http_requests_total", &login)
            - value(&before, "corridor_http_requests_total", &login)
            >= 1.0,
        "{after}"
    );
    let failed = value(&after, "corridor_sign_in_failures_total", &failures)
        - value(&before, "corridor_sign_in_failures_total", &failures);
    assert!(failed >= 1.0, "sign-in failures counted {failed}:\n{after}");
    // The latency histogram has buckets for the route.
    assert!(
        value(
            &after,
            "corridor_http_request_duration_seconds_count",
            &[("route", "/healthz")]
        ) >= 3.0,
        "{after}"
    );
    assert!(after.contains("corridor_http_request_duration_seconds_bucket{"));
    // Sampled at the scrape: the pool holds at least the connection the scrape used.
    assert!(
        value(&after, "corridor_db_pool_connections", &[("state", "open")]) >= 1.0,
        "{after}"
    );
    assert!(after.contains("corridor_consults_overdue 0"), "{after}");
}

/// A request that waits for a database connection is timed into
/// `corridor_db_pool_acquire_seconds`, and one that waits past the pool's limit gets 503
/// ("busy") and is counted, not a 500.
#[sqlx::test]
async fn waits_for_a_database_connection_are_measured(pool: PgPool) {
    crate::common::statements::install();
    let handle = server::metrics::recorder();
    let connect = (*pool.connect_options()).clone();
    let small = server::pool_options(1)
        .acquire_timeout(std::time::Duration::from_millis(400))
        .connect_with(connect)
        .await
        .unwrap();
    let before = handle.render();

    // One connection, held for 300 ms while another request asks for it.
    let held = small.acquire().await.unwrap();
    let waiter = {
        let small = small.clone();
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let conn = small.acquire().await.unwrap();
            drop(conn);
            started.elapsed()
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    drop(held);
    let waited = waiter.await.unwrap();
    assert!(
        waited >= std::time::Duration::from_millis(250),
        "{waited:?}"
    );

    let after = handle.render();
    let name = "corridor_db_pool_acquire_seconds";
    let count = value(&after, &format!("{name}_count"), &[])
        - value(&before, &format!("{name}_count"), &[]);
    let sum =
        value(&after, &format!("{name}_sum"), &[]) - value(&before, &format!("{name}_sum"), &[]);
    assert!(count >= 2.0, "acquires counted {count}:\n{after}");
    assert!(sum >= 0.25, "seconds waited {sum}:\n{after}");
    assert!(
        after.contains(&format!("{name}_bucket{{le=\"0.25\"}}")),
        "{after}"
    );

    // Nobody lets go: the next request gives up after the pool's limit, as "busy".
    let held = small.acquire().await.unwrap();
    let timeouts_before = value(&handle.render(), "corridor_db_pool_timeouts_total", &[]);
    let error = app::error::AppError::from(small.acquire().await.unwrap_err());
    assert_eq!(error, app::error::AppError::Busy);
    assert_eq!(error.status(), 503);
    assert_eq!(error.retry_after_seconds(), Some(5));
    let timeouts_after = value(&handle.render(), "corridor_db_pool_timeouts_total", &[]);
    assert!(timeouts_after - timeouts_before >= 1.0, "{timeouts_after}");
    drop(held);
}

/// Every metric the sample Grafana dashboard charts is one the code emits (by its literal name
/// in a `metrics::…!` call), so the dashboard cannot drift into charting nothing.
#[test]
fn the_sample_dashboard_charts_only_emitted_metrics() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let dashboard = std::fs::read_to_string(format!("{root}/docs/grafana-dashboard.json"))
        .expect("docs/grafana-dashboard.json");
    let _: serde_json::Value = serde_json::from_str(&dashboard).expect("the dashboard is JSON");
    let mut sources = String::new();
    for dir in ["server/src", "app/src"] {
        let mut stack = vec![std::path::PathBuf::from(format!("{root}/{dir}"))];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut charted = std::collections::BTreeSet::new();
    for (at, _) in dashboard.match_indices("corridor_") {
        let name: String = dashboard[at..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        let name = ["_bucket", "_count", "_sum"]
            .iter()
            .fold(name, |n, suffix| {
                n.strip_suffix(suffix).map(str::to_owned).unwrap_or(n)
            });
        charted.insert(name);
    }
    assert!(charted.len() >= 8, "{charted:?}");
    for name in &charted {
        assert!(
            sources.contains(&format!("\"{name}\"")),
            "the dashboard charts {name}, which no code emits"
        );
    }
}
