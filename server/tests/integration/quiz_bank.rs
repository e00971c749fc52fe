//! The question bank: every question a mentor writes or imports is theirs, searchable, and can
//! serve several modules, with item analysis per module and across them; an edit of an answered
//! question reaches every module it serves as a new version; only the author sees or changes
//! their bank.

use crate::common::fixtures::{case_with_module, question_ids, start, submit};
use crate::common::{CaseForm, Client, TestApp};
use app::accounts::Role;
use app::error::AppError;
use app::quiz::bank::BankPage;
use app::quiz::{QuestionKind, QuizEditorData};
use axum::http::StatusCode;
use sqlx::PgPool;

/// Questions with tags and objectives, as a Moodle or GIFT file gives them.
const TAGGED_GIFT: &str = "// [tag:ECG]\n// [tag:electrolytes]\n::Peaked T:: Which disturbance gives peaked T waves? {=Hyperkalaemia ~Hypokalaemia}\n\n// [tag:ECG]\n::Delta:: A slurred upstroke before the QRS suggests? {=WPW syndrome ~Brugada syndrome}\n";

async fn bank(app: &TestApp, client: &mut Client, fields: &[(&str, &str)]) -> BankPage {
    app.bank(client, fields).await.json()
}

fn names(page: &BankPage) -> Vec<String> {
    page.questions
        .iter()
        .map(|q| q.question.name.clone())
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn bank_questions_serve_two_modules_with_their_own_analysis(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, first_case) = case_with_module(&app, |s| s).await;
    app.quiz_import(&mut mentor, first_case, TAGGED_GIFT)
        .await
        .ok();
    let ids = question_ids(&pool).await;
    let courvoisier = ids[0];

    // Every imported question is in the bank, newest first, serving the module it came with.
    let all = bank(&app, &mut mentor, &[]).await;
    assert_eq!(
        names(&all),
        ["Delta", "Peaked T", "Sign", "TF", "SJS", "Courvoisier"]
    );
    assert!(all.questions.iter().all(|q| q.uses.len() == 1));
    assert_eq!(all.tags, ["ECG", "electrolytes"]);
    let peaked = &all.questions[1];
    assert_eq!(peaked.tags, ["ECG", "electrolytes"], "tags from the file");

    // Searched by words, tag (any case), objective and type, alone or together.
    let found = |fields: &'static [(&'static str, &'static str)]| {
        let (app, mut mentor) = (&app, mentor.clone());
        async move { names(&bank(app, &mut mentor, fields).await) }
    };
    assert_eq!(
        found(&[("filter[text]", "GALLBLADDER")]).await,
        ["Courvoisier"]
    );
    assert_eq!(
        found(&[("filter[tag]", "ecg")]).await,
        ["Delta", "Peaked T"]
    );
    assert_eq!(
        found(&[("filter[tag]", "ecg"), ("filter[text]", "QRS")]).await,
        ["Delta"]
    );
    assert_eq!(
        found(&[("filter[objective]", "electro")]).await,
        ["Peaked T"]
    );
    assert_eq!(found(&[("filter[kind]", "true_false")]).await, ["TF"]);
    assert_eq!(found(&[("filter[kind]", "short_answer")]).await, ["Sign"]);
    assert!(found(&[("filter[text]", "no such words")]).await.is_empty());

    // The same question serves a second case's module (made by adding it), once.
    let second_case = app
        .create_case(
            &mut mentor,
            CaseForm::publish("Obstructive jaundice, revisited", "A second look."),
        )
        .await;
    let building = bank(&app, &mut mentor, &[("module", &second_case.to_string())]).await;
    assert_eq!(building.target.as_ref().map(|t| t.0), Some(second_case));
    assert!(building.in_target.is_empty());
    app.bank_add(&mut mentor, second_case, courvoisier)
        .await
        .ok();
    let again = app.bank_add(&mut mentor, second_case, courvoisier).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let building = bank(&app, &mut mentor, &[("module", &second_case.to_string())]).await;
    assert_eq!(building.in_target, [courvoisier]);

    // One learner gets it right in the first module, another wrong in the second.
    let (mut right, _) = app.register("right@example.in", "Dr. Right").await;
    let attempt = start(&app, &mut right, first_case).await;
    app.answer(&mut right, attempt, courvoisier, &[("choice", "0")])
        .await
        .ok();
    submit(&app, &mut right, attempt).await;
    let (mut wrong, _) = app.register("wrong@example.in", "Dr. Wrong").await;
    let other = start(&app, &mut wrong, second_case).await;
    app.answer(&mut wrong, other, courvoisier, &[("choice", "1")])
        .await
        .ok();
    let result = submit(&app, &mut wrong, other).await;
    assert_eq!(
        result["score"].as_f64(),
        Some(0.0),
        "the second module has one question"
    );

    // Item analysis per module: each module counts its own learners.
    for (case_id, correct) in [(first_case, 1.0), (second_case, 0.0)] {
        let editor: QuizEditorData = app.quiz_editor(&mut mentor, case_id).await.json();
        let stat = editor
            .stats
            .iter()
            .find(|s| s.question_id == courvoisier)
            .unwrap();
        assert_eq!(
            (stat.answered, stat.correct),
            (1, correct),
            "case {case_id}"
        );
    }
    // And across modules, in the bank.
    let page = bank(&app, &mut mentor, &[("filter[text]", "gallbladder")]).await;
    let q = &page.questions[0];
    let mut uses: Vec<_> = q
        .uses
        .iter()
        .map(|u| (u.case_id, u.offered, u.answers, u.full_credit))
        .collect();
    uses.sort();
    assert_eq!(uses, [(first_case, true, 1, 1), (second_case, true, 1, 0)]);
    assert_eq!(q.totals(), (2, 1));
    assert!(q.in_attempts);

    // Editing it from the second module makes a new version that both modules offer in its
    // place; the bank lists the new version, tags kept, and the learners' records stay.
    app.bank_tags(&mut mentor, courvoisier, "jaundice, surgery")
        .await
        .ok();
    let new: i64 = app
        .save_question(
            &mut mentor,
            second_case,
            Some(courvoisier),
            &[
                ("kind", "single"),
                ("name", "Courvoisier"),
                (
                    "text",
                    "A jaundiced man has a palpable gallbladder. Likeliest cause now?",
                ),
                ("answers[0][text]", "Carcinoma of the head of pancreas"),
                ("answers[0][weight]", "100"),
                ("answers[1][text]", "Gallstones in the CBD"),
                ("answers[1][weight]", "0"),
            ],
        )
        .await
        .json();
    assert_ne!(new, courvoisier);
    for case_id in [first_case, second_case] {
        let editor: QuizEditorData = app.quiz_editor(&mut mentor, case_id).await.json();
        let offered: Vec<i64> = editor
            .questions
            .iter()
            .filter(|q| q.retired_at.is_none())
            .map(|q| q.id)
            .collect();
        assert_eq!(
            offered[0], new,
            "case {case_id}: the new version, first as before"
        );
        assert!(!offered.contains(&courvoisier));
        assert!(editor
            .questions
            .iter()
            .any(|q| q.id == courvoisier && q.retired_at.is_some()));
    }
    let page = bank(&app, &mut mentor, &[("filter[text]", "gallbladder")]).await;
    assert_eq!(page.questions.len(), 1, "only the current version");
    assert_eq!(page.questions[0].id, new);
    assert_eq!(page.questions[0].tags, ["jaundice", "surgery"]);
    let answers: i64 =
        sqlx::query_scalar("select count(*) from quiz_answers where question_id = $1")
            .bind(courvoisier)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        answers, 2,
        "both learners' answers stay with the version they answered"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn only_the_author_sees_and_changes_their_bank(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut author, case_id) = case_with_module(&app, |s| s).await;
    let ids = question_ids(&pool).await;
    let (mut other, _) = app
        .user_with_role("other@example.in", "Dr. Other", Role::Mentor)
        .await;
    let other_case = app
        .create_case(&mut other, CaseForm::publish("Another case", "Body."))
        .await;
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;

    // Another mentor's bank has none of the author's questions.
    let theirs = bank(&app, &mut other, &[]).await;
    assert!(theirs.questions.is_empty());
    assert_eq!(
        theirs.modules.iter().map(|m| m.0).collect::<Vec<_>>(),
        [other_case]
    );

    // Nothing of the author's bank is reachable for them.
    let stored_tags = || async {
        sqlx::query_scalar::<_, Vec<String>>("select tags from quiz_questions where id = $1")
            .bind(ids[0])
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let before = stored_tags().await;
    assert_eq!(
        app.bank_tags(&mut other, ids[0], "mine now").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.bank_add(&mut other, other_case, ids[0]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.bank_add(&mut other, case_id, ids[0]).await.status,
        StatusCode::FORBIDDEN,
        "nor into the author's module"
    );
    assert_eq!(
        app.bank_delete(&mut other, ids[0]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.bank(&mut other, &[("module", &case_id.to_string())])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.save_question(
            &mut other,
            other_case,
            Some(ids[0]),
            &[
                ("kind", "true_false"),
                ("text", "Taken over?"),
                ("truth", "true")
            ],
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // Residents have no bank; nor does anyone signed out.
    assert_eq!(
        app.bank(&mut resident, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.bank_tags(&mut resident, ids[0], "x").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.bank(&mut Client::default(), &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(stored_tags().await, before, "nothing changed");
    let count: i64 = sqlx::query_scalar("select count(*) from quiz_module_questions")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 4, "no placement was added");

    // The author's tags: cleaned, and refused beside the field when there are too many.
    app.bank_tags(
        &mut author,
        ids[0],
        " Surgery , surgery,  hepato   biliary ",
    )
    .await
    .ok();
    assert_eq!(stored_tags().await, ["Surgery", "hepato biliary"]);
    let many = (0..20)
        .map(|i| format!("t{i}"))
        .collect::<Vec<_>>()
        .join(",");
    let reply = app.bank_tags(&mut author, ids[0], &many).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    match reply.error() {
        AppError::Invalid(fields) => {
            let message = fields.get(&format!("tags-{}", ids[0])).unwrap();
            assert!(message.contains("at most 12 tags"), "{message}");
        }
        other => panic!("expected field errors, got {other:?}"),
    }
    assert_eq!(stored_tags().await, ["Surgery", "hepato biliary"]);

    // A question taken out of its module stays in the bank and can then be deleted; one that
    // serves a module cannot.
    let reply = app.bank_delete(&mut author, ids[1]).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    app.delete_question(&mut author, case_id, ids[1]).await.ok();
    let page = bank(&app, &mut author, &[("filter[kind]", "multiple")]).await;
    assert_eq!(page.questions.len(), 1);
    assert!(
        page.questions[0].uses.is_empty(),
        "out of the module, still in the bank"
    );
    assert_eq!(page.questions[0].question.kind, QuestionKind::Multiple);
    app.bank_delete(&mut author, ids[1]).await.ok();
    assert!(bank(&app, &mut author, &[("filter[kind]", "multiple")])
        .await
        .questions
        .is_empty());
}
