//! Micro-lessons: written, guarded, linked to cases, searched and read like cases.

use crate::common::{CaseForm, SearchForm, TestApp};
use app::accounts::Role;
use app::cases::{CaseDetail, Kind, SearchResults};
use app::error::AppError;
use axum::http::StatusCode;
use sqlx::PgPool;

fn lesson_form<'a>(title: &'a str, body: &'a str, related: &'a str) -> CaseForm<'a> {
    CaseForm {
        title,
        specialty: "cardiology",
        summary: "Read an ECG for hyperkalaemia in three minutes.",
        body: Some(body),
        tags: Some("ecg, potassium"),
        kind: Some("lesson"),
        related: Some(related),
        intent: Some("publish"),
        ..CaseForm::default()
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_lesson_is_published_with_reading_time_and_related_cases(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, _) = app
        .user_with_role("m@example.in", "Dr. Cardio", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("r@example.in", "Dr. Resident").await;
    let case_id = app
        .create_case(
            &mut mentor,
            CaseForm::publish("Peaked T waves in CKD", "K 7.1; sine wave."),
        )
        .await;
    let body = "Tall tented T waves come first. ".repeat(90); // 540 words: 3 minutes
    let related = format!("/cases/{case_id}");
    let reply = app
        .save_case(
            &mut mentor,
            lesson_form("Hyperkalaemia on the ECG", &body, &related),
        )
        .await;
    reply.ok();
    let lesson_id: i64 = sqlx::query_scalar("select id from cases where kind = 'lesson'")
        .fetch_one(&pool)
        .await
        .unwrap();

    let lesson: CaseDetail = app.case(&mut resident, lesson_id).await.json();
    assert_eq!(lesson.summary.kind, Kind::Lesson);
    assert_eq!(lesson.summary.reading_minutes, 3);
    assert_eq!(lesson.related.len(), 1);
    assert_eq!(lesson.related[0].id, case_id);
    assert_eq!(lesson.summary.url(), format!("/lessons/{lesson_id}"));

    let page = app
        .get(&mut resident, &format!("/lessons/{lesson_id}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Micro-lesson · 3 min read"));
    assert!(
        page.body.contains("Peaked T waves in CKD"),
        "related case linked"
    );

    // Search finds lessons by their tags and filters by kind.
    let search = |kind, q| SearchForm {
        tag: Some(""),
        kind: Some(kind),
        ..SearchForm::q(q)
    };
    let all: SearchResults = app
        .search(&mut resident, search("", "potassium"))
        .await
        .json();
    assert_eq!(all.hits.len(), 1, "the tag is searchable");
    let lessons: SearchResults = app.search(&mut resident, search("lesson", "")).await.json();
    assert_eq!(
        lessons.hits.iter().map(|h| h.case.id).collect::<Vec<_>>(),
        vec![lesson_id]
    );
    let cases: SearchResults = app.search(&mut resident, search("case", "")).await.json();
    assert_eq!(
        cases.hits.iter().map(|h| h.case.id).collect::<Vec<_>>(),
        vec![case_id]
    );

    // Editing a published lesson makes a revision, as for cases; it stays a lesson.
    let form = CaseForm {
        id: Some(lesson_id),
        kind: None,
        ..lesson_form("Hyperkalaemia on the ECG (revised)", &body, &related)
    };
    app.save_case(&mut mentor, form).await.ok();
    let (kind, revisions): (String, i64) = sqlx::query_as(
        "select c.kind::text, (select count(*) from case_revisions r where r.case_id = c.id) from cases c where c.id = $1",
    )
    .bind(lesson_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((kind.as_str(), revisions), ("lesson", 2));
}

#[sqlx::test(migrations = "../migrations")]
async fn lessons_pass_the_same_checks_as_cases(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, _) = app
        .user_with_role("m@example.in", "Dr. Cardio", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("r@example.in", "Dr. Resident").await;

    let long = "word ".repeat(2000);
    let err = app
        .save_case(&mut mentor, lesson_form("Too long", &long, ""))
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("body")
        .unwrap()
        .contains("3–5 minutes"));

    let err = app
        .save_case(
            &mut mentor,
            lesson_form("Bad link", "Short.", "/cases/99999"),
        )
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("related")
        .unwrap()
        .contains("99999"));
    let err = app
        .save_case(&mut mentor, lesson_form("Bad link", "Short.", "banana"))
        .await
        .error();
    assert!(err.field_errors().unwrap().get("related").is_some());

    let err = app
        .save_case(
            &mut mentor,
            lesson_form("Phone", "Ring me on 98450 12345.", ""),
        )
        .await
        .error();
    assert!(matches!(err, AppError::PrivacyBlocked { .. }), "{err:?}");

    // Residents do not write lessons.
    let err = app
        .save_case(&mut resident, lesson_form("Mine", "Short.", ""))
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
}
