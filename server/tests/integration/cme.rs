//! CME: credit after pass and evaluation, the append-only ledger, certificates, external
//! claims, the department dashboard, assignments and CSV exports.

use crate::common::fixtures::{
    council, department, ledger_total, make_site_admin, place_registered, take, world, world_in,
    World,
};
use crate::common::{pdf_text, Client, CmeProfileForm, Evaluation, TestApp};
use app::accounts::Role;
use app::cases::HomeData;
use app::cme::{Certificate, CmeOverview};
use app::department::api::Dashboard;
use app::error::AppError;
use axum::http::StatusCode;
use chrono::Datelike;
use sqlx::PgPool;

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
    let err = app
        .evaluate_activity(&mut resident, Evaluation::of(failed))
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
    let result: app::quiz::AttemptResult = app.attempt_result(&mut resident, attempt).await;
    assert!(result.needs_evaluation);

    let bad = Evaluation {
        relevance: "9",
        practice_change: "maybe",
        ..Evaluation::of(attempt)
    };
    let err = app.evaluate_activity(&mut resident, bad).await.error();
    let errors = err.field_errors().unwrap();
    assert!(errors.get("relevance").is_some() && errors.get("practice_change").is_some());
    assert_eq!(ledger_total(&pool, resident_id).await, 0.0);

    let certificate: Option<String> = app
        .evaluate_activity(&mut resident, Evaluation::of(attempt))
        .await
        .json();
    let certificate = certificate.expect("a certificate");
    assert_eq!(ledger_total(&pool, resident_id).await, 1.0);
    let err = app
        .evaluate_activity(&mut resident, Evaluation::of(attempt))
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
    let second: Option<String> = app
        .evaluate_activity(&mut resident, Evaluation::of(again))
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
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Dr. Priya Menon") && text.contains("MMC-2019-04411"),
        "{text}"
    );
    assert!(text.contains(&format!("/verify/{certificate}")));
    let (other, _) = app.register("other@example.in", "Dr. Other").await;
    let (status, _, _) = app
        .get_bytes(&other, &format!("/certificates/{certificate}/pdf"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Anyone verifies it without signing in; the Open Badge too.
    let mut anonymous = Client::default();
    let verified: Certificate = app.certificate(&mut anonymous, &certificate).await.json();
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
    let certificate: Option<String> = app
        .evaluate_activity(&mut resident, Evaluation::of(attempt))
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
        .revoke_certificate(&mut resident, &certificate, "Duplicate award")
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let other_dept = department(&pool, "Other Hospital", "Medicine").await;
    let (mut other_admin, other_admin_id) = app
        .user_with_role("oa@example.in", "Dr. Other Admin", Role::DepartmentAdmin)
        .await;
    place_registered(&pool, other_admin_id, other_dept).await;
    let err = app
        .revoke_certificate(&mut other_admin, &certificate, "Duplicate award")
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);

    app.revoke_certificate(&mut admin, &certificate, "Awarded twice in error")
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
    let verified: Certificate = app.certificate(&mut anonymous, &certificate).await.json();
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
    let mmc = council(&pool, "Maharashtra Medical Council").await;
    app.set_cme_profile(
        &mut resident,
        mmc,
        &cycle_start.format("%Y-%m-%d").to_string(),
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
    let err = app
        .claim(&mut resident, "", &future, "0", b"not a pdf")
        .await
        .error();
    let errors = err.field_errors().unwrap();
    for field in ["title", "held_on", "amount", "certificate"] {
        assert!(errors.get(field).is_some(), "{field}");
    }
    let reply = app
        .claim(
            &mut resident,
            "ASI state conference",
            &held,
            "6",
            b"%PDF-1.4 organiser's certificate",
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let claim_id = reply.created_id();

    // Only the claimant's department admin decides; a rejection needs a reason.
    let err = app
        .decide_claim(&mut resident, claim_id, "approve", "")
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let other_dept = department(&pool, "Other Hospital", "Medicine").await;
    let (mut other_admin, other_admin_id) = app
        .user_with_role("oa@example.in", "Dr. Other Admin", Role::DepartmentAdmin)
        .await;
    place_registered(&pool, other_admin_id, other_dept).await;
    let err = app
        .decide_claim(&mut other_admin, claim_id, "approve", "")
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let err = app
        .decide_claim(&mut admin, claim_id, "reject", "")
        .await
        .error();
    assert!(err.field_errors().unwrap().get("reason").is_some());
    let pending: Dashboard = app.dashboard(&mut admin, "", "").await.json();
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
    app.decide_claim(&mut admin, claim_id, "approve", "")
        .await
        .ok();
    let err = app
        .decide_claim(&mut admin, claim_id, "approve", "")
        .await
        .error();
    assert!(err.field_errors().unwrap().get("decision").is_some());

    // Plus the module's 1 point (online).
    let (attempt, _) = take(&app, &mut resident, case_id, true).await;
    app.evaluate_activity(&mut resident, Evaluation::of(attempt))
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
    let mine: CmeOverview = app.cme(&mut resident).await;
    let progress = mine.progress.expect("progress");
    assert_eq!(progress.counted, 5.0);
    assert_eq!(progress.gap, expected_gap);

    let dashboard: Dashboard = app.dashboard(&mut admin, "resident", "").await.json();
    assert_eq!(dashboard.members.len(), 1);
    let member = &dashboard.members[0];
    assert_eq!(member.user_id, resident_id);
    assert_eq!((member.counted, member.required), (5.0, Some(30.0)));
    assert_eq!(member.status, "On track");
    assert_eq!(member.gap, expected_gap);
    assert!(dashboard.claims.is_empty(), "no claims waiting");
    let behind: Dashboard = app.dashboard(&mut admin, "", "Behind").await.json();
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
    let err = app.dashboard(&mut resident, "", "").await.error();
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
    let err = app
        .assign_module(&mut admin, case_id, "residents", "2001-01-01")
        .await
        .error();
    assert!(err.field_errors().unwrap().get("due_on").is_some());
    let assigned: u64 = app
        .assign_module(&mut admin, case_id, "residents", &due)
        .await
        .json();
    assert_eq!(assigned, 1, "the one resident");
    let err = app
        .assign_module(&mut resident, case_id, "residents", &due)
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);

    let home: HomeData = app.home(&mut resident).await.json();
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
    let home: HomeData = app.home(&mut resident).await.json();
    assert!(home.assignments[0].overdue);

    take(&app, &mut resident, case_id, true).await;
    let dashboard: Dashboard = app.dashboard(&mut admin, "", "").await.json();
    let round = &dashboard.assignments[0];
    assert_eq!(
        (round.assigned, round.completed, round.overdue),
        (1, 1, 0),
        "the one resident passed, so nothing is overdue"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn council_rules_are_data_a_site_admin_edits(pool: PgPool) {
    let World {
        app, mut resident, ..
    } = world(pool.clone()).await;
    let (mut site_admin, site_admin_id) = app
        .user_with_role("sa@example.in", "Site Admin", Role::Resident)
        .await;
    make_site_admin(&pool, site_admin_id).await;
    let mmc = council(&pool, "Maharashtra Medical Council").await;
    let form = |per_event_maximum| CmeProfileForm {
        profile_id: mmc,
        unit: "points",
        cycle_years: "5",
        total_required: "30",
        per_year_minimum: "6",
        per_event_maximum,
        online_cap: "10",
        online_factor: "1",
    };
    let err = app.edit_cme_profile(&mut resident, form("3")).await.error();
    assert_eq!(err, AppError::Forbidden);
    let err = app
        .edit_cme_profile(&mut site_admin, form("0"))
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("per_event_maximum")
        .is_some());
    app.edit_cme_profile(&mut site_admin, form("3")).await.ok();
    let profiles: Vec<(i64, app::cme::rules::Profile)> = app.cme_profiles(&mut resident).await;
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
    let certificate: Option<String> = app
        .evaluate_activity(&mut resident, Evaluation::of(attempt))
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
    let (status, _, pdf) = app
        .request_bytes(forged(
            format!("/certificates/{certificate}/pdf"),
            &resident,
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = pdf_text(&pdf);
    assert!(text.contains(&format!(
        "https://corridor.example.org/verify/{certificate}"
    )));
    assert!(!text.contains("evil.example"));

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

/// Reads every page of the dashboard for one filter: the members' names in order, and how many
/// the department has.
async fn all_dashboard_pages(
    app: &TestApp,
    admin: &mut Client,
    role: &str,
    status: &str,
) -> (Vec<String>, i64) {
    let mut names = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page: Dashboard = app
            .dashboard_after(admin, role, status, after.as_deref())
            .await
            .json();
        assert!(page.members.len() <= app::department::api::MEMBERS_PER_PAGE);
        names.extend(page.members.into_iter().map(|m| m.name));
        match page.next {
            Some(next) => after = Some(next),
            None => return (names, page.member_count),
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_large_department_dashboard_comes_a_page_at_a_time(pool: PgPool) {
    let World {
        app,
        mut admin,
        dept,
        ..
    } = world(pool.clone()).await;
    // 120 more members; the even ones are four years into an MMC cycle with no credit (behind).
    let profile = council(&pool, "Maharashtra Medical Council").await;
    sqlx::query(
        "insert into users (email, password_hash, full_name, department_id, role,
                            cme_profile_id, cme_cycle_start)
         select 'member' || g || '@example.in', 'x', 'Member ' || lpad(g::text, 3, '0'), $1,
                'resident', case when g % 2 = 0 then $2 end,
                case when g % 2 = 0 then current_date - 4 * 365 end
         from generate_series(1, 120) g",
    )
    .bind(dept)
    .bind(profile)
    .execute(&pool)
    .await
    .unwrap();

    let first: Dashboard = app.dashboard(&mut admin, "", "").await.json();
    assert_eq!(first.members.len(), app::department::api::MEMBERS_PER_PAGE);
    assert!(first.next.is_some());
    let (names, count) = all_dashboard_pages(&app, &mut admin, "", "").await;
    assert_eq!(count, 123, "the world's three members and the 120");
    assert_eq!(names.len(), 123, "every member once: {names:?}");
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, names, "in name order, none twice");

    // A status filter reads on until each page is full.
    let (behind, _) = all_dashboard_pages(&app, &mut admin, "", "Behind").await;
    let expected: Vec<String> = (1..=120)
        .filter(|g| g % 2 == 0)
        .map(|g| format!("Member {g:03}"))
        .collect();
    assert_eq!(behind, expected);
    let (mentors, _) = all_dashboard_pages(&app, &mut admin, "mentor", "").await;
    assert_eq!(mentors, vec!["Dr. Mentor".to_owned()]);

    // The export has everyone.
    let (status, _, csv) = app.get_bytes(&admin, "/department/dashboard.csv").await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 1 + 123);
    assert_eq!(csv.matches(",Behind,").count(), 60);
}
