//! HTTP hardening: security headers with a per-request script nonce, no caching of pages and
//! API answers, and refusal of state-changing requests from other sites.

use crate::common::{Client, Reply, TestApp};
use app::error::AppError;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sqlx::PgPool;

/// A sign-in attempt (wrong password: what matters is whether it reaches the handler) with
/// the given extra headers.
async fn login(app: &TestApp, headers: &[(&str, &str)]) -> Reply {
    app.login_with_headers("someone@example.in", "not the password", headers)
        .await
}

fn assert_cross_site_refusal(reply: &Reply) {
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert_eq!(reply.error(), AppError::CrossSite);
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_carry_the_security_headers_and_the_hydration_script_their_nonce(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let page = app.get(&mut Client::default(), "/login").await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    for directive in [
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "'wasm-unsafe-eval'",
    ] {
        assert!(csp.contains(directive), "{directive} missing from {csp}");
    }
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .expect("a script-src directive");
    assert!(!script_src.contains("'unsafe-inline'"), "{script_src}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(nonce.len() >= 22, "{nonce}");
    // Every inline script of the page carries the nonce the header allows.
    let scripts: Vec<&str> = page
        .body
        .match_indices("<script")
        .map(|(i, _)| &page.body[i..])
        .collect();
    assert!(!scripts.is_empty(), "the hydration script is rendered");
    for script in scripts {
        let tag = &script[..script.find('>').unwrap()];
        assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{tag}");
    }
    assert_eq!(page.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(page.headers[header::REFERRER_POLICY], "same-origin");
    assert_eq!(page.headers[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(page.headers[header::CACHE_CONTROL], "private, no-store");

    // A fresh nonce for every response.
    let again = app.get(&mut Client::default(), "/login").await;
    assert_ne!(
        again.headers[header::CONTENT_SECURITY_POLICY],
        page.headers[header::CONTENT_SECURITY_POLICY]
    );
    // Error pages too.
    let missing = app.get(&mut Client::default(), "/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.headers[header::CACHE_CONTROL], "private, no-store");
    let csp = missing.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(missing.body.contains(&format!("nonce=\"{nonce}\"")));
}

#[sqlx::test(migrations = "../migrations")]
async fn server_function_answers_are_not_cached(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    let reply = app.cases(&mut resident, 1).await;
    reply.ok();
    assert_eq!(reply.headers[header::CACHE_CONTROL], "private, no-store");
    assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(reply.headers.contains_key(header::CONTENT_SECURITY_POLICY));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_post_from_another_site_is_refused(pool: PgPool) {
    let app = TestApp::new(pool).await;
    // Login and registration included: a foreign Origin never reaches the handler.
    assert_cross_site_refusal(&login(&app, &[("origin", "https://evil.example")]).await);
    assert_cross_site_refusal(
        &login(
            &app,
            &[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000"),
            ],
        )
        .await,
    );
    assert_cross_site_refusal(&login(&app, &[("origin", "null")]).await);
    // A same-site Referer does not excuse a foreign Origin.
    assert_cross_site_refusal(
        &login(
            &app,
            &[
                ("origin", "https://evil.example"),
                ("referer", "http://127.0.0.1:3000/login"),
            ],
        )
        .await,
    );
    let reply = app
        .register_with_headers("x@example.in", &[("origin", "https://evil.example")])
        .await;
    assert_cross_site_refusal(&reply);
    let users: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(users, 0);

    // A plain form post (no JavaScript) gets the sentence, not JSON.
    let (mut mentor, _) = app.register("m@example.in", "Dr. Mentor").await;
    let mut req = Request::post("/quiz/1/start")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::ORIGIN, "https://evil.example");
    if let Some(cookie) = &mentor.cookie {
        req = req.header(header::COOKIE, cookie);
    }
    let reply = app
        .request(&mut mentor, req.body(Body::empty()).unwrap())
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    assert_eq!(reply.body, AppError::CrossSite.to_string());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_post_without_origin_or_referer_is_refused(pool: PgPool) {
    let app = TestApp::new(pool).await;
    assert_cross_site_refusal(&login(&app, &[]).await);
    assert_cross_site_refusal(&login(&app, &[("host", "127.0.0.1:3000")]).await);
    // Reading needs no Origin.
    let page = app.get(&mut Client::default(), "/login").await;
    assert_eq!(page.status, StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn same_site_requests_pass(pool: PgPool) {
    let app = TestApp::new(pool).await;
    // Only a same-site Referer (a browser that sends no Origin): reaches the handler, which
    // answers "wrong password".
    let reply = login(&app, &[("referer", "http://127.0.0.1:3000/login?next=%2F")]).await;
    assert_eq!(reply.error(), AppError::BadCredentials);
    // The configured public origin.
    let reply = login(&app, &[("origin", "http://127.0.0.1:3000")]).await;
    assert_eq!(reply.error(), AppError::BadCredentials);
    // The host the request was sent to, e.g. a server reached at another address.
    let reply = login(
        &app,
        &[
            ("origin", "http://10.1.2.3:8080"),
            ("host", "10.1.2.3:8080"),
        ],
    )
    .await;
    assert_eq!(reply.error(), AppError::BadCredentials);
    // A foreign Referer without Origin is not.
    assert_cross_site_refusal(&login(&app, &[("referer", "https://evil.example/x")]).await);
}
