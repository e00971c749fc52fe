//! Writing questions in the question form: each kind, validation beside the fields, only the
//! case's author, and an edit of an answered question made as a new version that leaves
//! earlier attempts as they were graded.

use crate::common::fixtures::{case_with_module, question_ids, start, submit};
use crate::common::{Client, QuizSettings, TestApp};
use app::accounts::Role;
use app::error::AppError;
use app::quiz::{AttemptQuestion, AttemptResult, QuestionKind, QuizEditorData};
use axum::http::StatusCode;
use sqlx::PgPool;

async fn question_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from quiz_questions")
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn attempt_question(
    app: &TestApp,
    client: &mut Client,
    attempt: i64,
    number: usize,
) -> AttemptQuestion {
    app.attempt_question(client, attempt, number).await.json()
}

const ECG_SINGLE: &[(&str, &str)] = &[
    ("kind", "single"),
    (
        "text",
        "Which electrolyte disturbance gives peaked T waves?",
    ),
    ("answers[0][text]", "Hyperkalaemia"),
    ("answers[0][weight]", "100"),
    ("answers[0][feedback]", "Yes: potassium."),
    ("answers[1][text]", "Hypokalaemia"),
    ("answers[1][weight]", "0"),
    ("answers[1][feedback]", "That flattens them."),
    ("answers[2][text]", "Hypocalcaemia"),
    ("answers[2][weight]", ""),
    ("answers[2][feedback]", ""),
    ("answers[3][text]", ""),
    ("answers[3][weight]", ""),
    ("answers[3][feedback]", ""),
    ("explanation", "Peaked T waves come first."),
    ("objective", "ECG in hyperkalaemia"),
];

#[sqlx::test(migrations = "../migrations")]
async fn a_mentor_writes_each_kind_of_question_in_the_form(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = case_with_module(&app, |s| s).await;
    let before = question_count(&pool).await;

    let id: i64 = app
        .save_question(&mut mentor, case_id, None, ECG_SINGLE)
        .await
        .json();
    let tf: i64 = app
        .save_question(
            &mut mentor,
            case_id,
            None,
            &[
                ("kind", "true_false"),
                ("text", "A broad QRS always means ventricular tachycardia."),
                ("truth", "false"),
                ("feedback_true", "Think of bundle branch block."),
                ("feedback_false", "Right."),
            ],
        )
        .await
        .json();
    let short: i64 = app
        .save_question(
            &mut mentor,
            case_id,
            None,
            &[
                ("kind", "short_answer"),
                ("text", "Name the sign of a palpable painless gallbladder."),
                ("answers[0][text]", "Courvoisier*"),
                ("answers[0][weight]", "100"),
                ("answers[1][text]", "*"),
                ("answers[1][weight]", "0"),
                ("answers[1][feedback]", "Whose law is it?"),
            ],
        )
        .await
        .json();
    let multiple: i64 = app
        .save_question(
            &mut mentor,
            case_id,
            None,
            &[
                ("kind", "multiple"),
                ("text", "Which cause SJS in India?"),
                ("answers[0][text]", "Carbamazepine"),
                ("answers[0][weight]", "50%"),
                ("answers[1][text]", "Allopurinol"),
                ("answers[1][weight]", "50"),
                ("answers[2][text]", "Vitamin D"),
                ("answers[2][weight]", "-100"),
            ],
        )
        .await
        .json();
    assert_eq!(question_count(&pool).await, before + 4);

    let editor: QuizEditorData = app.quiz_editor(&mut mentor, case_id).await.json();
    let get = |id: i64| {
        editor
            .questions
            .iter()
            .find(|q| q.id == id)
            .unwrap()
            .question
            .clone()
    };
    let single = get(id);
    assert_eq!(single.kind, QuestionKind::Single);
    let options: Vec<(&str, f64, &str)> = single
        .answers
        .iter()
        .map(|a| (a.text.as_str(), a.weight, a.feedback.as_str()))
        .collect();
    assert_eq!(
        options,
        [
            ("Hyperkalaemia", 100.0, "Yes: potassium."),
            ("Hypokalaemia", 0.0, "That flattens them."),
            ("Hypocalcaemia", 0.0, ""),
        ],
        "empty rows are left out"
    );
    assert_eq!(
        (single.explanation.as_str(), single.objective.as_str()),
        ("Peaked T waves come first.", "ECG in hyperkalaemia")
    );
    let tf = get(tf);
    assert_eq!(tf.kind, QuestionKind::TrueFalse);
    assert_eq!(
        (tf.answers[0].weight, tf.answers[1].weight),
        (0.0, 100.0),
        "false is right"
    );
    assert_eq!(tf.answers[0].feedback, "Think of bundle branch block.");
    assert_eq!(get(short).answers[0].text, "Courvoisier*");
    assert_eq!(get(multiple).answers[0].weight, 50.0);

    // The pages: the form for a new question and for an edit, with the stored values.
    let page = app
        .get(
            &mut mentor,
            &format!("/cases/{case_id}/quiz/questions/new?kind=multiple"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("New question: Multiple response"));
    assert!(page.body.contains(r#"name="answers[0][text]""#));
    let page = app
        .get(
            &mut mentor,
            &format!("/cases/{case_id}/quiz/questions/{id}"),
        )
        .await;
    assert!(page.body.contains("Edit: Single best answer"));
    assert!(page.body.contains("That flattens them."));
    let editor_page = app
        .get(&mut mentor, &format!("/cases/{case_id}/quiz/edit"))
        .await;
    assert!(editor_page
        .body
        .contains(&format!("/cases/{case_id}/quiz/questions/{id}")));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_form_refuses_bad_questions_beside_their_fields_and_stores_nothing(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = case_with_module(&app, |s| s).await;
    let before = question_count(&pool).await;
    let field = |reply: crate::common::Reply, name: &str| match reply.error() {
        AppError::Invalid(errors) => errors
            .get(name)
            .unwrap_or_else(|| panic!("no error on {name}: {errors:?}"))
            .to_owned(),
        other => panic!("expected field errors, got {other:?}"),
    };

    // Two right options for a single best answer.
    let mut two_right = ECG_SINGLE.to_vec();
    two_right[6] = ("answers[1][weight]", "100");
    let reply = app
        .save_question(&mut mentor, case_id, None, &two_right)
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let message = field(reply, "answers");
    assert!(message.contains("exactly one"), "{message}");

    // No question text; a weight that is not a number; feedback without its answer.
    let reply = app
        .save_question(
            &mut mentor,
            case_id,
            None,
            &[
                ("kind", "single"),
                ("text", "  "),
                ("answers[0][text]", "Yes"),
                ("answers[0][weight]", "lots"),
                ("answers[1][text]", ""),
                ("answers[1][feedback]", "orphan"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let AppError::Invalid(errors) = reply.error() else {
        panic!("field errors expected")
    };
    assert!(errors.get("text").is_some());
    assert!(errors.get("answers[0][weight]").is_some());
    assert!(errors.get("answers[1][text]").is_some());
    assert_eq!(
        errors.value("answers[1][feedback]"),
        Some("orphan"),
        "kept to refill"
    );

    // True or false not said; an unknown kind; a patient's phone number in an option.
    let reply = app
        .save_question(
            &mut mentor,
            case_id,
            None,
            &[("kind", "true_false"), ("text", "Is it?")],
        )
        .await;
    assert!(field(reply, "truth").contains("true or false"));
    let reply = app
        .save_question(
            &mut mentor,
            case_id,
            None,
            &[("kind", "essay"), ("text", "Why?")],
        )
        .await;
    assert!(field(reply, "kind").contains("kind"));
    let mut private = ECG_SINGLE.to_vec();
    private[2] = ("answers[0][text]", "Call her on 9876543210");
    let reply = app
        .save_question(&mut mentor, case_id, None, &private)
        .await;
    assert!(field(reply, "text").contains("identify a patient"));
    assert_eq!(question_count(&pool).await, before);

    // Only the case's author writes its questions.
    let (mut other, _) = app
        .user_with_role("other@example.in", "Dr. Other", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    for client in [&mut other, &mut resident] {
        let reply = app.save_question(client, case_id, None, ECG_SINGLE).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    }
    let ids = question_ids(&pool).await;
    let reply = app
        .get(
            &mut other,
            &format!("/cases/{case_id}/quiz/questions/{}", ids[0]),
        )
        .await;
    assert!(!reply.body.contains("Courvoisier's law"));
    let mut anonymous = Client::default();
    assert_eq!(
        app.save_question(&mut anonymous, case_id, None, ECG_SINGLE)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(question_count(&pool).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn editing_an_answered_question_makes_a_new_version_and_keeps_earlier_attempts(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = case_with_module(&app, |s| QuizSettings {
        feedback_mode: "end",
        attempts_allowed: "",
        ..s
    })
    .await;
    let ids = question_ids(&pool).await;
    let first = ids[0];

    // An unanswered question is changed in place.
    let edit = |text: &'static str| {
        vec![
            ("kind", "single"),
            ("text", text),
            ("answers[0][text]", "Carcinoma of the head of pancreas"),
            ("answers[0][weight]", "0"),
            ("answers[1][text]", "Gallstones in the CBD"),
            ("answers[1][weight]", "100"),
        ]
    };
    let same: i64 = app
        .save_question(
            &mut mentor,
            case_id,
            Some(ids[1]),
            &[
                ("kind", "multiple"),
                ("text", "Which commonly cause SJS in India? (edited)"),
                ("answers[0][text]", "Carbamazepine"),
                ("answers[0][weight]", "50"),
                ("answers[1][text]", "Allopurinol"),
                ("answers[1][weight]", "50"),
            ],
        )
        .await
        .json();
    assert_eq!(same, ids[1], "changed in place");

    // One learner submitted, right on the first question; another is half-way through.
    let (mut done, _) = app.register("done@example.in", "Dr. Done").await;
    let submitted = start(&app, &mut done, case_id).await;
    app.answer(&mut done, submitted, first, &[("choice", "0")])
        .await
        .ok();
    let score = submit(&app, &mut done, submitted).await["score"].clone();
    let (mut halfway, _) = app.register("half@example.in", "Dr. Half").await;
    let open = start(&app, &mut halfway, case_id).await;

    // The author makes option 2 the right one: a new version.
    let new: i64 = app
        .save_question(
            &mut mentor,
            case_id,
            Some(first),
            &edit("Painless jaundice: likeliest cause?"),
        )
        .await
        .json();
    assert_ne!(new, first);
    let editor: QuizEditorData = app.quiz_editor(&mut mentor, case_id).await.json();
    let old = editor.questions.iter().find(|q| q.id == first).unwrap();
    assert!(old.retired_at.is_some(), "the old version is retired");
    assert_eq!(old.question.answers[0].weight, 100.0, "and unchanged");
    let answers: i64 =
        sqlx::query_scalar("select count(*) from quiz_answers where question_id = $1")
            .bind(first)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(answers, 1, "the learner's answer stays with it");
    // A retired version is not edited again.
    let reply = app
        .save_question(&mut mentor, case_id, Some(first), &edit("Again?"))
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);

    // The submitted attempt keeps its grade and the question as it was.
    let result: AttemptResult = app.attempt_result(&mut done, submitted).await;
    assert_eq!(Some(result.score), score.as_f64());
    assert_eq!(result.score, 0.25, "right on the first of four");
    assert!(result
        .questions
        .iter()
        .any(|(text, _)| text.contains("A jaundiced man")));
    assert!(!result
        .questions
        .iter()
        .any(|(text, _)| text.contains("likeliest cause?")));
    // The attempt under way keeps the old version, first as before.
    let page = attempt_question(&app, &mut halfway, open, 1).await;
    assert_eq!((page.question_id, page.total), (first, 4));
    // A new attempt gets the new version in the same place.
    let (mut later, _) = app.register("later@example.in", "Dr. Later").await;
    let fresh = start(&app, &mut later, case_id).await;
    let page = attempt_question(&app, &mut later, fresh, 1).await;
    assert_eq!((page.question_id, page.total), (new, 4));
    app.answer(&mut later, fresh, new, &[("choice", "1")])
        .await
        .ok();
    let graded: f64 = sqlx::query_scalar(
        "select fraction from quiz_answers where attempt_id = $1 and question_id = $2",
    )
    .bind(fresh)
    .bind(new)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(graded, 1.0, "graded by the new version");

    // The edit page of an answered question says what saving does; of another, not.
    let page = app
        .get(
            &mut mentor,
            &format!("/cases/{case_id}/quiz/questions/{new}"),
        )
        .await;
    assert!(page.body.contains("Learners have been given"));
    let unanswered: i64 = app
        .save_question(&mut mentor, case_id, None, ECG_SINGLE)
        .await
        .json();
    let page = app
        .get(
            &mut mentor,
            &format!("/cases/{case_id}/quiz/questions/{unanswered}"),
        )
        .await;
    assert!(page.body.contains("Edit: Single best answer"));
    assert!(!page.body.contains("Learners have been given"));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_author_previews_the_module_as_a_learner_without_an_attempt(pool: PgPool) {
    use app::quiz::api::ModulePreview;
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = case_with_module(&app, |s| s).await;
    let ids = question_ids(&pool).await;
    app.retire_question(&mut mentor, case_id, ids[3]).await.ok();
    let attempts = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from quiz_attempts")
            .fetch_one(&pool)
            .await
            .unwrap()
    };

    let preview: ModulePreview = app
        .call(
            &mut mentor,
            "quiz-preview",
            &[("case_id", &case_id.to_string())],
        )
        .await
        .json();
    let shown: Vec<i64> = preview.questions.iter().map(|q| q.id).collect();
    assert_eq!(
        shown,
        ids[..3],
        "the questions a learner gets now, in order"
    );
    let first = &preview.questions[0];
    assert!(first.text_html.contains("<p>"), "{}", first.text_html);
    assert_eq!(first.answers[0].1, 100.0);
    assert_eq!(first.answers[0].2, "Courvoisier's law.");
    let page = app
        .get(&mut mentor, &format!("/cases/{case_id}/quiz/preview"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Preview as a learner"));
    assert!(page.body.contains("Question 3 of 3"));
    assert!(!page.body.contains("Question 4 of"));
    assert_eq!(attempts().await, 0, "previewing makes no attempt");

    let (mut other, _) = app
        .user_with_role("other@example.in", "Dr. Other", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    for client in [&mut other, &mut resident] {
        let reply = app
            .call(client, "quiz-preview", &[("case_id", &case_id.to_string())])
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn reordering_and_duplicating_leave_attempts_already_started_as_they_were(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = case_with_module(&app, |s| QuizSettings {
        feedback_mode: "end",
        attempts_allowed: "",
        ..s
    })
    .await;
    let ids = question_ids(&pool).await;
    let order = |editor: QuizEditorData| -> Vec<i64> {
        editor
            .questions
            .iter()
            .filter(|q| q.retired_at.is_none())
            .map(|q| q.id)
            .collect()
    };
    // A learner is half-way through when the author rearranges.
    let (mut halfway, _) = app.register("half@example.in", "Dr. Half").await;
    let open = start(&app, &mut halfway, case_id).await;

    app.move_question(&mut mentor, case_id, ids[1], "up")
        .await
        .ok();
    app.move_question(&mut mentor, case_id, ids[2], "down")
        .await
        .ok();
    // At the ends nothing moves.
    app.move_question(&mut mentor, case_id, ids[1], "up")
        .await
        .ok();
    app.move_question(&mut mentor, case_id, ids[2], "down")
        .await
        .ok();
    let copy: i64 = app
        .duplicate_question(&mut mentor, case_id, ids[0])
        .await
        .json();
    let editor: QuizEditorData = app.quiz_editor(&mut mentor, case_id).await.json();
    let copied = editor.questions.iter().find(|q| q.id == copy).unwrap();
    let original = editor.questions.iter().find(|q| q.id == ids[0]).unwrap();
    assert_eq!(copied.question.text, original.question.text);
    assert_eq!(copied.question.answers, original.question.answers);
    assert!(
        copied.question.name.ends_with("(copy)"),
        "{}",
        copied.question.name
    );
    assert_eq!(
        order(editor),
        vec![ids[1], ids[0], copy, ids[3], ids[2]],
        "moved, and the copy right after its original"
    );

    // Refusals: a direction that is not one, a question of another module, other callers.
    let reply = app
        .move_question(&mut mentor, case_id, ids[0], "sideways")
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = app.move_question(&mut mentor, case_id, 999_999, "up").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = app.duplicate_question(&mut mentor, case_id, 999_999).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let (mut other, _) = app
        .user_with_role("other@example.in", "Dr. Other", Role::Mentor)
        .await;
    for reply in [
        app.move_question(&mut other, case_id, ids[0], "down").await,
        app.duplicate_question(&mut other, case_id, ids[0]).await,
        app.move_question(&mut halfway, case_id, ids[0], "down")
            .await,
        app.duplicate_question(&mut Client::default(), case_id, ids[0])
            .await,
    ] {
        assert!(
            [
                StatusCode::UNAUTHORIZED,
                StatusCode::FORBIDDEN,
                StatusCode::NOT_FOUND
            ]
            .contains(&reply.status),
            "{}",
            reply.status
        );
    }
    let unchanged: QuizEditorData = app.quiz_editor(&mut mentor, case_id).await.json();
    assert_eq!(order(unchanged), vec![ids[1], ids[0], copy, ids[3], ids[2]]);

    // The attempt under way keeps its questions and their numbers.
    for (number, id) in ids.iter().enumerate() {
        let page = attempt_question(&app, &mut halfway, open, number + 1).await;
        assert_eq!((page.question_id, page.total), (*id, 4));
    }
    // A new attempt gets the new order and the copy.
    let (mut later, _) = app.register("later@example.in", "Dr. Later").await;
    let fresh = start(&app, &mut later, case_id).await;
    for (number, id) in [ids[1], ids[0], copy, ids[3], ids[2]].iter().enumerate() {
        let page = attempt_question(&app, &mut later, fresh, number + 1).await;
        assert_eq!((page.question_id, page.total), (*id, 5));
    }
    // A question in learners' attempts is no longer deleted, even unanswered; one in none is.
    let reply = app.delete_question(&mut mentor, case_id, copy).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    let spare: i64 = app
        .duplicate_question(&mut mentor, case_id, ids[3])
        .await
        .json();
    let reply = app.delete_question(&mut mentor, case_id, spare).await;
    assert!(reply.status.is_success(), "{}", reply.status);
    // Submitting the earlier attempt scores it over its own four questions.
    app.answer(&mut halfway, open, ids[0], &[("choice", "0")])
        .await
        .ok();
    let result = submit(&app, &mut halfway, open).await;
    let earned: f64 = sqlx::query_scalar(
        "select coalesce(sum(fraction), 0)::float8 from quiz_answers where attempt_id = $1",
    )
    .bind(open)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(earned > 0.0);
    assert!((result["score"].as_f64().unwrap() - earned / 4.0).abs() < 1e-9);
}

#[sqlx::test(migrations = "../migrations")]
async fn more_rows_sends_the_form_back_as_typed_and_stores_nothing(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = case_with_module(&app, |s| s).await;
    let before = question_count(&pool).await;
    let mut form = ECG_SINGLE.to_vec();
    form.push(("more_rows", "1"));
    let reply = app.save_question(&mut mentor, case_id, None, &form).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let AppError::Invalid(back) = reply.error() else {
        panic!("the form comes back as a refused one")
    };
    assert!(back.is_empty(), "nothing is wrong: {back:?}");
    assert_eq!(back.value("answers[0][text]"), Some("Hyperkalaemia"));
    assert_eq!(
        back.value("answers[1][feedback]"),
        Some("That flattens them.")
    );
    assert_eq!(
        back.value("explanation"),
        Some("Peaked T waves come first.")
    );
    // Four rows were posted: three more, empty, come back.
    assert_eq!(back.value(app::quiz::api::ROWS_KEPT), Some("7"));
    assert_eq!(question_count(&pool).await, before);

    // Only the case's author gets even that far.
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    let reply = app.save_question(&mut resident, case_id, None, &form).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_form_preview_renders_markdown_for_authors_only(pool: PgPool) {
    use app::quiz::api::QuestionPreview;
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, _) = case_with_module(&app, |s| s).await;
    let preview: QuestionPreview = app
        .preview_question(&mut mentor, "Which is **right**?", "Because _K⁺_.")
        .await
        .json();
    assert!(
        preview.text_html.contains("<strong>right</strong>"),
        "{}",
        preview.text_html
    );
    assert!(
        preview.explanation_html.contains("<em>K⁺</em>"),
        "{}",
        preview.explanation_html
    );
    // Markdown is rendered safely: no script reaches the page.
    let preview: QuestionPreview = app
        .preview_question(&mut mentor, "<script>alert(1)</script>", "")
        .await
        .json();
    assert!(
        !preview.text_html.contains("<script"),
        "{}",
        preview.text_html
    );
    let long = "x".repeat(4001);
    let reply = app.preview_question(&mut mentor, &long, "").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);

    let mut anonymous = Client::default();
    let reply = app.preview_question(&mut anonymous, "Hi", "").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    let reply = app.preview_question(&mut resident, "Hi", "").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}
