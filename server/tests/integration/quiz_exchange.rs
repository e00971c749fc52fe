//! Moving questions in and out of a module: Moodle XML pasted or uploaded as a file, and the
//! module downloaded as Moodle XML or GIFT, by the module's author only.

use crate::common::fixtures::TWO_QUESTION_XML;
use crate::common::{CaseForm, Client, RefusedForm, TestApp};
use app::accounts::Role;
use app::error::AppError;
use app::quiz::{Question, QuestionKind, QuizEditorData};
use axum::http::{header, StatusCode};
use sqlx::PgPool;

/// A Moodle bank export: one question of each supported type with feedback, fractions, a
/// wildcard, names and a tag, an essay and a Cloze question (skipped), and a category.
const MOODLE_BANK: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category><text>$course$/top/Hepatobiliary</text></category>
  </question>
<!-- question: 11  -->
  <question type="multichoice">
    <name><text>Courvoisier</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>A jaundiced man has a <b>palpable</b>, non-tender gallbladder.&nbsp;Likeliest cause?</p>]]></text>
    </questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>Think periampullary cancer.</p>]]></text></generalfeedback>
    <single>true</single>
    <answer fraction="100" format="html">
      <text><![CDATA[<p>Carcinoma of the head of pancreas</p>]]></text>
      <feedback format="html"><text>Courvoisier's law.</text></feedback>
    </answer>
    <answer fraction="0" format="html">
      <text>Gallstones in the CBD</text>
      <feedback format="html"><text>Stones leave a fibrosed gallbladder.</text></feedback>
    </answer>
    <tags><tag><text>obstructive jaundice</text></tag></tags>
  </question>
<!-- question: 12  -->
  <question type="multichoice">
    <name><text>SJS</text></name>
    <questiontext format="html"><text>Which commonly cause SJS in India?</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>Carbamazepine</text><feedback><text>Yes.</text></feedback></answer>
    <answer fraction="50"><text>Allopurinol</text></answer>
    <answer fraction="-100"><text>Vitamin D</text><feedback><text>No.</text></feedback></answer>
  </question>
<!-- question: 13  -->
  <question type="truefalse">
    <name><text>Peaked T</text></name>
    <questiontext format="moodle_auto_format"><text>Peaked T waves come before QRS widening.</text></questiontext>
    <answer fraction="100"><text>true</text><feedback><text>Right.</text></feedback></answer>
    <answer fraction="0"><text>false</text><feedback><text>Think again.</text></feedback></answer>
  </question>
<!-- question: 14  -->
  <question type="shortanswer">
    <name><text>Sign</text></name>
    <questiontext format="markdown"><text>Name the **sign**.</text></questiontext>
    <usecase>0</usecase>
    <answer fraction="100"><text>Courvoisier*</text><feedback><text>Yes.</text></feedback></answer>
    <answer fraction="0"><text>*</text><feedback><text>Completely wrong.</text></feedback></answer>
  </question>
<!-- question: 15  -->
  <question type="essay">
    <name><text>Approach</text></name>
    <questiontext format="html"><text>Describe your approach.</text></questiontext>
  </question>
<!-- question: 16  -->
  <question type="multianswer">
    <name><text>Cloze</text></name>
    <questiontext format="html"><text>Courvoisier is {1:SHORTANSWER:=sign}</text></questiontext>
  </question>
</quiz>
"#;

async fn mentor_with_case(app: &TestApp, email: &str, title: &str) -> (Client, i64) {
    let (mut mentor, _) = app.user_with_role(email, "Dr. Mentor", Role::Mentor).await;
    let case_id = app
        .create_case(
            &mut mentor,
            CaseForm::publish(title, "Palpable gallbladder."),
        )
        .await;
    (mentor, case_id)
}

fn offered(editor: &QuizEditorData) -> Vec<Question> {
    editor
        .questions
        .iter()
        .filter(|q| q.retired_at.is_none())
        .map(|q| q.question.clone())
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_moodle_bank_is_imported_exported_and_imported_again_unchanged(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = mentor_with_case(&app, "mentor@example.in", "Jaundice").await;

    // Pasted into the import form: the supported questions come in, the rest are named.
    let skipped: Vec<String> = app
        .quiz_import(&mut mentor, case_id, MOODLE_BANK)
        .await
        .json();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].contains("“Approach”") && skipped[0].contains("(essay)"));
    assert!(skipped[1].contains("“Cloze”") && skipped[1].contains("Cloze"));

    let editor: QuizEditorData = app.quiz_editor(&mut mentor, case_id).await.json();
    let questions = offered(&editor);
    let kinds: Vec<QuestionKind> = questions.iter().map(|q| q.kind).collect();
    assert_eq!(
        kinds,
        [
            QuestionKind::Single,
            QuestionKind::Multiple,
            QuestionKind::TrueFalse,
            QuestionKind::ShortAnswer
        ]
    );
    let single = &questions[0];
    assert_eq!(single.name, "Courvoisier");
    assert_eq!(
        single.text,
        "A jaundiced man has a palpable, non-tender gallbladder. Likeliest cause?"
    );
    assert_eq!(single.explanation, "Think periampullary cancer.");
    assert_eq!(single.objective, "obstructive jaundice");
    assert_eq!(single.answers[0].text, "Carcinoma of the head of pancreas");
    assert_eq!(
        single.answers[1].feedback,
        "Stones leave a fibrosed gallbladder."
    );
    let weights: Vec<f64> = questions[1].answers.iter().map(|a| a.weight).collect();
    assert_eq!(weights, [50.0, 50.0, -100.0]);
    assert_eq!(questions[2].answers[0].weight, 100.0, "true is right");
    assert_eq!(questions[2].answers[1].feedback, "Think again.");
    assert_eq!(questions[3].text, "Name the **sign**.");
    assert_eq!(questions[3].answers[1].text, "*");

    // Downloaded as Moodle XML: a file, private to its reader.
    let export = app.quiz_export(&mut mentor, case_id, "xml").await;
    assert_eq!(export.status, StatusCode::OK);
    assert_eq!(
        export.headers[header::CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );
    assert_eq!(
        export.headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"corridor-case-{case_id}-questions.xml\"")
    );
    assert_eq!(export.headers[header::CACHE_CONTROL], "private, no-cache");
    let (items, errors) = app::quiz::moodle_xml::parse(&export.body);
    assert!(errors.is_empty(), "{errors:?}");
    let exported: Vec<Question> = items.iter().filter_map(|i| i.to_question()).collect();
    assert_eq!(exported, questions);

    // Uploaded as a file into another case's module: the same questions.
    let (mut second, second_case) = mentor_with_case(&app, "second@example.in", "Again").await;
    let reply = app
        .quiz_import_file(
            &mut second,
            second_case,
            "questions.xml",
            export.body.as_bytes(),
            true,
        )
        .await;
    let answer: serde_json::Value = reply.json();
    assert_eq!(answer["imported"], 4);
    assert_eq!(answer["skipped"], serde_json::json!([]));
    let editor: QuizEditorData = app.quiz_editor(&mut second, second_case).await.json();
    assert_eq!(offered(&editor), questions);

    // The GIFT download carries the same module.
    let gift = app.quiz_export(&mut mentor, case_id, "gift").await;
    assert_eq!(gift.status, StatusCode::OK);
    assert_eq!(
        gift.headers[header::CONTENT_TYPE],
        "text/plain; charset=utf-8"
    );
    assert!(gift.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains(".gift.txt"));
    let (items, errors) = app::quiz::gift::parse(&gift.body);
    assert!(errors.is_empty(), "{errors:?}");
    let from_gift: Vec<Question> = items.iter().filter_map(|i| i.to_question()).collect();
    assert_eq!(from_gift, questions);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_file_import_without_javascript_comes_back_to_the_editor(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = mentor_with_case(&app, "mentor@example.in", "Jaundice").await;

    // Success: back to the editor, which says what was skipped.
    let with_essay = TWO_QUESTION_XML.replace(
        "</quiz>",
        "<question type=\"essay\"><name><text>Why</text></name><questiontext><text>Why?</text></questiontext></question>\n</quiz>",
    );
    let reply = app
        .quiz_import_file(
            &mut mentor,
            case_id,
            "bank.xml",
            with_essay.as_bytes(),
            false,
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let location = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(
        location.starts_with(&format!("/cases/{case_id}/quiz/edit?imported=1&skipped=")),
        "{location}"
    );
    let page = app.get(&mut mentor, &location).await;
    assert!(page.body.contains("Questions imported."));
    assert!(page.body.contains("Essay questions are not supported"));
    assert!(page.body.contains("“Why”"));
    let editor: QuizEditorData = app.quiz_editor(&mut mentor, case_id).await.json();
    assert_eq!(editor.questions.len(), 2);
    assert!(page
        .body
        .contains(&format!("/cases/{case_id}/quiz/export.xml")));

    // Malformed XML: nothing imported, the line beside the file field.
    let broken = "<?xml version=\"1.0\"?>\n<quiz>\n<question type=\"truefalse\">\n<name><text>x</name>\n</question>\n</quiz>\n";
    let reply = app
        .quiz_import_file(&mut mentor, case_id, "bank.xml", broken.as_bytes(), false)
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let location = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
    let refused = RefusedForm::from_location(&location);
    assert_eq!(refused.page, format!("/cases/{case_id}/quiz/edit"));
    assert_eq!(refused.action, format!("/cases/{case_id}/quiz/import"));
    let message = refused.field("file").unwrap();
    assert!(
        message.starts_with("Line 4: The XML is not well formed"),
        "{message}"
    );
    let page = app.get(&mut mentor, &location).await;
    assert!(page.body.contains("Line 4: The XML is not well formed"));
    let editor: QuizEditorData = app.quiz_editor(&mut mentor, case_id).await.json();
    assert_eq!(editor.questions.len(), 2);

    // A script gets the error itself.
    let err = app
        .quiz_import_file(&mut mentor, case_id, "bank.xml", broken.as_bytes(), true)
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("file")
        .unwrap()
        .starts_with("Line 4:"));

    // The privacy guard reads imported files too; the refusal names the kind of identifier
    // but the number never goes into the address.
    let phi = TWO_QUESTION_XML.replace("Peaked T waves mean?", "Patient on 98450 12345 has?");
    let reply = app
        .quiz_import_file(&mut mentor, case_id, "bank.xml", phi.as_bytes(), false)
        .await;
    let location = reply.headers[header::LOCATION].to_str().unwrap().to_owned();
    let refused = RefusedForm::from_location(&location);
    assert!(refused
        .field("file")
        .unwrap()
        .contains("identify a patient"));
    assert!(!refused.query.contains("98450"), "{}", refused.query);
    assert!(!location.contains("98450"));

    // Too large, empty, not UTF-8, or a GIFT file (accepted as well).
    let big = format!("<quiz>{}</quiz>", " ".repeat(300 * 1024));
    for (bytes, says) in [
        (big.as_bytes(), "larger than 256 KB"),
        (&b""[..], "Choose a Moodle XML or GIFT file"),
        (&b"<quiz>\xff\xfe</quiz>"[..], "not UTF-8"),
    ] {
        let err = app
            .quiz_import_file(&mut mentor, case_id, "bank.xml", bytes, true)
            .await
            .error();
        let message = err.field_errors().unwrap().get("file").unwrap().to_owned();
        assert!(message.contains(says), "{message}");
    }
    let answer: serde_json::Value = app
        .quiz_import_file(
            &mut mentor,
            case_id,
            "bank.gift.txt",
            b"::Three:: Broad QRS? {=VT ~SVT}",
            true,
        )
        .await
        .json();
    assert_eq!(answer["imported"], 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn only_the_modules_author_exports_or_imports_files(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id) = mentor_with_case(&app, "mentor@example.in", "Jaundice").await;
    app.quiz_import(&mut mentor, case_id, TWO_QUESTION_XML)
        .await
        .ok();
    let (mut other_mentor, _) = app
        .user_with_role("other@example.in", "Dr. Other", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    let mut anonymous = Client::default();
    for (who, client, status) in [
        ("another mentor", &mut other_mentor, StatusCode::FORBIDDEN),
        ("a resident", &mut resident, StatusCode::FORBIDDEN),
        ("anonymous", &mut anonymous, StatusCode::UNAUTHORIZED),
    ] {
        for format in ["xml", "gift"] {
            let reply = app.quiz_export(client, case_id, format).await;
            assert_eq!(reply.status, status, "{who} exports {format}");
            assert!(!reply.body.contains("Courvoisier"), "{who}");
        }
        let reply = app
            .quiz_import_file(client, case_id, "q.xml", TWO_QUESTION_XML.as_bytes(), true)
            .await;
        assert_eq!(reply.status, status, "{who} imports");
    }
    let reply = app
        .quiz_import_file(
            &mut other_mentor,
            case_id,
            "q.xml",
            TWO_QUESTION_XML.as_bytes(),
            true,
        )
        .await;
    assert_eq!(reply.error(), AppError::Forbidden);
    // A case that does not exist is not found, for its would-be author too.
    let reply = app.quiz_export(&mut mentor, case_id + 1000, "xml").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let editor: QuizEditorData = app.quiz_editor(&mut mentor, case_id).await.json();
    assert_eq!(editor.questions.len(), 2, "nobody else added questions");
}
