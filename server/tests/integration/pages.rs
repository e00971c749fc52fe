use crate::common::{CaseForm, Client, TestApp};
use app::accounts::Role;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn health_and_readiness(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let mut c = Client::default();
    let health = app.get(&mut c, "/healthz").await;
    assert_eq!((health.status.as_u16(), health.body.as_str()), (200, "ok"));
    let ready = app.get(&mut c, "/readyz").await;
    assert_eq!(ready.status.as_u16(), 200);
    assert!(
        ready.headers.contains_key("x-request-id"),
        "every response carries a request id"
    );
    // Closing waits for connections in use; never let that hang the suite.
    tokio::time::timeout(std::time::Duration::from_secs(10), pool.close())
        .await
        .expect("pool closes");
    let ready = app.get(&mut c, "/readyz").await;
    assert_eq!(ready.status.as_u16(), 503);
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_pages_are_a_real_404(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let reply = app.get(&mut Client::default(), "/no/such/page").await;
    assert_eq!(reply.status.as_u16(), 404);
    assert!(reply.body.contains("Not found"), "{}", reply.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_render_on_the_server(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (mut mentor, mentor_id) = app
        .user_with_role("m@example.in", "Dr. Meera", Role::Mentor)
        .await;
    let id = app
        .create_case(
            &mut mentor,
            CaseForm::publish("Server rendered case", "## Heading\n\nText"),
        )
        .await;
    let (mut resident, _) = app.register("r@example.in", "Dr. Resident").await;

    let home = app.get(&mut Client::default(), "/").await;
    assert_eq!(home.status.as_u16(), 200);
    assert!(home.body.contains("Join as a resident"));

    let case = app.get(&mut resident, &format!("/cases/{id}")).await;
    assert_eq!(case.status.as_u16(), 200);
    assert!(case.body.contains("Server rendered case") && case.body.contains("<h2>Heading</h2>"));

    let profile = app
        .get(&mut resident, &format!("/mentors/{mentor_id}"))
        .await;
    assert!(profile.body.contains("Dr. Meera") && profile.body.contains("Follow"));

    let register = app.get(&mut Client::default(), "/register").await;
    assert!(register.body.contains("name=\"email\"") && register.body.contains("General Surgery"));
}

#[sqlx::test(migrations = "../migrations")]
async fn protected_pages_send_strangers_to_sign_in(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let reply = app.get(&mut Client::default(), "/cases").await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let location = reply.headers.get("location").unwrap().to_str().unwrap();
    assert_eq!(location, "/login?next=/cases");

    let (mut resident, _) = app.register("r@example.in", "Dr. Resident").await;
    let reply = app.get(&mut resident, "/admin").await;
    assert_eq!(reply.status.as_u16(), 403);
    assert!(reply.body.contains("permission"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_bundle_is_served_precompressed_and_revalidated(pool: PgPool) {
    let site = std::env::temp_dir().join(format!("corridor-site-{}", std::process::id()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/corridor.js"), "console.log('plain')").unwrap();
    std::fs::write(site.join("pkg/corridor.js.br"), b"brotli bytes").unwrap();
    let settings = server::Settings::new(site.to_str().unwrap(), false, false);
    let app = TestApp::with_settings(pool, settings).await;

    let req = axum::http::Request::get("/pkg/corridor.js")
        .header("accept-encoding", "gzip, br")
        .body(axum::body::Body::empty())
        .unwrap();
    let reply = app.request(&mut Client::default(), req).await;
    assert_eq!(reply.status.as_u16(), 200);
    assert_eq!(reply.headers.get("content-encoding").unwrap(), "br");
    assert_eq!(
        reply.body, "brotli bytes",
        "the precompressed file, not recompressed"
    );
    assert_eq!(reply.headers.get("cache-control").unwrap(), "no-cache");
    assert!(reply.headers.contains_key("last-modified"));

    let plain = app.get(&mut Client::default(), "/pkg/corridor.js").await;
    assert_eq!(plain.body, "console.log('plain')");
    std::fs::remove_dir_all(site).ok();
}
