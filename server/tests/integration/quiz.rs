//! Case modules: authoring by GIFT, attempts saved answer by answer, submission, limits.

use crate::common::fixtures::{case_with_module, question_ids, start, upload_photo};
use crate::common::{Hotspot, QuizSettings, RefusedForm, TestApp};
use app::accounts::Role;
use app::error::AppError;
use app::quiz::{AttemptQuestion, AttemptResult, QuizEditorData, QuizOverview, Response};
use axum::http::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn gift_import_is_checked_and_only_the_author_edits_the_module(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = case_with_module(&app, |sample| sample).await;
    let editor: QuizEditorData = app.quiz_editor(&mut mentor, case_id).await.json();
    assert_eq!(editor.questions.len(), 4);
    assert_eq!(editor.settings.pass_mark, 75);
    assert_eq!(editor.settings.attempts_allowed, Some(2));
    assert!(editor.gift.contains("::Courvoisier::"));

    // Malformed GIFT imports nothing and says which line is wrong, keeping the text.
    let bad = "::ok:: fine {=a ~b}\n\n::broken:: never closed {=a ~b\n";
    let err = app.quiz_import(&mut mentor, case_id, bad).await.error();
    let errors = err.field_errors().unwrap();
    assert!(errors.get("gift").unwrap().starts_with("Line 3:"));
    assert_eq!(errors.value("gift"), Some(bad));
    assert_eq!(question_ids(&pool).await.len(), 4);

    // Questions pass the privacy guard too.
    let phi = "::p:: Patient on 98450 12345 has? {=flu ~cold}";
    let err = app.quiz_import(&mut mentor, case_id, phi).await.error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("gift")
        .unwrap()
        .contains("identify a patient"));

    // Bad settings are reported beside each field.
    let err = app
        .quiz_settings(
            &mut mentor,
            case_id,
            QuizSettings {
                pass_mark: "150",
                feedback_mode: "each",
                attempts_allowed: "zero",
                credit_amount: "-1",
                credit_type: "points",
                time_limit_minutes: "0",
            },
        )
        .await
        .error();
    let errors = err.field_errors().unwrap();
    for field in [
        "pass_mark",
        "attempts_allowed",
        "credit_amount",
        "time_limit_minutes",
    ] {
        assert!(errors.get(field).is_some(), "{field}");
    }

    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    let (mut other_mentor, _) = app
        .user_with_role("other@example.in", "Dr. Other", Role::Mentor)
        .await;
    for client in [&mut resident, &mut other_mentor] {
        for (what, reply) in [
            ("the editor", app.quiz_editor(client, case_id).await),
            (
                "an import",
                app.quiz_import(client, case_id, "::q:: x {=a ~b}").await,
            ),
        ] {
            assert_eq!(reply.error(), AppError::Forbidden, "{what}");
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn answers_are_saved_one_by_one_idempotently_and_refused_after_submission(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (_, case_id) = case_with_module(&app, |sample| sample).await;
    let ids = question_ids(&pool).await;
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;

    let overview: QuizOverview = app.quiz(&mut resident, case_id).await.json();
    assert_eq!(overview.question_count, 4);
    assert!(overview.blocked.is_none());

    let attempt = start(&app, &mut resident, case_id).await;
    // A second tab resumes the same attempt.
    assert_eq!(start(&app, &mut resident, case_id).await, attempt);

    let saved: serde_json::Value = app
        .answer(&mut resident, attempt, ids[0], &[("choice", "0")])
        .await
        .json();
    assert_eq!(saved["saved"], true);
    // The same answer again changes nothing.
    let again: serde_json::Value = app
        .answer(&mut resident, attempt, ids[0], &[("choice", "0")])
        .await
        .json();
    assert_eq!(again["saved"], false);
    // With feedback after each question, a different answer afterwards is refused.
    let err = app
        .answer(&mut resident, attempt, ids[0], &[("choice", "1")])
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("answer")
        .unwrap()
        .contains("already answered"));
    // An impossible option and an empty answer are refused with a reason.
    let err = app
        .answer(&mut resident, attempt, ids[1], &[("choice", "9")])
        .await
        .error();
    assert!(err.field_errors().unwrap().get("answer").is_some());
    let err = app
        .answer(&mut resident, attempt, ids[3], &[("text", " ")])
        .await
        .error();
    assert_eq!(
        err.field_errors().unwrap().get("answer"),
        Some("Type your answer.")
    );

    // Someone else cannot answer in, or even see, this attempt.
    let (mut other, _) = app.register("other@example.in", "Dr. Other").await;
    let err = app
        .answer(&mut other, attempt, ids[1], &[("choice", "0")])
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
    let err = app.attempt_question(&mut other, attempt, 1).await.error();
    assert_eq!(err, AppError::NotFound);

    // Two answers posted at the same moment (two tabs) both land, once each.
    let (mut tab_a, mut tab_b) = (resident.clone(), resident.clone());
    let (a, b) = tokio::join!(
        app.answer(
            &mut tab_a,
            attempt,
            ids[1],
            &[("choice", "0"), ("choice", "1")]
        ),
        app.answer(&mut tab_b, attempt, ids[2], &[("choice", "0")]),
    );
    a.ok();
    b.ok();
    let stored: i64 = sqlx::query_scalar("select count(*) from quiz_answers where attempt_id = $1")
        .bind(attempt)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 3);

    // Answers survive a reconnect: a new server process over the same database.
    let restarted = TestApp::new(pool.clone()).await;
    let page: AttemptQuestion = restarted
        .attempt_question(&mut resident, attempt, 2)
        .await
        .json();
    assert_eq!(
        page.given,
        Some(Response::Choices {
            indexes: vec![0, 1]
        })
    );
    let review = page.review.expect("feedback after answering");
    assert_eq!(review.fraction, 1.0);
    // How others answered counts submitted attempts only: this one is still open.
    assert_eq!(review.distribution[0], ("Carbamazepine".to_owned(), 0));
    assert_eq!(page.answered_count, 3);

    // Short answers are normalised.
    app.answer(
        &mut resident,
        attempt,
        ids[3],
        &[("text", "  courvoisiers SIGN ")],
    )
    .await
    .ok();

    let result: serde_json::Value = app.submit_attempt(&mut resident, attempt).await.json();
    assert_eq!(result["score"], 1.0);
    assert_eq!(result["passed"], true);
    // Submitting again returns the same result; answering afterwards is refused.
    let again: serde_json::Value = app.submit_attempt(&mut resident, attempt).await.json();
    assert_eq!(again["score"], 1.0);
    let err = app
        .answer(&mut resident, attempt, ids[3], &[("text", "other")])
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("answer")
        .unwrap()
        .contains("submitted"));

    let result: AttemptResult = app.attempt_result(&mut resident, attempt).await;
    assert!(result.passed);
    assert_eq!(result.questions.len(), 4);
}

#[sqlx::test(migrations = "../migrations")]
async fn failing_retaking_attempt_limits_and_time_limits(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (_, case_id) = case_with_module(&app, |sample| QuizSettings {
        feedback_mode: "end",
        time_limit_minutes: "30",
        ..sample
    })
    .await;
    let ids = question_ids(&pool).await;
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;

    // First attempt: one right answer of four fails (25 % < 75 %). Without per-question
    // feedback, answers can change until submission.
    let first = start(&app, &mut resident, case_id).await;
    app.answer(&mut resident, first, ids[0], &[("choice", "1")])
        .await
        .ok();
    let page: AttemptQuestion = app.attempt_question(&mut resident, first, 1).await.json();
    assert!(page.review.is_none(), "no feedback before the end");
    assert!(page.deadline.is_some());
    app.answer(&mut resident, first, ids[0], &[("choice", "0")])
        .await
        .ok();
    let result: serde_json::Value = app.submit_attempt(&mut resident, first).await.json();
    assert_eq!(result["score"], 0.25);
    assert_eq!(result["passed"], false);

    // Second attempt: the time runs out before the answer.
    let second = start(&app, &mut resident, case_id).await;
    assert_ne!(second, first);
    sqlx::query("update quiz_attempts set deadline = now() - interval '1 minute' where id = $1")
        .bind(second)
        .execute(&pool)
        .await
        .unwrap();
    let err = app
        .answer(&mut resident, second, ids[0], &[("choice", "0")])
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("answer")
        .unwrap()
        .contains("Time is up"));
    app.submit_attempt(&mut resident, second).await.ok();

    // Two attempts allowed: a third is refused, in the overview and at the door.
    let overview: QuizOverview = app.quiz(&mut resident, case_id).await.json();
    assert_eq!(overview.attempts.len(), 2);
    assert!(overview.blocked.unwrap().contains("all 2 attempts"));
    let err = app.start_quiz(&mut resident, case_id).await.error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("attempt")
        .unwrap()
        .contains("all 2 attempts"));

    // Without JavaScript, a refused start comes back to the module page with the reason.
    let reply = app.start_quiz_without_script(&mut resident, case_id).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let location = reply.headers["location"].to_str().unwrap().to_owned();
    let refused = RefusedForm::from_location(&location);
    assert_eq!(refused.page, format!("/cases/{case_id}/quiz"));
    assert_eq!(refused.action, format!("/quiz/{case_id}/start"));
    let page = app.get(&mut resident, &location).await;
    assert!(page
        .body
        .contains("You have used all 2 attempts of this module."));
}

#[sqlx::test(migrations = "../migrations")]
async fn hotspot_questions_are_drawn_on_a_case_image_and_answered_by_clicking(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = case_with_module(&app, |sample| sample).await;
    let image_id = upload_photo(
        &app,
        &mut mentor,
        case_id,
        ("x.jpg", (800, 600)),
        "Chest X-ray",
    )
    .await;
    let regions = r#"[{"type":"ellipse","cx":0.25,"cy":0.25,"rx":0.1,"ry":0.1}]"#;
    let form = |text, regions| Hotspot {
        case_id,
        image_id,
        text,
        explanation: "The apex is where air collects.",
        regions,
    };
    // Labels and arrows are not regions; a question needs its text; only the author adds.
    let err = app
        .add_hotspot(
            &mut mentor,
            form(
                "Click the pneumothorax.",
                r#"[{"type":"label","x":0.2,"y":0.2}]"#,
            ),
        )
        .await
        .error();
    assert!(err.field_errors().unwrap().get("regions").is_some());
    let err = app
        .add_hotspot(&mut mentor, form(" ", regions))
        .await
        .error();
    assert!(err.field_errors().unwrap().get("text").is_some());
    let (mut other, _) = app
        .user_with_role("other@example.in", "Dr. Other", Role::Mentor)
        .await;
    let err = app
        .add_hotspot(&mut other, form("Click the pneumothorax.", regions))
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    app.add_hotspot(&mut mentor, form("Click the pneumothorax.", regions))
        .await
        .ok();

    let ids = question_ids(&pool).await;
    let hotspot = *ids.last().unwrap();
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    let attempt = start(&app, &mut resident, case_id).await;
    let page: AttemptQuestion = app.attempt_question(&mut resident, attempt, 5).await.json();
    let (shown, width) = page.hotspot.expect("the image to click");
    assert_eq!((shown.id, width), (image_id, 640));
    assert!(
        page.options.is_empty(),
        "no regions or answers leak to the page"
    );
    let html = app
        .get(&mut resident, &format!("/quiz/attempts/{attempt}/5"))
        .await;
    assert!(html.body.contains("type=\"image\"") && html.body.contains("name=\"spot\""));
    // Without JavaScript the image button sends pixels of the 640-px-wide image: (160, 120)
    // is (0.25, 0.25), the centre of the region.
    app.answer(
        &mut resident,
        attempt,
        hotspot,
        &[("spot.x", "160"), ("spot.y", "120")],
    )
    .await
    .ok();
    let fraction: f64 =
        sqlx::query_scalar("select fraction from quiz_answers where question_id = $1")
            .bind(hotspot)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(fraction, 1.0);

    // How others clicked: inside or elsewhere, counted once their attempts are submitted.
    app.submit_attempt(&mut resident, attempt).await.ok();
    let (mut wide, _) = app.register("wide@example.in", "Dr. Wide").await;
    let missed = start(&app, &mut wide, case_id).await;
    app.answer(&mut wide, missed, hotspot, &[("x", "0.9"), ("y", "0.9")])
        .await
        .ok();
    let page: AttemptQuestion = app.attempt_question(&mut wide, missed, 5).await.json();
    let review = page.review.expect("feedback after answering");
    assert_eq!(review.fraction, 0.0);
    assert_eq!(
        review.distribution,
        vec![("In the region".to_owned(), 1), ("Elsewhere".to_owned(), 0)]
    );
}

/// The caller's look-up (`accounts::signed_in`: the session with its user), by its first words.
const CALLER: &str = "select u.id, u.full_name, u.role";

#[sqlx::test(migrations = "../migrations")]
async fn the_module_pages_read_their_data_in_one_statement(pool: PgPool) {
    use crate::common::statements::recorded;
    let app = TestApp::new(pool.clone()).await;
    let (_, case_id) = case_with_module(&app, |sample| QuizSettings {
        attempts_allowed: "",
        ..sample
    })
    .await;
    let ids = question_ids(&pool).await;
    // Someone has submitted, so there is something to count.
    let (mut earlier, _) = app.register("earlier@example.in", "Dr. Earlier").await;
    let done = start(&app, &mut earlier, case_id).await;
    app.answer(&mut earlier, done, ids[0], &[("choice", "1")])
        .await
        .ok();
    app.submit_attempt(&mut earlier, done).await.ok();
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    let attempt = start(&app, &mut resident, case_id).await;
    app.answer(&mut resident, attempt, ids[0], &[("choice", "0")])
        .await
        .ok();

    // Each endpoint: who is calling, then its data.
    let (reply, statements) = recorded(app.attempt_question(&mut resident, attempt, 1)).await;
    let page: AttemptQuestion = reply.json();
    let review = page.review.expect("feedback after answering");
    assert_eq!(review.distribution[1].1, 1, "the earlier learner's answer");
    assert_eq!(statements.len(), 2, "{statements:#?}");
    assert!(statements[0].starts_with(CALLER), "{statements:#?}");
    let (reply, statements) = recorded(app.quiz(&mut resident, case_id)).await;
    let overview: QuizOverview = reply.json();
    assert_eq!(overview.open_attempt, Some(attempt));
    assert_eq!(statements.len(), 2, "{statements:#?}");
    let (result, statements) = recorded(app.attempt_result(&mut earlier, done)).await;
    assert_eq!(result.questions.len(), 4);
    assert_eq!(statements.len(), 2, "{statements:#?}");

    // The pages: the layout asks who is calling too, but the request looks it up once (parts
    // asking at the same moment share the lookup), and the page's data is one statement.
    for (mut client, path) in [
        (resident.clone(), format!("/quiz/attempts/{attempt}/1")),
        (resident.clone(), format!("/cases/{case_id}/quiz")),
        (resident, format!("/cases/{case_id}")),
        (earlier, format!("/quiz/attempts/{done}/result")),
    ] {
        let (page, statements) = recorded(app.get(&mut client, &path)).await;
        page.ok();
        assert_eq!(statements.len(), 2, "{path}: {statements:#?}");
        assert!(statements[0].starts_with(CALLER), "{path}: {statements:#?}");
    }
}
