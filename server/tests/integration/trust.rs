//! The reproductions of the trust review, each now refused: HTTP statuses that mean what they
//! say, same-site redirects only, sign-in limits that hold under concurrency and behind a
//! proxy, bounded registration and pagination, and an audit log people can read but not change.

use crate::common::fixtures::{department, place, publish_for};
use crate::common::{Client, Registration, Reply, SearchForm, TestApp};
use app::accounts::Role;
use app::audit::api::AuditPage;
use app::error::AppError;
use axum::http::header;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn server_function_errors_carry_their_status(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let mut anonymous = Client::default();
    // 401: not signed in.
    let reply = app.cases(&mut anonymous, 1).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.error(), AppError::Unauthenticated);
    // 401: wrong password (and the body says only that).
    let (_, _) = app.register("ravi@example.in", "Dr. Ravi").await;
    let reply = app
        .login(&mut anonymous, "ravi@example.in", "wrong password")
        .await;
    assert_eq!(reply.status, 401);
    let (mut resident, _) = app.register("res@example.in", "Dr. Res").await;
    // 403: not allowed.
    let reply = app.admin_users(&mut resident).await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.error(), AppError::Forbidden);
    // 404: no such case.
    let reply = app.case(&mut resident, 999999).await;
    assert_eq!(reply.status, 404);
    // 400: validation, with the field.
    let reply = app
        .search(&mut resident, SearchForm::q(&"x".repeat(300)))
        .await;
    assert_eq!(reply.status, 400);
    assert!(reply.error().field_errors().unwrap().get("q").is_some());
    // 400: an argument that cannot be read.
    let reply = app.case(&mut resident, "abc").await;
    assert_eq!(reply.status, 400);
    // 409: a conflict with what is stored.
    let reply = app.leave_department(&mut resident).await;
    assert_eq!(reply.status, 409);
    assert!(matches!(reply.error(), AppError::Conflict { .. }));
    // 429 with Retry-After.
    for _ in 0..5 {
        app.login(&mut anonymous, "ravi@example.in", "wrong password")
            .await;
    }
    let reply = app
        .login(&mut anonymous, "ravi@example.in", "correct horse battery")
        .await;
    assert_eq!(reply.status, 429);
    let retry: u32 = reply.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((60..=15 * 60).contains(&retry), "{retry}");
    let AppError::RateLimited { minutes } = reply.error() else {
        panic!("rate limited");
    };
    assert!((1..=15).contains(&minutes));

    // A plain handler answers with the same statuses and error type.
    let reply = app.get(&mut anonymous, "/admin/audit.csv").await;
    assert_eq!(reply.status, 401);
    let reply = app.get(&mut resident, "/admin/audit.csv").await;
    assert_eq!(reply.status, 403);
    let error: AppError = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(error, AppError::Forbidden);
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_follows_only_same_site_paths(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.register("ravi@example.in", "Dr. Ravi").await;
    for (next, expected) in [
        ("/cases/3", "/cases/3"),
        ("/\t/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/cases\r\nSet-Cookie: x=1", "/"),
        ("/\n/evil.example", "/"),
    ] {
        let mut browser = Client::default();
        let reply = app
            .login_then(
                &mut browser,
                "ravi@example.in",
                "correct horse battery",
                next,
            )
            .await;
        assert!(
            reply.status.is_success() || reply.status.is_redirection(),
            "{next:?}: {}",
            reply.status
        );
        assert_eq!(
            reply.headers[header::LOCATION].to_str().unwrap(),
            expected,
            "next = {next:?}"
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn parallel_guesses_cannot_pass_the_account_limit_together(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    app.register("target@example.in", "Dr. Target").await;
    let guesses = (0..40).map(|i| {
        let app = &app;
        async move {
            let mut attacker = Client {
                forwarded_for: Some(format!("198.51.100.{i}")),
                ..Client::default()
            };
            app.login(&mut attacker, "target@example.in", "guess guess guess")
                .await
                .status
        }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let checked = statuses.iter().filter(|s| s.as_u16() == 401).count();
    let limited = statuses.iter().filter(|s| s.as_u16() == 429).count();
    assert!(checked <= 5, "{checked} guesses reached the password check");
    assert_eq!(checked + limited, 40);
    // Each guess that reached the check is on record; none that was refused is.
    let recorded: i64 = sqlx::query_scalar(
        "select count(*) from login_attempts where email = 'target@example.in' and not succeeded",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(recorded as usize, checked);
}

#[sqlx::test(migrations = "../migrations")]
async fn behind_a_proxy_the_address_is_the_one_the_proxy_appended(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    app.register("real@example.in", "Dr. Real").await;
    // An attacker rotating the left-most (client-supplied) entry is still one address.
    for i in 0..30 {
        let mut attacker = Client {
            forwarded_for: Some(format!("10.9.9.{i}, 203.0.113.50")),
            ..Client::default()
        };
        let email = format!("guess{i}@example.in");
        app.login(&mut attacker, &email, "guess guess guess").await;
    }
    let mut attacker = Client {
        forwarded_for: Some("1.2.3.4, 203.0.113.50".into()),
        ..Client::default()
    };
    let reply = app
        .login(&mut attacker, "real@example.in", "correct horse battery")
        .await;
    assert_eq!(reply.status, 429);
    let ips: Vec<String> =
        sqlx::query_scalar("select distinct ip from login_attempts where email like 'guess%'")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(ips, ["203.0.113.50"]);
}

async fn login(app: &TestApp, client: &mut Client, password: &str) -> Reply {
    app.login(client, "owner@example.in", password).await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stranger_cannot_lock_the_owner_out_of_their_usual_computer(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.register("owner@example.in", "Dr. Owner").await;
    let mut ward_pc = Client {
        forwarded_for: Some("192.0.2.10".into()),
        ..Client::default()
    };
    login(&app, &mut ward_pc, "correct horse battery")
        .await
        .ok();
    for i in 0..8 {
        let mut stranger = Client {
            forwarded_for: Some(format!("198.51.100.{i}")),
            ..Client::default()
        };
        login(&app, &mut stranger, "guess guess guess").await;
    }
    // Strangers are locked out; the owner's usual address is not.
    let mut another = Client {
        forwarded_for: Some("198.51.100.200".into()),
        ..Client::default()
    };
    assert_eq!(
        login(&app, &mut another, "correct horse battery")
            .await
            .status,
        429
    );
    login(&app, &mut ward_pc, "correct horse battery")
        .await
        .ok();
}

#[sqlx::test(migrations = "../migrations")]
async fn registration_is_limited_per_address_and_checks_the_address_first(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    app.register("taken@example.in", "Dr. Taken").await;
    let mut bot = Client {
        forwarded_for: Some("203.0.113.77".into()),
        ..Client::default()
    };
    let reply = app
        .submit_registration(&mut bot, Registration::new("taken@example.in", "Dr. Bot"))
        .await;
    assert_eq!(reply.status, 400);
    assert!(reply.error().field_errors().unwrap().get("email").is_some());
    // Refused forms are not counted: ten valid registrations are.
    for i in 0..10 {
        let email = format!("bot{i}@example.in");
        let mut fresh = bot.clone();
        fresh.cookie = None;
        app.submit_registration(&mut fresh, Registration::new(&email, "Dr. Bot"))
            .await
            .ok();
    }
    let reply = app
        .submit_registration(
            &mut bot,
            Registration::new("bot-too-many@example.in", "Dr. Bot"),
        )
        .await;
    assert_eq!(reply.status, 429);
    let exists: bool = sqlx::query_scalar(
        "select exists(select 1 from users where email = 'bot-too-many@example.in')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(!exists);
}

#[sqlx::test(migrations = "../migrations")]
async fn page_numbers_cannot_overflow(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (mut reader, _) = app.register("r@example.in", "Dr. R").await;
    for page in ["9223372036854775807", "-9223372036854775808", "0"] {
        let reply = app
            .search(
                &mut reader,
                SearchForm {
                    page,
                    ..SearchForm::q("jaundice")
                },
            )
            .await;
        assert!(reply.status.is_success(), "page {page}: {}", reply.status);
        let reply = app.cases(&mut reader, page).await;
        assert!(reply.status.is_success(), "page {page}: {}", reply.status);
    }
    let reply = app
        .get(&mut reader, "/search?q=jaundice&page=9223372036854775807")
        .await;
    assert_eq!(reply.status, 200);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_audit_log_is_readable_by_admins_and_cannot_be_changed(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let surgery = department(&pool, "City", "Surgery").await;
    let medicine = department(&pool, "City", "Medicine").await;
    let (mut site, _) = app
        .user_with_role("root@example.in", "Dr. Root", Role::SiteAdmin)
        .await;
    let (mut head, head_id) = app
        .user_with_role("head@example.in", "Dr. Head", Role::DepartmentAdmin)
        .await;
    let (mut resident, resident_id) = app.register("res@example.in", "Dr. Res").await;
    let (_, other_id) = app.register("other@example.in", "Dr. Other").await;
    for (id, dept) in [
        (head_id, surgery),
        (resident_id, surgery),
        (other_id, medicine),
    ] {
        place(&pool, id, dept).await;
    }
    // Sign-ins of both departments' members.
    for email in ["res@example.in", "other@example.in"] {
        app.login(&mut Client::default(), email, "correct horse battery")
            .await
            .ok();
    }
    let all: AuditPage = app.audit(&mut site, Some("sign_in")).await.json();
    assert_eq!(all.entries.len(), 2);
    let mine: AuditPage = app.audit(&mut head, Some("sign_in")).await.json();
    assert_eq!(mine.entries.len(), 1);
    assert_eq!(mine.entries[0].subject_user_id, Some(resident_id));
    assert!(mine.entries[0].request_id.is_some());
    assert_eq!(app.audit(&mut resident, None).await.status, 403);
    let csv = app.get(&mut head, "/admin/audit.csv?action=sign_in").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.body.lines().count(), 2, "{}", csv.body);

    // Append-only: no change, no early removal.
    assert!(sqlx::query("update audit_log set action = 'x.y'")
        .execute(&pool)
        .await
        .is_err());
    assert!(sqlx::query("delete from audit_log")
        .execute(&pool)
        .await
        .is_err());
    // Housekeeping removes only what is past the retention period.
    sqlx::query("alter table audit_log disable trigger audit_log_no_change")
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "insert into audit_log (action, at) values ('old.entry', now() - interval '400 days')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("alter table audit_log enable trigger audit_log_no_change")
        .execute(&pool)
        .await
        .unwrap();
    let before: i64 = sqlx::query_scalar("select count(*) from audit_log")
        .fetch_one(&pool)
        .await
        .unwrap();
    server::housekeeping(&pool, &server::Chores::new(365, app.media.clone())).await;
    let after: i64 = sqlx::query_scalar("select count(*) from audit_log")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(after, before - 1);
    let old: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'old.entry'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(old, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn reading_a_restricted_case_is_on_the_record(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let surgery = department(&pool, "City", "Surgery").await;
    let (mut mentor, mentor_id) = app
        .user_with_role("m@example.in", "Dr. M", Role::Mentor)
        .await;
    let (mut reader, reader_id) = app.register("r@example.in", "Dr. R").await;
    for id in [mentor_id, reader_id] {
        place(&pool, id, surgery).await;
    }
    let mut ids = Vec::new();
    for (title, visibility) in [("Restricted", "department"), ("Open", "all")] {
        ids.push(publish_for(&app, &mut mentor, title, visibility).await);
    }
    for id in &ids {
        app.case(&mut reader, id).await.ok();
    }
    let reads: Vec<(Option<i64>, Option<String>, Option<i64>)> = sqlx::query_as(
        "select actor_id, target, department_id from audit_log where action = 'case.read'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        reads,
        [(
            Some(reader_id),
            Some(format!("case:{}", ids[0])),
            Some(surgery)
        )]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn claim_uploads_are_limited_per_person(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut resident, resident_id) = app.register("res@example.in", "Dr. Res").await;
    let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
    for i in 0..app::cme::http::CLAIMS_PER_DAY {
        let reply = app
            .claim(
                &mut resident,
                &format!("Conference {i}"),
                "2026-10-01",
                "2",
                pdf,
            )
            .await;
        assert!(
            reply.status.is_success(),
            "claim {i}: {} {}",
            reply.status,
            reply.body
        );
    }
    let reply = app
        .claim(&mut resident, "One too many", "2026-10-01", "2", pdf)
        .await;
    assert_eq!(reply.status, 429);
    let stored: i64 = sqlx::query_scalar("select count(*) from cme_claims where user_id = $1")
        .bind(resident_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, app::cme::http::CLAIMS_PER_DAY);
}
