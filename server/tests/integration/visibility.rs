use crate::common::fixtures::{department, place, publish_for};
use crate::common::{CaseForm, Client, TestApp};
use app::accounts::Role;
use app::cases::{CaseDetail, CasePage, HomeData, MentorProfile};
use app::error::AppError;
use sqlx::PgPool;

async fn readable_titles(app: &TestApp, client: &mut Client) -> Vec<String> {
    let page: CasePage = app.cases(client, 1).await.json();
    let mut titles: Vec<String> = page.items.into_iter().map(|c| c.title).collect();
    titles.sort();
    titles
}

#[sqlx::test(migrations = "../migrations")]
async fn visibility_is_enforced_in_lists_pages_profiles_and_feeds(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let surgery = department(&pool, "City Hospital", "Surgery").await;
    let medicine = department(&pool, "City Hospital", "Medicine").await;
    let elsewhere = department(&pool, "Rural Hospital", "Surgery").await;

    let (mut mentor, mentor_id) = app
        .user_with_role("m@example.in", "Dr. M", Role::Mentor)
        .await;
    place(&pool, mentor_id, surgery).await;
    let dept = publish_for(&app, &mut mentor, "Department only", "department").await;
    let inst = publish_for(&app, &mut mentor, "Institution only", "institution").await;
    let all = publish_for(&app, &mut mentor, "Everyone", "all").await;

    let mut readers = Vec::new();
    for (email, department_id) in [
        ("same-dept@example.in", Some(surgery)),
        ("same-inst@example.in", Some(medicine)),
        ("other-inst@example.in", Some(elsewhere)),
        ("no-dept@example.in", None),
    ] {
        let (client, id) = app.register(email, "Dr. Reader").await;
        if let Some(department_id) = department_id {
            place(&pool, id, department_id).await;
        }
        readers.push(client);
    }
    let expected: [&[&str]; 4] = [
        &["Department only", "Everyone", "Institution only"],
        &["Everyone", "Institution only"],
        &["Everyone"],
        &["Everyone"],
    ];
    for (reader, expected) in readers.iter_mut().zip(expected) {
        assert_eq!(readable_titles(&app, reader).await, expected);

        for (id, title) in [
            (dept, "Department only"),
            (inst, "Institution only"),
            (all, "Everyone"),
        ] {
            let reply = app.case(reader, id).await;
            if expected.contains(&title) {
                let case: CaseDetail = reply.json();
                assert_eq!(case.summary.title, title);
            } else {
                assert_eq!(
                    reply.error(),
                    AppError::NotFound,
                    "{title} must stay hidden"
                );
            }
        }

        let profile: MentorProfile = app.mentor(reader, mentor_id).await.json();
        assert_eq!(profile.cases.len(), expected.len());

        app.follow(reader, mentor_id, true).await.ok();
        let home: HomeData = app.home(reader).await.json();
        assert_eq!(home.feed.items.len(), expected.len());

        // And the server-rendered page of a hidden case is a 404, not the case.
        let page = app.get(reader, &format!("/cases/{dept}")).await;
        if !expected.contains(&"Department only") {
            assert_eq!(page.status.as_u16(), 404);
            assert!(!page.body.contains("Department only"));
        }
    }

    // A mentor without a department cannot restrict a case to one.
    let (mut loner, _) = app
        .user_with_role("l@example.in", "Dr. L", Role::Mentor)
        .await;
    let err = app
        .save_case(
            &mut loner,
            CaseForm {
                title: "T",
                summary: "s",
                body: Some("b"),
                visibility: Some("department"),
                ..CaseForm::default()
            },
        )
        .await
        .error();
    assert!(err.field_errors().unwrap().get("visibility").is_some());
}

#[sqlx::test(migrations = "../migrations")]
async fn edits_to_published_cases_become_revisions_and_cases_can_be_unpublished(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, _) = app
        .user_with_role("m@example.in", "Dr. M", Role::Mentor)
        .await;
    let (mut other, _) = app
        .user_with_role("o@example.in", "Dr. O", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("r@example.in", "Dr. R").await;
    let id = app
        .create_case(&mut mentor, CaseForm::publish("Version one", "First text"))
        .await;
    let edit = CaseForm {
        id: Some(id),
        summary: "s",
        ..CaseForm::draft("Version two", "Second text")
    };
    app.save_case(&mut mentor, edit).await.ok();

    let read: CaseDetail = app.case(&mut resident, id).await.json();
    assert_eq!(read.summary.title, "Version two", "readers see the latest");
    assert!(
        read.revisions.is_empty(),
        "only the author sees the history"
    );
    let own: CaseDetail = app.case(&mut mentor, id).await.json();
    let history: Vec<(i32, &str)> = own
        .revisions
        .iter()
        .map(|r| (r.revision, r.title.as_str()))
        .collect();
    assert_eq!(history, [(2, "Version two"), (1, "Version one")]);
    assert!(own.revisions[1].body_html.contains("First text"));

    assert_eq!(
        app.unpublish_case(&mut other, id).await.error(),
        AppError::Forbidden
    );
    assert_eq!(
        app.unpublish_case(&mut resident, id).await.error(),
        AppError::Forbidden
    );
    assert_eq!(
        app.unpublish_case(&mut Client::default(), id).await.error(),
        AppError::Unauthenticated
    );
    app.unpublish_case(&mut mentor, id).await.ok();
    assert_eq!(
        app.case(&mut resident, id).await.error(),
        AppError::NotFound
    );
    let page: CasePage = app.cases(&mut resident, 1).await.json();
    assert!(page.items.is_empty());

    app.publish_case(&mut mentor, id).await.ok();
    let own: CaseDetail = app.case(&mut mentor, id).await.json();
    assert_eq!(own.revisions.len(), 3);
    assert_eq!(
        app.case(&mut resident, id)
            .await
            .json::<CaseDetail>()
            .summary
            .title,
        "Version two"
    );
}
