//! CME: credit after pass and evaluation, the append-only ledger, certificates, external
//! claims, the department dashboard, assignments and CSV exports.

use crate::common::{Client, TestApp};
use app::accounts::Role;
use app::cases::HomeData;
use app::cme::{Certificate, CmeOverview};
use app::department::api::Dashboard;
use app::error::AppError;
use axum::http::StatusCode;
use chrono::Datelike;
use sqlx::PgPool;

const GIFT: &str = "::One:: Courvoisier's sign suggests? {=Periampullary cancer ~Gallstones}\n\n::Two:: Peaked T waves mean? {=Hyperkalaemia ~Hypokalaemia}\n";

pub(crate) async fn department(pool: &PgPool, institution: &str, name: &str) -> i64 {
    app::accounts::db::add_department(pool, institution, None, name)
        .await
        .expect("department added")
}

pub(crate) async fn place(pool: &PgPool, user_id: i64, department_id: i64) {
    sqlx::query(
        "update users set department_id = $2, registration_number = 'MMC-2019-04411' where id = $1",
    )
    .bind(user_id)
    .bind(department_id)
    .execute(pool)
    .await
    .unwrap();
}

pub(crate) struct World {
    pub app: TestApp,
    pub case_id: i64,
    pub resident: Client,
    pub resident_id: i64,
    pub admin: Client,
    pub dept: i64,
    /// The module's author.
    pub mentor: Client,
}

/// A surgery department with a mentor's published case module worth 1 point, a resident and
/// the department's admin.
pub(crate) async fn world(pool: PgPool) -> World {
    world_in(TestApp::new(pool).await).await
}

async fn world_in(app: TestApp) -> World {
    let pool = app.pool.clone();
    let dept = department(&pool, "Sahyadri Medical College", "Surgery").await;
    let (mut mentor, mentor_id) = app
        .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    place(&pool, mentor_id, dept).await;
    let case_id = app
        .save_case(
            &mut mentor,
            "Painless jaundice",
            "Palpable gallbladder.",
            "publish",
        )
        .await;
    let case = case_id.to_string();
    app.call(
        &mut mentor,
        "quiz-import",
        &[("case_id", &case), ("gift", GIFT)],
    )
    .await
    .ok();
    app.call(
        &mut mentor,
        "quiz-settings",
        &[
            ("case_id", &case),
            ("pass_mark", "100"),
            ("feedback_mode", "end"),
            ("attempts_allowed", ""),
            ("credit_amount", "1"),
            ("credit_type", "points"),
            ("time_limit_minutes", ""),
        ],
    )
    .await
    .ok();
    let (resident, resident_id) = app.register("res@example.in", "Dr. Priya Menon").await;
    place(&pool, resident_id, dept).await;
    let (admin, admin_id) = app
        .user_with_role("admin@example.in", "Dr. Dept Admin", Role::DepartmentAdmin)
        .await;
    place(&pool, admin_id, dept).await;
    World {
        app,
        case_id,
        resident,
        resident_id,
        admin,
        dept,
        mentor,
    }
}

/// Takes the module; `right` answers correctly. Returns (attempt id, passed).
pub(crate) async fn take(
    app: &TestApp,
    client: &mut Client,
    case_id: i64,
    right: bool,
) -> (i64, bool) {
    let start: serde_json::Value = app
        .post_form(client, &format!("/quiz/{case_id}/start"), &[], true)
        .await
        .json();
    let attempt = start["attempt_id"].as_i64().unwrap();
    let ids: Vec<i64> = sqlx::query_scalar("select id from quiz_questions order by position")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    for id in ids {
        let q = id.to_string();
        let choice = if right { "0" } else { "1" };
        app.post_form(
            client,
            &format!("/quiz/attempts/{attempt}/answer"),
            &[("question_id", &q), ("number", "1"), ("choice", choice)],
            true,
        )
        .await
        .ok();
    }
    let result: serde_json::Value = app
        .post_form(
            client,
            &format!("/quiz/attempts/{attempt}/submit"),
            &[],
            true,
        )
        .await
        .json();
    (attempt, result["passed"].as_bool().unwrap())
}

pub(crate) fn evaluation(attempt: i64) -> Vec<(&'static str, String)> {
    vec![
        ("attempt_id", attempt.to_string()),
        ("relevance", "5".into()),
        ("quality", "4".into()),
        ("practice_change", "will_change".into()),
        ("comments", "Useful.".into()),
    ]
}

pub(crate) async fn call_owned(
    app: &TestApp,
    client: &mut Client,
    endpoint: &str,
    form: &[(&'static str, String)],
) -> crate::common::Reply {
    let borrowed: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call(client, endpoint, &borrowed).await
}

pub(crate) async fn ledger_total(pool: &PgPool, user_id: i64) -> f64 {
    sqlx::query_scalar("select coalesce(sum(amount), 0)::float8 from cme_ledger where user_id = $1")
        .bind(user_id)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn credit_follows_a_pass_and_the_evaluation_with_a_verifiable_certificate(pool: PgPool) {
    let World {
        app,
        case_id,
        mut resident,
        resident_id,
        ..
    } = world(pool.clone()).await;

    // Failing earns nothing, and there is nothing to evaluate.
    let (failed, passed) = take(&app, &mut resident, case_id, false).await;
    assert!(!passed);
    let err = call_owned(
        &app,
        &mut resident,
        "evaluate-activity",
        &evaluation(failed),
    )
    .await
    .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("evaluation")
        .unwrap()
        .contains("passed"));

    // Passing alone earns nothing yet: the evaluation comes first.
    let (attempt, passed) = take(&app, &mut resident, case_id, true).await;
    assert!(passed);
    assert_eq!(ledger_total(&pool, resident_id).await, 0.0);
    let result: app::quiz::AttemptResult = app
        .call(
            &mut resident,
            "attempt-result",
            &[("attempt_id", &attempt.to_string())],
        )
        .await
        .json();
    assert!(result.needs_evaluation);

    let mut bad = evaluation(attempt);
    bad[1].1 = "9".into();
    bad[3].1 = "maybe".into();
    let err = call_owned(&app, &mut resident, "evaluate-activity", &bad)
        .await
        .error();
    let errors = err.field_errors().unwrap();
    assert!(errors.get("relevance").is_some() && errors.get("practice_change").is_some());
    assert_eq!(ledger_total(&pool, resident_id).await, 0.0);

    let certificate: Option<String> = call_owned(
        &app,
        &mut resident,
        "evaluate-activity",
        &evaluation(attempt),
    )
    .await
    .json();
    let certificate = certificate.expect("a certificate");
    assert_eq!(ledger_total(&pool, resident_id).await, 1.0);
    let err = call_owned(
        &app,
        &mut resident,
        "evaluate-activity",
        &evaluation(attempt),
    )
    .await
    .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("evaluation")
        .unwrap()
        .contains("already"));

    // A second pass of the same module earns no second credit.
    let (again, _) = take(&app, &mut resident, case_id, true).await;
    let second: Option<String> =
        call_owned(&app, &mut resident, "evaluate-activity", &evaluation(again))
            .await
            .json();
    assert_eq!(second, None);
    assert_eq!(ledger_total(&pool, resident_id).await, 1.0);

    // The PDF, for its holder only.
    let (status, headers, pdf) = app
        .get_bytes(&resident, &format!("/certificates/{certificate}/pdf"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/pdf");
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.starts_with("%PDF-")
            && text.contains("Dr. Priya Menon")
            && text.contains("MMC-2019-04411")
    );
    assert!(text.contains(&format!("/verify/{certificate}")));
    let (other, _) = app.register("other@example.in", "Dr. Other").await;
    let (status, _, _) = app
        .get_bytes(&other, &format!("/certificates/{certificate}/pdf"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Anyone verifies it without signing in; the Open Badge too.
    let mut anonymous = Client::default();
    let verified: Certificate = app
        .call(&mut anonymous, "certificate", &[("id", &certificate)])
        .await
        .json();
    assert!(!verified.revoked);
    assert_eq!(verified.amount, 1.0);
    // The department had not checked the registration number: the certificate says so.
    assert!(!verified.registration_verified);
    assert!(text.contains("MMC-2019-04411, self-declared"));
    let page = app
        .get(&mut anonymous, &format!("/verify/{certificate}"))
        .await;
    assert!(page.body.contains("Valid certificate"));
    assert!(page.body.contains("self-declared, not verified"));
    let (status, _, badge) = app
        .get_bytes(
            &anonymous,
            &format!("/certificates/{certificate}/badge.json"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let badge: serde_json::Value = serde_json::from_slice(&badge).unwrap();
    assert_eq!(badge["type"][1], "OpenBadgeCredential");
    let page = app.get(&mut anonymous, "/verify/nonexistent").await;
    assert!(page.body.contains("No such certificate"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_ledger_is_append_only_and_revocation_reverses_credit(pool: PgPool) {
    let World {
        app,
        case_id,
        mut resident,
        resident_id,
        mut admin,
        ..
    } = world(pool.clone()).await;
    let (attempt, _) = take(&app, &mut resident, case_id, true).await;
    let certificate: Option<String> = call_owned(
        &app,
        &mut resident,
        "evaluate-activity",
        &evaluation(attempt),
    )
    .await
    .json();
    let certificate = certificate.unwrap();

    for statement in ["update cme_ledger set amount = 5", "delete from cme_ledger"] {
        let err = sqlx::query(statement).execute(&pool).await.unwrap_err();
        assert!(
            err.to_string().contains("append-only"),
            "{statement}: {err}"
        );
    }

    // The holder cannot revoke; an admin of another department cannot either.
    let err = app
        .call(
            &mut resident,
            "revoke-certificate",
            &[("id", &certificate), ("reason", "Duplicate award")],
        )
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let other_dept = department(&pool, "Other Hospital", "Medicine").await;
    let (mut other_admin, other_admin_id) = app
        .user_with_role("oa@example.in", "Dr. Other Admin", Role::DepartmentAdmin)
        .await;
    place(&pool, other_admin_id, other_dept).await;
    let err = app
        .call(
            &mut other_admin,
            "revoke-certificate",
            &[("id", &certificate), ("reason", "Duplicate award")],
        )
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);

    app.call(
        &mut admin,
        "revoke-certificate",
        &[("id", &certificate), ("reason", "Awarded twice in error")],
    )
    .await
    .ok();
    assert_eq!(ledger_total(&pool, resident_id).await, 0.0);
    let rows: i64 = sqlx::query_scalar("select count(*) from cme_ledger where user_id = $1")
        .bind(resident_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 2, "the award stays, with its reversal beside it");
    let mut anonymous = Client::default();
    let verified: Certificate = app
        .call(&mut anonymous, "certificate", &[("id", &certificate)])
        .await
        .json();
    assert!(verified.revoked);
    assert_eq!(
        verified.revoked_reason.as_deref(),
        Some("Awarded twice in error")
    );
    let page = app
        .get(&mut anonymous, &format!("/verify/{certificate}"))
        .await;
    assert!(page.body.contains("Revoked"));
}

/// A claim with a small PDF attached.
pub(crate) async fn claim(
    app: &TestApp,
    client: &mut Client,
    title: &str,
    held_on: &str,
    amount: &str,
    file: &[u8],
) -> crate::common::Reply {
    use axum::body::Body;
    use axum::http::{header, Request};
    let boundary = "claim-boundary-93hf7";
    let mut body = Vec::new();
    for (name, value) in [
        ("title", title),
        ("organiser", "Association of Surgeons of India"),
        ("held_on", held_on),
        ("accreditation_number", "MMC/MAC/2026/C-0412"),
        ("amount", amount),
        ("credit_type", "points"),
    ] {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"certificate\"; filename=\"c.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = Request::post("/cme/claims")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::ACCEPT, "application/json")
        .header(header::ORIGIN, &app.public_url);
    if let Some(cookie) = &client.cookie {
        req = req.header(header::COOKIE, cookie);
    }
    app.request(client, req.body(Body::from(body)).unwrap())
        .await
}

#[sqlx::test(migrations = "../migrations")]
async fn claims_are_approved_by_the_department_and_the_dashboard_adds_up(pool: PgPool) {
    let World {
        app,
        case_id,
        mut resident,
        resident_id,
        mut admin,
        dept,
        ..
    } = world(pool.clone()).await;
    let today = app::cme::api::today();
    let cycle_start = today - chrono::Duration::days(30);
    let mmc: i64 = sqlx::query_scalar(
        "select id from cme_profiles where name = 'Maharashtra Medical Council'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    app.call(
        &mut resident,
        "cme-profile",
        &[
            ("profile_id", &mmc.to_string()),
            ("cycle_start", &cycle_start.format("%Y-%m-%d").to_string()),
        ],
    )
    .await
    .ok();

    // A claim is checked field by field; the certificate must be a real PDF or image.
    let held = (today - chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    let future = (today + chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    let err = claim(&app, &mut resident, "", &future, "0", b"not a pdf")
        .await
        .error();
    let errors = err.field_errors().unwrap();
    for field in ["title", "held_on", "amount", "certificate"] {
        assert!(errors.get(field).is_some(), "{field}");
    }
    let reply = claim(
        &app,
        &mut resident,
        "ASI state conference",
        &held,
        "6",
        b"%PDF-1.4 organiser's certificate",
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let claim_id = serde_json::from_str::<serde_json::Value>(&reply.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    let claim_id = claim_id.to_string();

    // Only the claimant's department admin decides; a rejection needs a reason.
    let err = app
        .call(
            &mut resident,
            "decide-claim",
            &[
                ("claim_id", &claim_id),
                ("decision", "approve"),
                ("reason", ""),
            ],
        )
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let other_dept = department(&pool, "Other Hospital", "Medicine").await;
    let (mut other_admin, other_admin_id) = app
        .user_with_role("oa@example.in", "Dr. Other Admin", Role::DepartmentAdmin)
        .await;
    place(&pool, other_admin_id, other_dept).await;
    let err = app
        .call(
            &mut other_admin,
            "decide-claim",
            &[
                ("claim_id", &claim_id),
                ("decision", "approve"),
                ("reason", ""),
            ],
        )
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let err = app
        .call(
            &mut admin,
            "decide-claim",
            &[
                ("claim_id", &claim_id),
                ("decision", "reject"),
                ("reason", ""),
            ],
        )
        .await
        .error();
    assert!(err.field_errors().unwrap().get("reason").is_some());
    let pending: Dashboard = app
        .call(
            &mut admin,
            "department/dashboard",
            &[("role", ""), ("status", "")],
        )
        .await
        .json();
    assert_eq!(pending.claims.len(), 1);
    let (status, headers, file) = app
        .get_bytes(&admin, &format!("/cme/claims/{claim_id}/file"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(file.starts_with(b"%PDF-1.4"));
    // An uploaded file is downloaded, never rendered as one of the site's pages.
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    app.call(
        &mut admin,
        "decide-claim",
        &[
            ("claim_id", &claim_id),
            ("decision", "approve"),
            ("reason", ""),
        ],
    )
    .await
    .ok();
    let err = app
        .call(
            &mut admin,
            "decide-claim",
            &[
                ("claim_id", &claim_id),
                ("decision", "approve"),
                ("reason", ""),
            ],
        )
        .await
        .error();
    assert!(err.field_errors().unwrap().get("decision").is_some());

    // Plus the module's 1 point (online).
    let (attempt, _) = take(&app, &mut resident, case_id, true).await;
    call_owned(
        &app,
        &mut resident,
        "evaluate-activity",
        &evaluation(attempt),
    )
    .await
    .ok();

    // Hand-computed: the 6-point conference counts 4 (at most 4 per event), the module 1:
    // 5 of 30, on track 30 days into a 5-year cycle, 1 short of this year's 6.
    let cycle_end =
        cycle_start.with_year(cycle_start.year() + 5).unwrap() - chrono::Duration::days(1);
    let year_end =
        cycle_start.with_year(cycle_start.year() + 1).unwrap() - chrono::Duration::days(1);
    let expected_gap = format!(
        "25 more points needed before {}; at most 9 more online. This year needs at least 1 more by {}.",
        cycle_end.format("%-d %b %Y"),
        year_end.format("%-d %b %Y")
    );
    let mine: CmeOverview = app.call(&mut resident, "cme", &[]).await.json();
    let progress = mine.progress.expect("progress");
    assert_eq!(progress.counted, 5.0);
    assert_eq!(progress.gap, expected_gap);

    let dashboard: Dashboard = app
        .call(
            &mut admin,
            "department/dashboard",
            &[("role", "resident"), ("status", "")],
        )
        .await
        .json();
    assert_eq!(dashboard.members.len(), 1);
    let member = &dashboard.members[0];
    assert_eq!(member.user_id, resident_id);
    assert_eq!((member.counted, member.required), (5.0, Some(30.0)));
    assert_eq!(member.status, "On track");
    assert_eq!(member.gap, expected_gap);
    assert!(dashboard.claims.is_empty(), "no claims waiting");
    let behind: Dashboard = app
        .call(
            &mut admin,
            "department/dashboard",
            &[("role", ""), ("status", "Behind")],
        )
        .await
        .json();
    assert!(behind.members.is_empty());

    // CSV exports: one header row, ISO dates.
    let (status, headers, csv) = app.get_bytes(&admin, "/department/dashboard.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "name,email,role,council,cycle_start,cycle_end,credit,required,status,gap"
    );
    let row = lines
        .iter()
        .find(|l| l.starts_with("Dr. Priya Menon"))
        .unwrap();
    assert!(
        row.contains(&format!(
            ",{},{},5.00,30.00,On track,",
            cycle_start.format("%Y-%m-%d"),
            cycle_end.format("%Y-%m-%d")
        )),
        "{row}"
    );
    let (status, _, department_ledger) = app.get_bytes(&admin, "/department/ledger.csv").await;
    assert_eq!(status, StatusCode::OK);
    let department_ledger = String::from_utf8(department_ledger).unwrap();
    assert!(department_ledger.starts_with("name,email,entry_id,date,activity,amount,credit_type,online,source,certificate_id,reverses_entry,reason\r\n"));
    assert_eq!(department_ledger.lines().count(), 3, "{department_ledger}");
    assert!(department_ledger.contains(&format!(
        ",{held},ASI state conference,6.00,points,false,external,"
    )));
    let (status, _, _) = app.get_bytes(&resident, "/department/ledger.csv").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, _, ledger) = app.get_bytes(&resident, "/cme/ledger.csv").await;
    let ledger = String::from_utf8(ledger).unwrap();
    assert!(ledger.starts_with("entry_id,date,activity,amount,credit_type,online,source,certificate_id,reverses_entry,reason\r\n"));
    assert_eq!(ledger.lines().count(), 3);

    // Residents see neither the dashboard nor its export.
    let err = app
        .call(
            &mut resident,
            "department/dashboard",
            &[("role", ""), ("status", "")],
        )
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let (status, _, _) = app.get_bytes(&resident, "/department/dashboard.csv").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let _ = dept;
}

#[sqlx::test(migrations = "../migrations")]
async fn assigned_modules_come_first_at_home_and_show_overdue_and_completion(pool: PgPool) {
    let World {
        app,
        case_id,
        mut resident,
        mut admin,
        ..
    } = world(pool.clone()).await;
    let due = (app::cme::api::today() + chrono::Duration::days(7))
        .format("%Y-%m-%d")
        .to_string();
    let case = case_id.to_string();
    let err = app
        .call(
            &mut admin,
            "department/assign",
            &[
                ("case_id", &case),
                ("assignee", "residents"),
                ("due_on", "2001-01-01"),
            ],
        )
        .await
        .error();
    assert!(err.field_errors().unwrap().get("due_on").is_some());
    let assigned: u64 = app
        .call(
            &mut admin,
            "department/assign",
            &[
                ("case_id", &case),
                ("assignee", "residents"),
                ("due_on", &due),
            ],
        )
        .await
        .json();
    assert_eq!(assigned, 1, "the one resident");
    let err = app
        .call(
            &mut resident,
            "department/assign",
            &[
                ("case_id", &case),
                ("assignee", "residents"),
                ("due_on", &due),
            ],
        )
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);

    let home: HomeData = app.call(&mut resident, "home", &[]).await.json();
    assert_eq!(home.assignments.len(), 1);
    assert!(!home.assignments[0].overdue && !home.assignments[0].completed);
    let page = app.get(&mut resident, "/").await;
    let assigned_at = page.body.find("Assigned to you").expect("assigned section");
    let feed_at = page.body.find("Your feed").expect("feed section");
    assert!(assigned_at < feed_at, "assigned modules come first");

    sqlx::query("update module_assignments set due_on = current_date - 1")
        .execute(&pool)
        .await
        .unwrap();
    let home: HomeData = app.call(&mut resident, "home", &[]).await.json();
    assert!(home.assignments[0].overdue);

    take(&app, &mut resident, case_id, true).await;
    let dashboard: Dashboard = app
        .call(
            &mut admin,
            "department/dashboard",
            &[("role", ""), ("status", "")],
        )
        .await
        .json();
    assert!(dashboard.assignments[0].completed && !dashboard.assignments[0].overdue);
}

#[sqlx::test(migrations = "../migrations")]
async fn council_rules_are_data_a_site_admin_edits(pool: PgPool) {
    let World {
        app, mut resident, ..
    } = world(pool.clone()).await;
    let (mut site_admin, site_admin_id) = app
        .user_with_role("sa@example.in", "Site Admin", Role::Resident)
        .await;
    sqlx::query("update users set role = 'site_admin' where id = $1")
        .bind(site_admin_id)
        .execute(&pool)
        .await
        .unwrap();
    let mmc: i64 = sqlx::query_scalar(
        "select id from cme_profiles where name = 'Maharashtra Medical Council'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let id = mmc.to_string();
    let form = |per_event: &'static str| {
        vec![
            ("profile_id", id.clone()),
            ("unit", "points".to_owned()),
            ("cycle_years", "5".to_owned()),
            ("total_required", "30".to_owned()),
            ("per_year_minimum", "6".to_owned()),
            ("per_event_maximum", per_event.to_owned()),
            ("online_cap", "10".to_owned()),
            ("online_factor", "1".to_owned()),
        ]
    };
    let err = call_owned(&app, &mut resident, "cme-profile-edit", &form("3"))
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let err = call_owned(&app, &mut site_admin, "cme-profile-edit", &form("0"))
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("per_event_maximum")
        .is_some());
    call_owned(&app, &mut site_admin, "cme-profile-edit", &form("3"))
        .await
        .ok();
    let profiles: Vec<(i64, app::cme::rules::Profile)> =
        app.call(&mut resident, "cme-profiles", &[]).await.json();
    let (_, edited) = profiles.iter().find(|(p, _)| *p == mmc).unwrap();
    assert_eq!(edited.per_event_maximum, Some(3.0));
}

#[sqlx::test(migrations = "../migrations")]
async fn certificates_and_badges_link_to_the_configured_address_whatever_the_host_header(
    pool: PgPool,
) {
    let mut settings = server::Settings::new("target/site", false, true);
    settings.public_url =
        app::ssr::public_url::PublicUrl::parse("https://corridor.example.org").unwrap();
    let World {
        app,
        case_id,
        mut resident,
        ..
    } = world_in(TestApp::with_settings(pool, settings).await).await;
    let (attempt, passed) = take(&app, &mut resident, case_id, true).await;
    assert!(passed);
    let certificate: Option<String> = call_owned(
        &app,
        &mut resident,
        "evaluate-activity",
        &evaluation(attempt),
    )
    .await
    .json();
    let certificate = certificate.expect("a certificate");

    let forged = |path: String, client: &Client| {
        let mut req = axum::http::Request::get(path).header("host", "evil.example");
        if let Some(cookie) = &client.cookie {
            req = req.header("cookie", cookie);
        }
        req.header("x-forwarded-proto", "https")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let pdf = app
        .request(
            &mut resident.clone(),
            forged(format!("/certificates/{certificate}/pdf"), &resident),
        )
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.contains(&format!(
        "https://corridor.example.org/verify/{certificate}"
    )));
    assert!(!pdf.body.contains("evil.example"));

    let badge = app
        .request(
            &mut Client::default(),
            forged(
                format!("/certificates/{certificate}/badge.json"),
                &Client::default(),
            ),
        )
        .await;
    assert_eq!(badge.status, StatusCode::OK);
    assert!(!badge.body.contains("evil.example"), "{}", badge.body);
    let badge: serde_json::Value = serde_json::from_str(&badge.body).unwrap();
    assert_eq!(
        badge["id"],
        format!("https://corridor.example.org/certificates/{certificate}/badge.json")
    );
}
