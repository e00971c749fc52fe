//! Request bodies are bounded: a server function's body over the limit is refused with 413 and
//! a sentence before the function runs, whether its length is declared or it streams in.

use crate::common::{Client, TestApp};
use app::error::AppError;
use app::ssr::limits::SERVER_FN_BODY_MAX;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sqlx::PgPool;

fn post(app: &TestApp, accept: &str, body: Body) -> Request<Body> {
    Request::post("/api/save-annotations")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, accept)
        .header(header::ORIGIN, &app.public_url)
        .body(body)
        .unwrap()
}

fn oversized() -> String {
    format!("image_id=1&annotations={}", "a".repeat(SERVER_FN_BODY_MAX))
}

#[sqlx::test(migrations = "../migrations")]
async fn an_oversized_server_function_body_is_refused_with_413_and_a_sentence(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let mut client = Client::default();

    // Declared length: refused before any of it is read.
    let reply = app
        .request(
            &mut client,
            post(&app, "application/json", Body::from(oversized())),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.body
    );
    let error = reply.error();
    assert_eq!(error, AppError::TooLarge { limit_kb: 2048 });
    assert!(error
        .to_string()
        .contains("more than Corridor accepts in one request (2048 KB)"));

    // Streamed in without a length: refused once the limit is passed.
    let chunks = oversized()
        .into_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
        .collect::<Vec<_>>();
    let streamed = Body::from_stream(futures_util::stream::iter(chunks));
    let reply = app
        .request(&mut client, post(&app, "application/json", streamed))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.body
    );
    assert_eq!(reply.error(), AppError::TooLarge { limit_kb: 2048 });

    // A page posted without JavaScript reads the sentence itself, not JSON, SQL or a panic.
    let reply = app
        .request(
            &mut client,
            post(&app, "text/html", Body::from(oversized())),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        reply
            .body
            .starts_with("This is more than Corridor accepts in one request"),
        "{}",
        reply.body
    );

    // Under the limit the request reaches the function, which asks who is calling.
    let small = "image_id=1&annotations=%5B%5D".to_owned();
    let reply = app
        .request(
            &mut client,
            post(&app, "application/json", Body::from(small)),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn deeply_nested_json_arguments_are_a_bad_request(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let mut client = Client::default();
    let nested = format!("image_id=1&annotations={}", "%5B".repeat(100_000));
    let reply = app
        .request(
            &mut client,
            post(&app, "application/json", Body::from(nested)),
        )
        .await;
    // Anonymous: refused before the JSON is read; the JSON's own bound is a unit test of the
    // annotations (serde_json stops at 128 levels).
    assert!(reply.status.is_client_error(), "{}", reply.status);
    assert!(!reply.body.contains("panicked") && !reply.body.contains("SQL"));
}
