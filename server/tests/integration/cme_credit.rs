//! Credit only where it is honest: never from one's own module or a draft, never below a 50 %
//! pass mark, never once the case cannot be read; department admins assign only what their
//! department reads.

use crate::common::fixtures::{
    add_module, department, ledger_total, place_registered, question_ids, start, take, world,
    World, TWO_QUESTION_GIFT,
};
use crate::common::{CaseForm, Client, Evaluation, QuizSettings, Reply, TestApp};
use app::accounts::Role;
use app::department::api::Dashboard;
use app::error::AppError;
use app::quiz::QuizOverview;
use axum::http::StatusCode;
use sqlx::PgPool;

/// The two-question module's settings with this pass mark and credit.
fn settings<'a>(pass_mark: &'a str, credit_amount: &'a str) -> QuizSettings<'a> {
    QuizSettings {
        pass_mark,
        credit_amount,
        ..QuizSettings::default()
    }
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
    let case = CaseForm {
        title,
        body: Some("Palpable gallbladder."),
        visibility: Some(visibility),
        intent: Some(intent),
        ..CaseForm::default()
    };
    let case_id = app.create_case(mentor, case).await;
    add_module(
        app,
        mentor,
        case_id,
        TWO_QUESTION_GIFT,
        QuizSettings::default(),
    )
    .await;
    case_id
}

fn assert_not_allowed(reply: &Reply, says: &str) {
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
    place_registered(&pool, mentor_id, dept).await;
    let case_id = app
        .create_case(
            &mut mentor,
            CaseForm::draft("My own draft", "Palpable gallbladder."),
        )
        .await;
    app.quiz_import(&mut mentor, case_id, TWO_QUESTION_GIFT)
        .await
        .ok();

    // Pass mark 1 %, 50 points: the pass mark is refused beside its field, and by the database.
    let reply = app
        .quiz_settings(&mut mentor, case_id, settings("1", "50"))
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
    app.quiz_settings(&mut mentor, case_id, settings("50", "50"))
        .await
        .ok();

    // Taking it is refused at the door, and the overview says why.
    let reply = app.start_quiz(&mut mentor, case_id).await;
    assert_not_allowed(&reply, "You cannot earn credit from your own module.");
    let overview: QuizOverview = app.quiz(&mut mentor, case_id).await.json();
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
        .answer(&mut mentor, attempt, question, &[("choice", "0")])
        .await;
    assert_not_allowed(&reply, "your own module");
    let reply = app.submit_attempt(&mut mentor, attempt).await;
    assert_not_allowed(&reply, "your own module");
    sqlx::query(
        "update quiz_attempts set submitted_at = now(), score = 1, passed = true where id = $1",
    )
    .bind(attempt)
    .execute(&pool)
    .await
    .unwrap();
    let reply = app
        .evaluate_activity(&mut mentor, Evaluation::of(attempt))
        .await;
    assert_not_allowed(&reply, "your own module");

    // Published, it is still their own.
    app.publish_case(&mut mentor, case_id).await.ok();
    let reply = app.start_quiz(&mut mentor, case_id).await;
    assert_not_allowed(&reply, "your own module");
    let reply = app
        .evaluate_activity(&mut mentor, Evaluation::of(attempt))
        .await;
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
    let err = app.start_quiz(&mut resident, case_id).await.error();
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
    let questions = question_ids(&pool).await;

    // Unpublished mid-attempt: the attempt can go no further.
    let attempt = start(&app, &mut resident, case_id).await;
    app.unpublish_case(&mut mentor, case_id).await.ok();
    let err = app
        .answer(&mut resident, attempt, questions[0], &[("choice", "0")])
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
    let err = app.submit_attempt(&mut resident, attempt).await.error();
    assert_eq!(err, AppError::NotFound);
    let err = app.start_quiz(&mut resident, case_id).await.error();
    assert_eq!(err, AppError::NotFound);

    // Passed while published, evaluated after it was unpublished: no credit.
    app.publish_case(&mut mentor, case_id).await.ok();
    let (passed, ok) = take(&app, &mut resident, case_id, true).await;
    assert!(ok);
    app.unpublish_case(&mut mentor, case_id).await.ok();
    let err = app
        .evaluate_activity(&mut resident, Evaluation::of(passed))
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
    assert_eq!(ledger_total(&pool, resident_id).await, 0.0);

    // Readable again, the same pass earns its credit.
    app.publish_case(&mut mentor, case_id).await.ok();
    let certificate: Option<String> = app
        .evaluate_activity(&mut resident, Evaluation::of(passed))
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
    place_registered(&pool, other_mentor_id, elsewhere).await;
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

    let dashboard: Dashboard = app.dashboard(&mut admin, "", "").await.json();
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
            .assign_module(&mut admin, hidden, "residents", &due)
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
        assert_eq!(reply.error(), AppError::NotFound);
    }
    let assigned: u64 = app
        .assign_module(&mut admin, shared, "residents", &due)
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
