//! Credit only where it is honest: never from one's own module or a draft, never below a 50 %
//! pass mark, never once the case cannot be read; department admins assign only what their
//! department reads.

use crate::cme::{call_owned, department, evaluation, ledger_total, place, take, world, World};
use crate::common::{Client, TestApp};
use app::accounts::Role;
use app::department::api::Dashboard;
use app::error::AppError;
use app::quiz::QuizOverview;
use axum::http::StatusCode;
use sqlx::PgPool;

const GIFT: &str = "::One:: Courvoisier's sign suggests? {=Periampullary cancer ~Gallstones}\n\n::Two:: Peaked T waves mean? {=Hyperkalaemia ~Hypokalaemia}\n";

fn settings(case: &str, pass_mark: &str, credit: &str) -> Vec<(&'static str, String)> {
    vec![
        ("case_id", case.to_owned()),
        ("pass_mark", pass_mark.to_owned()),
        ("feedback_mode", "end".to_owned()),
        ("attempts_allowed", String::new()),
        ("credit_amount", credit.to_owned()),
        ("credit_type", "points".to_owned()),
        ("time_limit_minutes", String::new()),
    ]
}

/// A case with the two-question module, saved with `intent` ("publish" or "draft") and
/// `visibility`; returns its id.
async fn module_case(
    app: &TestApp,
    mentor: &mut Client,
    title: &str,
    intent: &str,
    visibility: &str,
) -> i64 {
    app.call(
        mentor,
        "save-case",
        &[
            ("title", title),
            ("specialty", "general-surgery"),
            ("summary", "A short summary."),
            ("body", "Palpable gallbladder."),
            ("visibility", visibility),
            ("intent", intent),
        ],
    )
    .await
    .ok();
    let case_id: i64 = sqlx::query_scalar("select id from cases where title = $1")
        .bind(title)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let case = case_id.to_string();
    app.call(mentor, "quiz-import", &[("case_id", &case), ("gift", GIFT)])
        .await
        .ok();
    call_owned(app, mentor, "quiz-settings", &settings(&case, "50", "1"))
        .await
        .ok();
    case_id
}

fn assert_not_allowed(reply: &crate::common::Reply, says: &str) {
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    match reply.error() {
        AppError::NotAllowed { message } => assert!(message.contains(says), "{message}"),
        other => panic!("expected a refusal saying “{says}”, got {other:?}"),
    }
}

async fn certificates(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from certificates")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_mentor_cannot_mint_credit_from_their_own_draft_module(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let dept = department(&pool, "Sahyadri Medical College", "Surgery").await;
    let (mut mentor, mentor_id) = app
        .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    place(&pool, mentor_id, dept).await;
    let case_id = app
        .save_case(
            &mut mentor,
            "My own draft",
            "Palpable gallbladder.",
            "draft",
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

    // Pass mark 1 %, 50 points: the pass mark is refused beside its field, and by the database.
    let reply = call_owned(
        &app,
        &mut mentor,
        "quiz-settings",
        &settings(&case, "1", "50"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let err = reply.error();
    let message = err.field_errors().unwrap().get("pass_mark").unwrap();
    assert!(message.contains("50 to 100"), "{message}");
    let err = sqlx::query("update quizzes set pass_mark = 1")
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("quizzes_pass_mark_check"), "{err}");
    call_owned(
        &app,
        &mut mentor,
        "quiz-settings",
        &settings(&case, "50", "50"),
    )
    .await
    .ok();

    // Taking it is refused at the door, and the overview says why.
    let reply = app
        .post_form(&mut mentor, &format!("/quiz/{case_id}/start"), &[], true)
        .await;
    assert_not_allowed(&reply, "You cannot earn credit from your own module.");
    let overview: QuizOverview = app
        .call(&mut mentor, "quiz", &[("case_id", &case)])
        .await
        .json();
    assert!(overview
        .blocked
        .unwrap()
        .contains("You cannot earn credit from your own module."));

    // An attempt that exists anyway cannot be answered, submitted or evaluated.
    let attempt: i64 = sqlx::query_scalar(
        "insert into quiz_attempts (quiz_id, user_id) select id, $1 from quizzes where case_id = $2 returning id",
    )
    .bind(mentor_id)
    .bind(case_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let question: i64 = sqlx::query_scalar("select min(id) from quiz_questions")
        .fetch_one(&pool)
        .await
        .unwrap();
    let reply = app
        .post_form(
            &mut mentor,
            &format!("/quiz/attempts/{attempt}/answer"),
            &[
                ("question_id", &question.to_string()),
                ("number", "1"),
                ("choice", "0"),
            ],
            true,
        )
        .await;
    assert_not_allowed(&reply, "your own module");
    let reply = app
        .post_form(
            &mut mentor,
            &format!("/quiz/attempts/{attempt}/submit"),
            &[],
            true,
        )
        .await;
    assert_not_allowed(&reply, "your own module");
    sqlx::query(
        "update quiz_attempts set submitted_at = now(), score = 1, passed = true where id = $1",
    )
    .bind(attempt)
    .execute(&pool)
    .await
    .unwrap();
    let reply = call_owned(&app, &mut mentor, "evaluate-activity", &evaluation(attempt)).await;
    assert_not_allowed(&reply, "your own module");

    // Published, it is still their own.
    app.call(&mut mentor, "publish-case", &[("id", &case)])
        .await
        .ok();
    let reply = app
        .post_form(&mut mentor, &format!("/quiz/{case_id}/start"), &[], true)
        .await;
    assert_not_allowed(&reply, "your own module");
    let reply = call_owned(&app, &mut mentor, "evaluate-activity", &evaluation(attempt)).await;
    assert_not_allowed(&reply, "your own module");

    assert_eq!(ledger_total(&pool, mentor_id).await, 0.0);
    assert_eq!(certificates(&pool).await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn someone_elses_draft_module_is_not_found(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, _) = app
        .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let case_id = module_case(&app, &mut mentor, "A draft", "draft", "all").await;
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    let err = app
        .post_form(&mut resident, &format!("/quiz/{case_id}/start"), &[], true)
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
}

#[sqlx::test(migrations = "../migrations")]
async fn answering_submitting_and_evaluating_stop_when_the_case_cannot_be_read(pool: PgPool) {
    let World {
        app,
        case_id,
        mut resident,
        resident_id,
        mut mentor,
        ..
    } = world(pool.clone()).await;
    let case = case_id.to_string();
    let questions: Vec<i64> = sqlx::query_scalar("select id from quiz_questions order by position")
        .fetch_all(&pool)
        .await
        .unwrap();

    // Unpublished mid-attempt: the attempt can go no further.
    let start: serde_json::Value = app
        .post_form(&mut resident, &format!("/quiz/{case_id}/start"), &[], true)
        .await
        .json();
    let attempt = start["attempt_id"].as_i64().unwrap();
    app.call(&mut mentor, "unpublish-case", &[("id", &case)])
        .await
        .ok();
    let err = app
        .post_form(
            &mut resident,
            &format!("/quiz/attempts/{attempt}/answer"),
            &[
                ("question_id", &questions[0].to_string()),
                ("number", "1"),
                ("choice", "0"),
            ],
            true,
        )
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
    let err = app
        .post_form(
            &mut resident,
            &format!("/quiz/attempts/{attempt}/submit"),
            &[],
            true,
        )
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
    let err = app
        .post_form(&mut resident, &format!("/quiz/{case_id}/start"), &[], true)
        .await
        .error();
    assert_eq!(err, AppError::NotFound);

    // Passed while published, evaluated after it was unpublished: no credit.
    app.call(&mut mentor, "publish-case", &[("id", &case)])
        .await
        .ok();
    let (passed, ok) = take(&app, &mut resident, case_id, true).await;
    assert!(ok);
    app.call(&mut mentor, "unpublish-case", &[("id", &case)])
        .await
        .ok();
    let err = call_owned(
        &app,
        &mut resident,
        "evaluate-activity",
        &evaluation(passed),
    )
    .await
    .error();
    assert_eq!(err, AppError::NotFound);
    assert_eq!(ledger_total(&pool, resident_id).await, 0.0);

    // Readable again, the same pass earns its credit.
    app.call(&mut mentor, "publish-case", &[("id", &case)])
        .await
        .ok();
    let certificate: Option<String> = call_owned(
        &app,
        &mut resident,
        "evaluate-activity",
        &evaluation(passed),
    )
    .await
    .json();
    assert!(certificate.is_some());
    assert_eq!(ledger_total(&pool, resident_id).await, 1.0);
}

#[sqlx::test(migrations = "../migrations")]
async fn department_admins_see_and_assign_only_modules_their_department_reads(pool: PgPool) {
    let World {
        app,
        case_id: own_module,
        mut admin,
        ..
    } = world(pool.clone()).await;
    let elsewhere = department(&pool, "Other Hospital", "Medicine").await;
    let (mut other_mentor, other_mentor_id) = app
        .user_with_role("om@example.in", "Dr. Other Mentor", Role::Mentor)
        .await;
    place(&pool, other_mentor_id, elsewhere).await;
    let restricted = module_case(
        &app,
        &mut other_mentor,
        "Their department only",
        "publish",
        "department",
    )
    .await;
    let draft = module_case(&app, &mut other_mentor, "Their draft", "draft", "all").await;
    let shared = module_case(&app, &mut other_mentor, "For everyone", "publish", "all").await;

    let dashboard: Dashboard = app
        .call(
            &mut admin,
            "department/dashboard",
            &[("role", ""), ("status", "")],
        )
        .await
        .json();
    let mut ids: Vec<i64> = dashboard.modules.iter().map(|(id, _)| *id).collect();
    ids.sort_unstable();
    let mut expected = vec![own_module, shared];
    expected.sort_unstable();
    assert_eq!(ids, expected);
    let page = app.get(&mut admin, "/department").await;
    assert!(!page.body.contains("Their department only") && !page.body.contains("Their draft"));

    let due = (app::cme::api::today() + chrono::Duration::days(7))
        .format("%Y-%m-%d")
        .to_string();
    for hidden in [restricted, draft] {
        let reply = app
            .call(
                &mut admin,
                "department/assign",
                &[
                    ("case_id", &hidden.to_string()),
                    ("assignee", "residents"),
                    ("due_on", &due),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
        assert_eq!(reply.error(), AppError::NotFound);
    }
    let assigned: u64 = app
        .call(
            &mut admin,
            "department/assign",
            &[
                ("case_id", &shared.to_string()),
                ("assignee", "residents"),
                ("due_on", &due),
            ],
        )
        .await
        .json();
    assert_eq!(assigned, 1);
    let rows: i64 = sqlx::query_scalar("select count(*) from module_assignments")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        rows, 1,
        "nothing assigned from what the department cannot read"
    );
}
