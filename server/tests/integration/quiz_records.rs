//! Learners' records of a module: answered questions are retired, never deleted; wrong ticks
//! cancel right ones; how others answered shows submitted attempts and no rare free text.

use crate::common::fixtures::{add_module, case_with_module, question_ids, start, submit};
use crate::common::{CaseForm, Client, QuizSettings, TestApp};
use app::accounts::Role;
use app::error::AppError;
use app::quiz::{AttemptQuestion, AttemptResult, QuizEditorData, QuizOverview, Response};
use axum::http::StatusCode;
use sqlx::PgPool;

async fn attempt_question(
    app: &TestApp,
    client: &mut Client,
    attempt: i64,
    number: usize,
) -> AttemptQuestion {
    app.attempt_question(client, attempt, number).await.json()
}

async fn answers_to(pool: &PgPool, question: i64) -> i64 {
    sqlx::query_scalar("select count(*) from quiz_answers where question_id = $1")
        .bind(question)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A mentor's published case whose module is the given GIFT; returns (mentor, case id).
async fn module_of(app: &TestApp, gift: &str, feedback_mode: &str) -> (Client, i64) {
    let (mut mentor, _) = app
        .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let case_id = app
        .create_case(&mut mentor, CaseForm::publish("Drug reactions", "Rashes."))
        .await;
    let settings = QuizSettings {
        feedback_mode,
        credit_amount: "0",
        ..QuizSettings::default()
    };
    add_module(app, &mut mentor, case_id, gift, settings).await;
    (mentor, case_id)
}

#[sqlx::test(migrations = "../migrations")]
async fn answered_questions_are_retired_not_deleted_and_earlier_attempts_keep_their_grade(
    pool: PgPool,
) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = case_with_module(&app, |sample| QuizSettings {
        feedback_mode: "end",
        attempts_allowed: "",
        ..sample
    })
    .await;
    let ids = question_ids(&pool).await;
    let first_question = ids[0];

    // One learner has submitted (right on the first question only: 25 %); another is half-way.
    let (mut first, _) = app.register("first@example.in", "Dr. First").await;
    let submitted = start(&app, &mut first, case_id).await;
    app.answer(&mut first, submitted, ids[0], &[("choice", "0")])
        .await
        .ok();
    assert_eq!(submit(&app, &mut first, submitted).await["score"], 0.25);
    let (mut second, _) = app.register("second@example.in", "Dr. Second").await;
    let open = start(&app, &mut second, case_id).await;
    app.answer(&mut second, open, ids[0], &[("choice", "0")])
        .await
        .ok();

    // Deleting the answered question is refused with what to do instead; nothing is lost.
    let reply = app
        .delete_question(&mut mentor, case_id, first_question)
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    match reply.error() {
        AppError::Conflict { message } => {
            assert!(message.contains("Retire it instead"), "{message}")
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(answers_to(&pool, ids[0]).await, 2);

    // Nor can a stray statement remove records through the content they answered.
    for (statement, id) in [
        ("delete from quiz_questions where id = $1", ids[0]),
        ("delete from quizzes where case_id = $1", case_id),
        ("delete from cases where id = $1", case_id),
        ("delete from quiz_attempts where id = $1", submitted),
    ] {
        let err = sqlx::query(statement)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("foreign key"),
            "{statement}: {err}"
        );
    }

    // Only the author retires.
    let (mut other_mentor, _) = app
        .user_with_role("other@example.in", "Dr. Other", Role::Mentor)
        .await;
    let err = app
        .retire_question(&mut other_mentor, case_id, first_question)
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    app.retire_question(&mut mentor, case_id, first_question)
        .await
        .ok();

    // The editor keeps it, marked, with its item analysis; the GIFT export leaves it out.
    let editor: QuizEditorData = app.quiz_editor(&mut mentor, case_id).await.json();
    assert_eq!(editor.questions.len(), 4);
    let retired = editor.questions.iter().find(|q| q.id == ids[0]).unwrap();
    assert!(retired.retired_at.is_some());
    // Every question the learner's attempt had, answered or not, is in their record.
    assert_eq!(editor.answered, ids);
    let stats = editor
        .stats
        .iter()
        .find(|s| s.question_id == ids[0])
        .unwrap();
    assert_eq!((stats.answered, stats.correct), (1, 1.0));
    assert!(!editor.gift.contains("::Courvoisier::"));
    let page = app
        .get(&mut mentor, &format!("/cases/{case_id}/quiz/edit"))
        .await;
    assert!(page.body.contains("Retired"), "the page marks it");
    assert!(page.body.contains("Questions (3)"));

    // The submitted attempt keeps its grade and its four questions.
    let score: f64 = sqlx::query_scalar("select score from quiz_attempts where id = $1")
        .bind(submitted)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(score, 0.25);
    let result: AttemptResult = app.attempt_result(&mut first, submitted).await;
    assert_eq!((result.score, result.questions.len()), (0.25, 4));

    // The attempt under way when it was retired keeps it too, and is graded over four.
    let page = attempt_question(&app, &mut second, open, 1).await;
    assert_eq!((page.total, page.question_id), (4, ids[0]));
    assert_eq!(submit(&app, &mut second, open).await["score"], 0.25);

    // Attempts started afterwards no longer get it.
    let (mut third, _) = app.register("third@example.in", "Dr. Third").await;
    let overview: QuizOverview = app.quiz(&mut third, case_id).await.json();
    assert_eq!(overview.question_count, 3);
    let fresh = start(&app, &mut third, case_id).await;
    let page = attempt_question(&app, &mut third, fresh, 1).await;
    assert_eq!((page.total, page.question_id), (3, ids[1]));
    let err = app
        .answer(&mut third, fresh, ids[0], &[("choice", "0")])
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
    app.answer(
        &mut third,
        fresh,
        ids[1],
        &[("choice", "0"), ("choice", "1")],
    )
    .await
    .ok();
    let score = submit(&app, &mut third, fresh).await["score"]
        .as_f64()
        .unwrap();
    assert!((score - 1.0 / 3.0).abs() < 1e-9, "{score}");

    // A question nobody has answered can still be deleted.
    app.quiz_import(
        &mut mentor,
        case_id,
        "::Extra:: Left or right? {=Left ~Right}",
    )
    .await
    .ok();
    let extra = *question_ids(&pool).await.last().unwrap();
    app.delete_question(&mut mentor, case_id, extra).await.ok();
    assert_eq!(question_ids(&pool).await.len(), 4);
    let err = app
        .delete_question(&mut mentor, case_id, extra)
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
}

#[sqlx::test(migrations = "../migrations")]
async fn ticking_every_option_of_a_multiple_response_question_does_not_pay(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    // The wrong options carry no weight of their own.
    let (_, case_id) = module_of(
        &app,
        "::SJS:: Which commonly cause SJS in India? {~%50%Carbamazepine ~%50%Allopurinol ~Paracetamol ~Vitamin D}",
        "each",
    )
    .await;
    let ids = question_ids(&pool).await;
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    let attempt = start(&app, &mut resident, case_id).await;
    app.answer(
        &mut resident,
        attempt,
        ids[0],
        &[
            ("choice", "0"),
            ("choice", "1"),
            ("choice", "2"),
            ("choice", "3"),
        ],
    )
    .await
    .ok();
    let page = attempt_question(&app, &mut resident, attempt, 1).await;
    let review = page.review.expect("feedback after answering");
    assert!(review.fraction < 1.0, "{}", review.fraction);
    assert_eq!(
        review.fraction, 0.0,
        "two wrong ticks cancel two right ones"
    );
    let result = submit(&app, &mut resident, attempt).await;
    assert_eq!(result["passed"], false);

    // The two right options alone still earn everything.
    let (mut careful, _) = app.register("careful@example.in", "Dr. Careful").await;
    let attempt = start(&app, &mut careful, case_id).await;
    app.answer(
        &mut careful,
        attempt,
        ids[0],
        &[("choice", "0"), ("choice", "1")],
    )
    .await
    .ok();
    assert_eq!(submit(&app, &mut careful, attempt).await["score"], 1.0);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_answer_distribution_hides_rare_free_text_and_open_attempts(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (_, case_id) = module_of(
        &app,
        "::Sign:: Name the sign. {=Courvoisier's sign =Courvoisier sign}",
        "each",
    )
    .await;
    let question = question_ids(&pool).await[0];
    let mut learner = 0;
    let mut answered = |text: &'static str, submitted: bool| {
        learner += 1;
        let app = &app;
        async move {
            let (mut client, _) = app
                .register(
                    &format!("learner{learner}@example.in"),
                    &format!("Dr. Learner {learner}"),
                )
                .await;
            let attempt = start(app, &mut client, case_id).await;
            app.answer(&mut client, attempt, question, &[("text", text)])
                .await
                .ok();
            if submitted {
                submit(app, &mut client, attempt).await;
            }
            (client, attempt)
        }
    };
    for _ in 0..5 {
        answered("Courvoisier's sign", true).await;
    }
    // One learner's own words: shown to nobody, counted among "other answers".
    answered("Dr. Patil's patient in bed 4", true).await;
    // Still typing in an open attempt: not counted at all.
    let (mut typing, attempt) = answered("Murphy's sign", false).await;

    let page = attempt_question(&app, &mut typing, attempt, 1).await;
    let review = page.review.expect("feedback after answering");
    assert_eq!(
        review.distribution,
        vec![
            ("courvoisiers sign".to_owned(), 5),
            ("Other answers".to_owned(), 1)
        ]
    );
    assert_eq!(
        page.given,
        Some(Response::Text {
            text: "Murphy's sign".into()
        })
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn how_others_answered_counts_each_submitted_answer_once(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (_, case_id) = module_of(
        &app,
        "::Rash:: Likeliest cause? {=Drug ~Virus ~Heat}\n\n::Causes:: Which cause SJS? {~%50%Carbamazepine ~%50%Allopurinol ~Paracetamol ~Vitamin D}\n",
        "each",
    )
    .await;
    let ids = question_ids(&pool).await;
    let mut learner = 0;
    let mut took = |rash: &'static str, causes: &'static [&'static str], submitted: bool| {
        learner += 1;
        let app = &app;
        let ids = ids.clone();
        async move {
            let (mut client, _) = app
                .register(
                    &format!("learner{learner}@example.in"),
                    &format!("Dr. Learner {learner}"),
                )
                .await;
            let attempt = start(app, &mut client, case_id).await;
            app.answer(&mut client, attempt, ids[0], &[("choice", rash)])
                .await
                .ok();
            let ticks: Vec<_> = causes.iter().map(|c| ("choice", *c)).collect();
            if !ticks.is_empty() {
                app.answer(&mut client, attempt, ids[1], &ticks).await.ok();
            }
            if submitted {
                submit(app, &mut client, attempt).await;
            }
            (client, attempt)
        }
    };
    took("0", &["0", "1"], true).await;
    took("2", &["1", "2"], true).await;
    let (mut third, third_attempt) = took("0", &["0"], true).await;
    // Still open: not counted.
    took("1", &["3"], false).await;
    let (mut viewer, attempt) = took("1", &[], false).await;

    let page = attempt_question(&app, &mut viewer, attempt, 1).await;
    let review = page.review.expect("feedback after answering");
    assert_eq!(
        review.distribution,
        vec![
            ("Drug".to_owned(), 2),
            ("Virus".to_owned(), 0),
            ("Heat".to_owned(), 1)
        ]
    );
    assert_eq!((page.total, page.answered_count), (2, 1));
    let page = attempt_question(&app, &mut viewer, attempt, 2).await;
    assert!(
        page.given.is_none() && page.review.is_none(),
        "not answered yet"
    );
    // Only questions 1 and 2 exist; someone else's attempt does not either.
    for number in [0, 3] {
        let err = app
            .attempt_question(&mut viewer, attempt, number)
            .await
            .error();
        assert_eq!(err, AppError::NotFound, "question {number}");
    }
    let err = app
        .attempt_question(&mut viewer, third_attempt, 1)
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
    let err = app
        .attempt_result_reply(&mut viewer, third_attempt)
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
    // An open attempt has no result yet.
    let err = app.attempt_result_reply(&mut viewer, attempt).await.error();
    assert!(err.field_errors().unwrap().get("attempt").is_some());

    // Once submitted, the result counts the viewer's answer with the others'.
    submit(&app, &mut viewer, attempt).await;
    let result: AttemptResult = app.attempt_result(&mut viewer, attempt).await;
    let rash = result.questions[0].1.as_ref().expect("answered");
    assert_eq!(
        rash.distribution,
        vec![
            ("Drug".to_owned(), 2),
            ("Virus".to_owned(), 1),
            ("Heat".to_owned(), 1)
        ]
    );
    assert!(result.questions[1].1.is_none(), "not answered");
    let result: AttemptResult = app.attempt_result(&mut third, third_attempt).await;
    let causes = result.questions[1].1.as_ref().expect("answered");
    assert_eq!(
        causes.distribution,
        vec![
            ("Carbamazepine".to_owned(), 2),
            ("Allopurinol".to_owned(), 2),
            ("Paracetamol".to_owned(), 1),
            ("Vitamin D".to_owned(), 0)
        ]
    );
    assert_eq!(causes.response, Response::Choices { indexes: vec![0] });

    // The overview reads the case only where `case_readable` lets the caller read it.
    let overview: QuizOverview = app.quiz(&mut viewer, case_id).await.json();
    assert_eq!(overview.attempts.len(), 1);
    sqlx::query("update cases set visibility = 'institution' where id = $1")
        .bind(case_id)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        app.quiz(&mut viewer, case_id).await.error(),
        AppError::NotFound
    );
}
