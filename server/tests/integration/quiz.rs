//! Case modules: authoring by GIFT, attempts saved answer by answer, submission, limits.

use crate::common::{Client, TestApp};
use app::accounts::Role;
use app::error::AppError;
use app::quiz::{AttemptQuestion, AttemptResult, QuizEditorData, QuizOverview, Response};
use axum::http::StatusCode;
use sqlx::PgPool;

pub(crate) const GIFT: &str = "::Courvoisier:: A jaundiced man has a palpable, non-tender gallbladder. Likeliest cause? {\n=Carcinoma of the head of pancreas#Courvoisier's law.\n~Gallstones in the CBD#Stones leave a fibrosed gallbladder.\n~Hepatitis A\n####Think periampullary cancer.\n}\n\n::SJS:: Which commonly cause SJS in India? {~%50%Carbamazepine ~%50%Allopurinol ~%-100%Vitamin D}\n\n::TF:: Peaked T waves come before QRS widening. {TRUE#Think again.#Right.}\n\n::Sign:: Name the sign. {=Courvoisier's sign =Courvoisier sign}\n\n::Essay:: Describe your approach. {}\n";

/// A mentor with a published case carrying the sample module; returns (mentor, case id).
pub(crate) async fn case_with_module(app: &TestApp, settings: &[(&str, &str)]) -> (Client, i64) {
    let (mut mentor, _) = app
        .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let case_id = app
        .save_case(
            &mut mentor,
            "Painless jaundice",
            "Palpable gallbladder.",
            "publish",
        )
        .await;
    let case = case_id.to_string();
    let skipped: Vec<String> = app
        .call(
            &mut mentor,
            "quiz-import",
            &[("case_id", &case), ("gift", GIFT)],
        )
        .await
        .json();
    assert_eq!(skipped.len(), 1, "the essay is skipped: {skipped:?}");
    assert!(skipped[0].contains("essay"));
    let mut form = vec![
        ("case_id", case.as_str()),
        ("pass_mark", "75"),
        ("feedback_mode", "each"),
        ("attempts_allowed", "2"),
        ("credit_amount", "1"),
        ("credit_type", "points"),
        ("time_limit_minutes", ""),
    ];
    for (k, v) in settings {
        form.retain(|(name, _)| name != k);
        form.push((k, v));
    }
    app.call(&mut mentor, "quiz-settings", &form).await.ok();
    (mentor, case_id)
}

pub(crate) async fn question_ids(pool: &PgPool) -> Vec<i64> {
    sqlx::query_scalar("select id from quiz_questions order by position")
        .fetch_all(pool)
        .await
        .unwrap()
}

pub(crate) async fn start(app: &TestApp, client: &mut Client, case_id: i64) -> i64 {
    let reply = app
        .post_form(client, &format!("/quiz/{case_id}/start"), &[], true)
        .await;
    let value: serde_json::Value = reply.json();
    value["attempt_id"].as_i64().expect("an attempt id")
}

pub(crate) async fn answer(
    app: &TestApp,
    client: &mut Client,
    attempt: i64,
    question: i64,
    fields: &[(&str, &str)],
) -> crate::common::Reply {
    let q = question.to_string();
    let mut form = vec![("question_id", q.as_str()), ("number", "1")];
    form.extend_from_slice(fields);
    app.post_form(
        client,
        &format!("/quiz/attempts/{attempt}/answer"),
        &form,
        true,
    )
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn gift_import_is_checked_and_only_the_author_edits_the_module(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = case_with_module(&app, &[]).await;
    let case = case_id.to_string();
    let editor: QuizEditorData = app
        .call(&mut mentor, "quiz-editor", &[("case_id", &case)])
        .await
        .json();
    assert_eq!(editor.questions.len(), 4);
    assert_eq!(editor.settings.pass_mark, 75);
    assert_eq!(editor.settings.attempts_allowed, Some(2));
    assert!(editor.gift.contains("::Courvoisier::"));

    // Malformed GIFT imports nothing and says which line is wrong, keeping the text.
    let bad = "::ok:: fine {=a ~b}\n\n::broken:: never closed {=a ~b\n";
    let err = app
        .call(
            &mut mentor,
            "quiz-import",
            &[("case_id", &case), ("gift", bad)],
        )
        .await
        .error();
    let errors = err.field_errors().unwrap();
    assert!(errors.get("gift").unwrap().starts_with("Line 3:"));
    assert_eq!(errors.value("gift"), Some(bad));
    assert_eq!(question_ids(&pool).await.len(), 4);

    // Questions pass the privacy guard too.
    let phi = "::p:: Patient on 98450 12345 has? {=flu ~cold}";
    let err = app
        .call(
            &mut mentor,
            "quiz-import",
            &[("case_id", &case), ("gift", phi)],
        )
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("gift")
        .unwrap()
        .contains("identify a patient"));

    // Bad settings are reported beside each field.
    let err = app
        .call(
            &mut mentor,
            "quiz-settings",
            &[
                ("case_id", &case),
                ("pass_mark", "150"),
                ("feedback_mode", "each"),
                ("attempts_allowed", "zero"),
                ("credit_amount", "-1"),
                ("credit_type", "points"),
                ("time_limit_minutes", "0"),
            ],
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
        for (endpoint, form) in [
            ("quiz-editor", vec![("case_id", case.as_str())]),
            (
                "quiz-import",
                vec![("case_id", case.as_str()), ("gift", "::q:: x {=a ~b}")],
            ),
        ] {
            let err = app.call(client, endpoint, &form).await.error();
            assert_eq!(err, AppError::Forbidden, "{endpoint}");
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn answers_are_saved_one_by_one_idempotently_and_refused_after_submission(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (_, case_id) = case_with_module(&app, &[]).await;
    let ids = question_ids(&pool).await;
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;

    let overview: QuizOverview = app
        .call(&mut resident, "quiz", &[("case_id", &case_id.to_string())])
        .await
        .json();
    assert_eq!(overview.question_count, 4);
    assert!(overview.blocked.is_none());

    let attempt = start(&app, &mut resident, case_id).await;
    // A second tab resumes the same attempt.
    assert_eq!(start(&app, &mut resident, case_id).await, attempt);

    let saved: serde_json::Value = answer(&app, &mut resident, attempt, ids[0], &[("choice", "0")])
        .await
        .json();
    assert_eq!(saved["saved"], true);
    // The same answer again changes nothing.
    let again: serde_json::Value = answer(&app, &mut resident, attempt, ids[0], &[("choice", "0")])
        .await
        .json();
    assert_eq!(again["saved"], false);
    // With feedback after each question, a different answer afterwards is refused.
    let err = answer(&app, &mut resident, attempt, ids[0], &[("choice", "1")])
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("answer")
        .unwrap()
        .contains("already answered"));
    // An impossible option and an empty answer are refused with a reason.
    let err = answer(&app, &mut resident, attempt, ids[1], &[("choice", "9")])
        .await
        .error();
    assert!(err.field_errors().unwrap().get("answer").is_some());
    let err = answer(&app, &mut resident, attempt, ids[3], &[("text", " ")])
        .await
        .error();
    assert_eq!(
        err.field_errors().unwrap().get("answer"),
        Some("Type your answer.")
    );

    // Someone else cannot answer in, or even see, this attempt.
    let (mut other, _) = app.register("other@example.in", "Dr. Other").await;
    let err = answer(&app, &mut other, attempt, ids[1], &[("choice", "0")])
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
    let err = app
        .call(
            &mut other,
            "attempt-question",
            &[("attempt_id", &attempt.to_string()), ("number", "1")],
        )
        .await
        .error();
    assert_eq!(err, AppError::NotFound);

    // Two answers posted at the same moment (two tabs) both land, once each.
    let (mut tab_a, mut tab_b) = (resident.clone(), resident.clone());
    let (a, b) = tokio::join!(
        answer(
            &app,
            &mut tab_a,
            attempt,
            ids[1],
            &[("choice", "0"), ("choice", "1")]
        ),
        answer(&app, &mut tab_b, attempt, ids[2], &[("choice", "0")]),
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
        .call(
            &mut resident,
            "attempt-question",
            &[("attempt_id", &attempt.to_string()), ("number", "2")],
        )
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
    answer(
        &app,
        &mut resident,
        attempt,
        ids[3],
        &[("text", "  courvoisiers SIGN ")],
    )
    .await
    .ok();

    let result: serde_json::Value = app
        .post_form(
            &mut resident,
            &format!("/quiz/attempts/{attempt}/submit"),
            &[],
            true,
        )
        .await
        .json();
    assert_eq!(result["score"], 1.0);
    assert_eq!(result["passed"], true);
    // Submitting again returns the same result; answering afterwards is refused.
    let again: serde_json::Value = app
        .post_form(
            &mut resident,
            &format!("/quiz/attempts/{attempt}/submit"),
            &[],
            true,
        )
        .await
        .json();
    assert_eq!(again["score"], 1.0);
    let err = answer(&app, &mut resident, attempt, ids[3], &[("text", "other")])
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("answer")
        .unwrap()
        .contains("submitted"));

    let result: AttemptResult = app
        .call(
            &mut resident,
            "attempt-result",
            &[("attempt_id", &attempt.to_string())],
        )
        .await
        .json();
    assert!(result.passed);
    assert_eq!(result.questions.len(), 4);
}

#[sqlx::test(migrations = "../migrations")]
async fn failing_retaking_attempt_limits_and_time_limits(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (_, case_id) = case_with_module(
        &app,
        &[("feedback_mode", "end"), ("time_limit_minutes", "30")],
    )
    .await;
    let ids = question_ids(&pool).await;
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;

    // First attempt: one right answer of four fails (25 % < 75 %). Without per-question
    // feedback, answers can change until submission.
    let first = start(&app, &mut resident, case_id).await;
    answer(&app, &mut resident, first, ids[0], &[("choice", "1")])
        .await
        .ok();
    let page: AttemptQuestion = app
        .call(
            &mut resident,
            "attempt-question",
            &[("attempt_id", &first.to_string()), ("number", "1")],
        )
        .await
        .json();
    assert!(page.review.is_none(), "no feedback before the end");
    assert!(page.deadline.is_some());
    answer(&app, &mut resident, first, ids[0], &[("choice", "0")])
        .await
        .ok();
    let result: serde_json::Value = app
        .post_form(
            &mut resident,
            &format!("/quiz/attempts/{first}/submit"),
            &[],
            true,
        )
        .await
        .json();
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
    let err = answer(&app, &mut resident, second, ids[0], &[("choice", "0")])
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("answer")
        .unwrap()
        .contains("Time is up"));
    app.post_form(
        &mut resident,
        &format!("/quiz/attempts/{second}/submit"),
        &[],
        true,
    )
    .await
    .ok();

    // Two attempts allowed: a third is refused, in the overview and at the door.
    let overview: QuizOverview = app
        .call(&mut resident, "quiz", &[("case_id", &case_id.to_string())])
        .await
        .json();
    assert_eq!(overview.attempts.len(), 2);
    assert!(overview.blocked.unwrap().contains("all 2 attempts"));
    let err = app
        .post_form(&mut resident, &format!("/quiz/{case_id}/start"), &[], true)
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("attempt")
        .unwrap()
        .contains("all 2 attempts"));

    // Without JavaScript, a refused start comes back to the module page with the reason.
    let reply = app
        .post_form(&mut resident, &format!("/quiz/{case_id}/start"), &[], false)
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let location = reply.headers["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&format!("/cases/{case_id}/quiz?error=")));
    let page = app.get(&mut resident, &location).await;
    assert!(page
        .body
        .contains("You have used all 2 attempts of this module."));
}

#[sqlx::test(migrations = "../migrations")]
async fn hotspot_questions_are_drawn_on_a_case_image_and_answered_by_clicking(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = case_with_module(&app, &[]).await;
    let photo = app::media::store::fixtures::jpeg_with_exif(800, 600);
    let reply = app
        .upload(
            &mut mentor,
            case_id,
            ("x.jpg", "image/jpeg", &photo),
            "Chest X-ray",
            true,
        )
        .await;
    let image_id = serde_json::from_str::<serde_json::Value>(&reply.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    let (case, image) = (case_id.to_string(), image_id.to_string());
    let regions = r#"[{"type":"ellipse","cx":0.25,"cy":0.25,"rx":0.1,"ry":0.1}]"#;
    let form = |text: &'static str, regions: &'static str| {
        vec![
            ("case_id", case.clone()),
            ("image_id", image.clone()),
            ("text", text.to_owned()),
            ("explanation", "The apex is where air collects.".to_owned()),
            ("regions", regions.to_owned()),
        ]
    };
    let call = |client: &mut Client, fields: Vec<(&'static str, String)>| {
        let app = &app;
        let mut client = client.clone();
        async move {
            let borrowed: Vec<(&str, &str)> =
                fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(&mut client, "quiz-add-hotspot", &borrowed).await
        }
    };
    // Labels and arrows are not regions; a question needs its text; only the author adds.
    let err = call(
        &mut mentor,
        form(
            "Click the pneumothorax.",
            r#"[{"type":"label","x":0.2,"y":0.2}]"#,
        ),
    )
    .await
    .error();
    assert!(err.field_errors().unwrap().get("regions").is_some());
    let err = call(&mut mentor, form(" ", regions)).await.error();
    assert!(err.field_errors().unwrap().get("text").is_some());
    let (other, _) = app
        .user_with_role("other@example.in", "Dr. Other", Role::Mentor)
        .await;
    let mut other = other;
    let err = call(&mut other, form("Click the pneumothorax.", regions))
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    call(&mut mentor, form("Click the pneumothorax.", regions))
        .await
        .ok();

    let ids = question_ids(&pool).await;
    let hotspot = *ids.last().unwrap();
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    let attempt = start(&app, &mut resident, case_id).await;
    let page: AttemptQuestion = app
        .call(
            &mut resident,
            "attempt-question",
            &[("attempt_id", &attempt.to_string()), ("number", "5")],
        )
        .await
        .json();
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
    answer(
        &app,
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
}
