use crate::common::{CaseForm, Client, SearchForm, TestApp};
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
        .preview_case(&mut mentor, "T", "S", "## Plan\n\n**NPO**, IV fluids")
        .await
        .json();
    assert!(
        preview.html.contains("<h2>Plan</h2>") && preview.html.contains("<strong>NPO</strong>")
    );
    assert!(preview.findings.is_empty());

    let id = app
        .create_case(
            &mut mentor,
            CaseForm::draft("Acute pancreatitis", "## Plan\n\nIV fluids"),
        )
        .await;
    let draft: CaseDetail = app.case(&mut mentor, id).await.json();
    assert_eq!(draft.summary.status, CaseStatus::Draft);
    assert!(draft.is_author);
    assert!(
        draft.body_html.contains("<h2>Plan</h2>"),
        "rendered once, on save"
    );

    // Drafts are the author's alone.
    let err = app.case(&mut resident, id).await.error();
    assert_eq!(err, AppError::NotFound);
    let list: CasePage = app.cases(&mut resident, 1).await.json();
    assert!(list.items.is_empty());

    app.publish_case(&mut mentor, id).await.ok();
    let published: CaseDetail = app.case(&mut resident, id).await.json();
    assert_eq!(published.summary.status, CaseStatus::Published);
    assert_eq!(published.summary.author_id, mentor_id);
    assert!(!published.is_author);
    let list: CasePage = app.cases(&mut resident, 1).await.json();
    assert_eq!(list.items.len(), 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn case_list_is_newest_first_and_paginated(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (mut mentor, _) = app
        .user_with_role("m@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    for i in 0..12 {
        let title = format!("Case {i:02}");
        app.create_case(&mut mentor, CaseForm::publish(&title, "Body"))
            .await;
    }
    let first: CasePage = app.cases(&mut mentor, 1).await.json();
    assert_eq!(first.items.len(), 10);
    assert!(first.has_next);
    assert_eq!(first.items[0].title, "Case 11");
    let second: CasePage = app.cases(&mut mentor, 2).await.json();
    assert_eq!(second.items.len(), 2);
    assert!(!second.has_next);
    assert_eq!(second.items[1].title, "Case 00");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_resident_cannot_write_or_publish(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut resident, _) = app.register("r@example.in", "Dr. Resident").await;
    let err = app
        .save_case(
            &mut resident,
            CaseForm {
                summary: "s",
                ..CaseForm::publish("Mine", "b")
            },
        )
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    let (mut mentor, _) = app
        .user_with_role("m@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let id = app
        .create_case(&mut mentor, CaseForm::draft("Draft", "Body"))
        .await;
    let err = app.publish_case(&mut resident, id).await.error();
    assert_eq!(err, AppError::Forbidden);
    assert_eq!(
        app.preview_case(&mut resident, "t", "s", "x").await.error(),
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
        .create_case(
            &mut owner,
            CaseForm::draft("Owner's draft", "Original body"),
        )
        .await;
    let edit = |title| CaseForm {
        id: Some(id),
        summary: "s",
        ..CaseForm::publish(title, "b")
    };

    let err = app.save_case(&mut other, edit("Hijacked")).await.error();
    assert_eq!(err, AppError::Forbidden);
    let err = app.publish_case(&mut other, id).await.error();
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
    app.save_case(&mut owner, edit("Edited")).await.ok();
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
        .create_case(&mut mentor, CaseForm::draft("Secret draft", "Body"))
        .await;
    let published = app
        .create_case(&mut mentor, CaseForm::publish("Public case", "Body"))
        .await;
    let mut anon = Client::default();
    let anon = &mut anon;

    let new_case = CaseForm {
        summary: "s",
        ..CaseForm::publish("Anon", "b")
    };
    let edit_draft = CaseForm {
        id: Some(draft),
        title: "Anon",
        summary: "s",
        body: Some("b"),
        ..CaseForm::default()
    };
    for (what, reply) in [
        ("read the draft", app.case(anon, draft).await),
        ("read the published case", app.case(anon, published).await),
        ("list cases", app.cases(anon, 1).await),
        ("read home", app.home(anon).await),
        ("read the mentor", app.mentor(anon, mentor_id).await),
        ("publish the draft", app.publish_case(anon, draft).await),
        ("preview", app.preview_case(anon, "t", "s", "x").await),
        ("follow the mentor", app.follow(anon, mentor_id, true).await),
        ("write a case", app.save_case(anon, new_case).await),
        ("edit the draft", app.save_case(anon, edit_draft).await),
    ] {
        assert_eq!(reply.error(), AppError::Unauthenticated, "{what}");
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
        .save_case(
            &mut mentor,
            CaseForm {
                specialty: "astrology",
                summary: "",
                ..CaseForm::draft("   ", "My careful notes")
            },
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
        .save_case(
            &mut mentor,
            CaseForm {
                specialty: "cardiology",
                summary: "s",
                ..CaseForm::draft(&long_title, "b")
            },
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
        .create_case(&mut mentor, CaseForm::publish("XSS attempt", XSS_BODY))
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
    let sectioned = CaseForm {
        title: "Sectioned case",
        specialty: "general-medicine",
        summary: "s",
        presentation: Some("Fever for **three** days."),
        history: Some("   "),
        management: Some("> [!PEARL]\n> Blood cultures before antibiotics."),
        body: Some(""),
        tags: Some("Sepsis, blood cultures; sepsis"),
        intent: Some("publish"),
        ..CaseForm::default()
    };
    app.save_case(&mut mentor, sectioned).await.ok();
    let page: app::cases::SearchResults = app
        .search(
            &mut resident,
            SearchForm {
                tag: Some("blood-cultures"),
                ..SearchForm::default()
            },
        )
        .await
        .json();
    assert_eq!(page.hits.len(), 1, "found by tag");
    let id = page.hits[0].case.id;
    let case: CaseDetail = app.case(&mut resident, id).await.json();
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
        .save_case(
            &mut mentor,
            CaseForm {
                title: "Bad tags",
                specialty: "general-medicine",
                summary: "s",
                body: Some("b"),
                tags: Some("a/b"),
                ..CaseForm::default()
            },
        )
        .await
        .error();
    assert!(err.field_errors().unwrap().get("tags").is_some());
}
