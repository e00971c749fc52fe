use crate::common::{Client, TestApp};
use app::accounts::Role;
use app::cases::{CaseDetail, CasePage, CaseStatus};
use app::error::AppError;
use sqlx::PgPool;

const XSS_BODY: &str = "Findings below.\n\n<script>window.__xss = 1</script>\n\n\
<img src=x onerror=\"window.__xss = 2\">\n\n[click me](javascript:window.__xss=3)\n\nEnd of case.";

#[sqlx::test(migrations = "../migrations")]
async fn mentor_writes_previews_and_publishes(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, mentor_id) = app
        .user_with_role("m@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("r@example.in", "Dr. Resident").await;

    let preview: app::cases::Preview = app
        .call(
            &mut mentor,
            "preview-case",
            &[
                ("title", "T"),
                ("summary", "S"),
                ("body", "## Plan\n\n**NPO**, IV fluids"),
            ],
        )
        .await
        .json();
    assert!(
        preview.html.contains("<h2>Plan</h2>") && preview.html.contains("<strong>NPO</strong>")
    );
    assert!(preview.findings.is_empty());

    let id = app
        .save_case(
            &mut mentor,
            "Acute pancreatitis",
            "## Plan\n\nIV fluids",
            "draft",
        )
        .await;
    let draft: CaseDetail = app
        .call(&mut mentor, "case", &[("id", &id.to_string())])
        .await
        .json();
    assert_eq!(draft.summary.status, CaseStatus::Draft);
    assert!(draft.is_author);
    assert!(
        draft.body_html.contains("<h2>Plan</h2>"),
        "rendered once, on save"
    );

    // Drafts are the author's alone.
    let err = app
        .call(&mut resident, "case", &[("id", &id.to_string())])
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
    let list: CasePage = app
        .call(&mut resident, "cases", &[("page", "1")])
        .await
        .json();
    assert!(list.items.is_empty());

    app.call(&mut mentor, "publish-case", &[("id", &id.to_string())])
        .await
        .ok();
    let published: CaseDetail = app
        .call(&mut resident, "case", &[("id", &id.to_string())])
        .await
        .json();
    assert_eq!(published.summary.status, CaseStatus::Published);
    assert_eq!(published.summary.author_id, mentor_id);
    assert!(!published.is_author);
    let list: CasePage = app
        .call(&mut resident, "cases", &[("page", "1")])
        .await
        .json();
    assert_eq!(list.items.len(), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn case_list_is_newest_first_and_paginated(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (mut mentor, _) = app
        .user_with_role("m@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    for i in 0..12 {
        app.save_case(&mut mentor, &format!("Case {i:02}"), "Body", "publish")
            .await;
    }
    let first: CasePage = app
        .call(&mut mentor, "cases", &[("page", "1")])
        .await
        .json();
    assert_eq!(first.items.len(), 10);
    assert!(first.has_next);
    assert_eq!(first.items[0].title, "Case 11");
    let second: CasePage = app
        .call(&mut mentor, "cases", &[("page", "2")])
        .await
        .json();
    assert_eq!(second.items.len(), 2);
    assert!(!second.has_next);
    assert_eq!(second.items[1].title, "Case 00");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_resident_cannot_write_or_publish(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut resident, _) = app.register("r@example.in", "Dr. Resident").await;
    let err = app
        .call(
            &mut resident,
            "save-case",
            &[
                ("title", "Mine"),
                ("specialty", "general-surgery"),
                ("summary", "s"),
                ("body", "b"),
                ("intent", "publish"),
            ],
        )
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let (mut mentor, _) = app
        .user_with_role("m@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let id = app.save_case(&mut mentor, "Draft", "Body", "draft").await;
    let err = app
        .call(&mut resident, "publish-case", &[("id", &id.to_string())])
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    assert_eq!(
        app.call(
            &mut resident,
            "preview-case",
            &[("title", "t"), ("summary", "s"), ("body", "x")]
        )
        .await
        .error(),
        AppError::Forbidden
    );
    let count: i64 = sqlx::query_scalar("select count(*) from cases where status = 'published'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_mentor_cannot_edit_or_publish_another_mentors_case(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut owner, _) = app
        .user_with_role("a@example.in", "Dr. A", Role::Mentor)
        .await;
    let (mut other, _) = app
        .user_with_role("b@example.in", "Dr. B", Role::Mentor)
        .await;
    let id = app
        .save_case(&mut owner, "Owner's draft", "Original body", "draft")
        .await;
    let id_s = id.to_string();

    let err = app
        .call(
            &mut other,
            "save-case",
            &[
                ("id", &id_s),
                ("title", "Hijacked"),
                ("specialty", "general-surgery"),
                ("summary", "s"),
                ("body", "b"),
                ("intent", "publish"),
            ],
        )
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let err = app
        .call(&mut other, "publish-case", &[("id", &id_s)])
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);

    let (title, status): (String, String) =
        sqlx::query_as("select title, status::text from cases where id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (title.as_str(), status.as_str()),
        ("Owner's draft", "draft")
    );

    // The owner can.
    app.call(
        &mut owner,
        "save-case",
        &[
            ("id", &id_s),
            ("title", "Edited"),
            ("specialty", "general-surgery"),
            ("summary", "s"),
            ("body", "b"),
            ("intent", "publish"),
        ],
    )
    .await
    .ok();
    let status: String = sqlx::query_scalar("select status::text from cases where id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "published");
}

#[sqlx::test(migrations = "../migrations")]
async fn anonymous_callers_read_nothing_and_write_nothing(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, mentor_id) = app
        .user_with_role("m@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let draft = app
        .save_case(&mut mentor, "Secret draft", "Body", "draft")
        .await
        .to_string();
    let published = app
        .save_case(&mut mentor, "Public case", "Body", "publish")
        .await
        .to_string();
    let mut anon = Client::default();
    let mid = mentor_id.to_string();

    for (endpoint, form) in [
        ("case", vec![("id", draft.as_str())]),
        ("case", vec![("id", published.as_str())]),
        ("cases", vec![("page", "1")]),
        ("home", vec![]),
        ("mentor", vec![("id", mid.as_str())]),
        ("publish-case", vec![("id", draft.as_str())]),
        (
            "preview-case",
            vec![("title", "t"), ("summary", "s"), ("body", "x")],
        ),
        (
            "follow",
            vec![("mentor_id", mid.as_str()), ("follow", "true")],
        ),
        (
            "save-case",
            vec![
                ("title", "Anon"),
                ("specialty", "general-surgery"),
                ("summary", "s"),
                ("body", "b"),
                ("intent", "publish"),
            ],
        ),
        (
            "save-case",
            vec![
                ("id", draft.as_str()),
                ("title", "Anon"),
                ("specialty", "general-surgery"),
                ("summary", "s"),
                ("body", "b"),
            ],
        ),
    ] {
        let err = app.call(&mut anon, endpoint, &form).await.error();
        assert_eq!(err, AppError::Unauthenticated, "{endpoint} {form:?}");
    }
    let (count, status): (i64, String) = sqlx::query_as(
        "select count(*), min(status::text) filter (where title = 'Secret draft') from cases",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((count, status.as_str()), (2, "draft"));
}

#[sqlx::test(migrations = "../migrations")]
async fn case_validation_reports_fields_and_keeps_the_text(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, _) = app
        .user_with_role("m@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let err = app
        .call(
            &mut mentor,
            "save-case",
            &[
                ("title", "   "),
                ("specialty", "astrology"),
                ("summary", ""),
                ("body", "My careful notes"),
                ("intent", "draft"),
            ],
        )
        .await
        .error();
    let fields = err.field_errors().expect("field errors");
    assert!(fields.get("title").is_some());
    assert!(fields.get("specialty").is_some());
    assert!(fields.get("summary").is_some());
    assert_eq!(fields.value("body"), Some("My careful notes"));

    let long_title = "x".repeat(151);
    let err = app
        .call(
            &mut mentor,
            "save-case",
            &[
                ("title", &long_title),
                ("specialty", "cardiology"),
                ("summary", "s"),
                ("body", "b"),
                ("intent", "draft"),
            ],
        )
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("title")
        .unwrap()
        .contains("150"));
    let count: i64 = sqlx::query_scalar("select count(*) from cases")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing half-saved");
}

#[sqlx::test(migrations = "../migrations")]
async fn stored_html_carries_no_script(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, _) = app
        .user_with_role("m@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("r@example.in", "Dr. Resident").await;
    let id = app
        .save_case(&mut mentor, "XSS attempt", XSS_BODY, "publish")
        .await;
    let html: String = sqlx::query_scalar("select body_html from cases where id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "{html}");
    assert!(!lower.contains("onerror"), "{html}");
    assert!(!lower.contains("javascript:"), "{html}");
    assert!(html.contains("Findings below.") && html.contains("End of case."));

    // And the page a reader gets.
    let page = app.get(&mut resident, &format!("/cases/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("End of case."));
    assert!(!page.body.contains("window.__xss = 1</script>"));
    assert!(!page.body.contains("onerror=\"window.__xss"));
    assert!(!page.body.contains("href=\"javascript:"));
}

#[sqlx::test(migrations = "../migrations")]
async fn sections_and_tags_round_trip_and_empty_sections_are_not_shown(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (mut mentor, _) = app
        .user_with_role("m@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("r@example.in", "Dr. Resident").await;
    app.call(
        &mut mentor,
        "save-case",
        &[
            ("title", "Sectioned case"),
            ("specialty", "general-medicine"),
            ("summary", "s"),
            ("presentation", "Fever for **three** days."),
            ("history", "   "),
            (
                "management",
                "> [!PEARL]\n> Blood cultures before antibiotics.",
            ),
            ("body", ""),
            ("tags", "Sepsis, blood cultures; sepsis"),
            ("intent", "publish"),
        ],
    )
    .await
    .ok();
    let page: app::cases::SearchResults = app
        .call(
            &mut resident,
            "search",
            &[
                ("q", ""),
                ("specialty", ""),
                ("mentor", ""),
                ("tag", "blood-cultures"),
                ("page", "1"),
            ],
        )
        .await
        .json();
    assert_eq!(page.hits.len(), 1, "found by tag");
    let id = page.hits[0].case.id.to_string();
    let case: CaseDetail = app.call(&mut resident, "case", &[("id", &id)]).await.json();
    assert_eq!(case.tags, ["sepsis", "blood-cultures"]);
    assert_eq!(case.sections.presentation, "Fever for **three** days.");
    assert!(case.body_html.contains("<h2>Presentation</h2>"));
    assert!(case.body_html.contains("<h2>Management</h2>"));
    assert!(case.body_html.contains("callout-pearl"));
    assert!(
        !case.body_html.contains("History"),
        "empty sections are not shown"
    );

    let err = app
        .call(
            &mut mentor,
            "save-case",
            &[
                ("title", "Bad tags"),
                ("specialty", "general-medicine"),
                ("summary", "s"),
                ("body", "b"),
                ("tags", "a/b"),
            ],
        )
        .await
        .error();
    assert!(err.field_errors().unwrap().get("tags").is_some());
}
