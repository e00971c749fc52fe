use crate::common::fixtures::{department, place, publish_for};
use crate::common::{CaseForm, Client, SearchForm, TestApp};
use app::accounts::Role;
use app::cases::SearchResults;
use app::error::AppError;
use sqlx::PgPool;

async fn search(
    app: &TestApp,
    client: &mut Client,
    q: &str,
    specialty: &str,
    mentor: &str,
) -> SearchResults {
    let form = SearchForm {
        q,
        specialty,
        mentor,
        ..SearchForm::default()
    };
    app.search(client, form).await.json()
}

fn titles(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.case.title.as_str()).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn search_ranks_title_over_body_and_filters(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut surgeon, surgeon_id) = app
        .user_with_role("s@example.in", "Dr. S", Role::Mentor)
        .await;
    let (mut derm, _) = app
        .user_with_role("d@example.in", "Dr. D", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("r@example.in", "Dr. R").await;
    app.create_case(
        &mut surgeon,
        CaseForm::publish(
            "Obstructive jaundice in the elderly",
            "Painless, progressive.",
        ),
    )
    .await;
    app.create_case(
        &mut surgeon,
        CaseForm::publish(
            "Gallstone ileus",
            "Rarely the patient is also mildly icteric; jaundice is unusual.",
        ),
    )
    .await;
    app.create_case(
        &mut surgeon,
        CaseForm::draft("Draft about jaundice", "jaundice jaundice"),
    )
    .await;
    let itching = CaseForm {
        specialty: "dermatology",
        summary: "s",
        ..CaseForm::publish(
            "Itching without rash",
            "Cholestatic jaundice can itch <script>alert(1)</script>",
        )
    };
    app.save_case(&mut derm, itching).await.ok();

    let results = search(&app, &mut resident, "jaundice", "", "").await;
    let found = titles(&results);
    assert_eq!(found.len(), 3, "drafts are never found: {found:?}");
    assert_eq!(
        found[0], "Obstructive jaundice in the elderly",
        "a title match ranks first"
    );
    let hit = results
        .hits
        .iter()
        .find(|h| h.case.title == "Gallstone ileus")
        .unwrap();
    assert!(hit
        .snippet
        .iter()
        .any(|(text, marked)| *marked && text.eq_ignore_ascii_case("jaundice")));

    // The snippet is data, never markup.
    let itch = results
        .hits
        .iter()
        .find(|h| h.case.title == "Itching without rash")
        .unwrap();
    let joined: String = itch.snippet.iter().map(|(t, _)| t.as_str()).collect();
    assert!(joined.contains("Cholestatic"), "{joined}");
    let page = app.get(&mut resident, "/search?q=jaundice").await;
    assert!(
        !page.body.contains("<script>alert(1)"),
        "escaped on the page"
    );
    assert!(page.body.contains("<mark>"));

    let surgery_only = search(&app, &mut resident, "jaundice", "general-surgery", "").await;
    assert_eq!(surgery_only.hits.len(), 2);
    let by_mentor = search(&app, &mut resident, "", "", &surgeon_id.to_string()).await;
    assert_eq!(
        titles(&by_mentor),
        ["Gallstone ileus", "Obstructive jaundice in the elderly"]
    );
    let phrase = search(&app, &mut resident, "\"gallstone ileus\"", "", "").await;
    assert_eq!(titles(&phrase), ["Gallstone ileus"]);
    let excluded = search(&app, &mut resident, "jaundice -ileus", "", "").await;
    assert!(!titles(&excluded).contains(&"Gallstone ileus"));
    let none = search(&app, &mut resident, "appendicitis", "", "").await;
    assert!(none.hits.is_empty());

    assert_eq!(
        app.search(&mut Client::default(), SearchForm::q("jaundice"))
            .await
            .error(),
        AppError::Unauthenticated
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn search_respects_visibility(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let dept = department(&pool, "City Hospital", "Surgery").await;
    let (mut mentor, mentor_id) = app
        .user_with_role("m@example.in", "Dr. M", Role::Mentor)
        .await;
    place(&pool, mentor_id, dept).await;
    publish_for(&app, &mut mentor, "Necrotising fasciitis", "department").await;
    let (mut outsider, _) = app.register("o@example.in", "Dr. O").await;
    assert!(search(&app, &mut outsider, "fasciitis", "", "")
        .await
        .hits
        .is_empty());
    assert_eq!(
        search(&app, &mut mentor, "fasciitis", "", "")
            .await
            .hits
            .len(),
        1
    );
}
