//! The signed-in home page, read in one statement: what each of its lists keeps from the rules
//! the separate queries had, and what the page costs.

use crate::common::fixtures::{department, place, publish_for};
use crate::common::statements::recorded;
use crate::common::{CaseForm, Client, TestApp};
use app::accounts::Role;
use app::cases::HomeData;
use sqlx::PgPool;

/// The feed's ids, page after page, as a reader scrolls it.
async fn whole_feed(app: &TestApp, reader: &mut Client) -> Vec<Vec<i64>> {
    let mut pages = Vec::new();
    let mut home: HomeData = app.home(reader).await.json();
    loop {
        pages.push(home.feed.items.iter().map(|c| c.id).collect());
        let Some(cursor) = home.feed.next.clone() else {
            return pages;
        };
        assert!(pages.len() < 10, "the feed never ends: {pages:?}");
        home = app.home_before(reader, &cursor).await.json();
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_feed_shows_each_readable_case_once_and_pages_without_overlap(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let surgery = department(&pool, "City Hospital", "Surgery").await;
    let elsewhere = department(&pool, "Rural Hospital", "Surgery").await;
    let (mut mentor, mentor_id) = app
        .user_with_role("m@example.in", "Dr. M", Role::Mentor)
        .await;
    place(&pool, mentor_id, surgery).await;
    let restricted = publish_for(&app, &mut mentor, "Department only", "department").await;
    let mut open = Vec::new();
    for i in 0..24 {
        open.push(publish_for(&app, &mut mentor, &format!("Open {i:02}"), "all").await);
    }
    // One publication instant (with microseconds) for all: the cursor's tie-break on the id,
    // and the time's round trip through JSON, decide the pages.
    sqlx::query("update cases set published_at = '2026-01-05 10:00:00.123456+00'")
        .execute(&pool)
        .await
        .unwrap();

    // Following the mentor and the specialty: every case matches twice, and shows once.
    let (mut outsider, outsider_id) = app.register("o@example.in", "Dr. O").await;
    place(&pool, outsider_id, elsewhere).await;
    let (mut colleague, colleague_id) = app.register("c@example.in", "Dr. C").await;
    place(&pool, colleague_id, surgery).await;
    for reader in [&mut outsider, &mut colleague] {
        app.follow(reader, mentor_id, true).await.ok();
        app.follow_specialty(reader, "general-surgery", true)
            .await
            .ok();
    }

    let pages = whole_feed(&app, &mut outsider).await;
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [10, 10, 4]);
    let seen: Vec<i64> = pages.concat();
    let mut expected = open.clone();
    expected.reverse();
    assert_eq!(seen, expected, "newest (highest id) first, each once");
    assert!(!seen.contains(&restricted), "another department's case");

    let pages = whole_feed(&app, &mut colleague).await;
    let seen: Vec<i64> = pages.concat();
    assert_eq!(seen.len(), 25);
    assert_eq!(seen[0], open[23]);
    assert_eq!(
        seen[24], restricted,
        "their own department's case, oldest id last"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn drafts_are_for_authors_and_suggestions_skip_who_is_followed(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut author, author_id) = app
        .user_with_role("a@example.in", "Dr. A", Role::Mentor)
        .await;
    let first = app
        .create_case(&mut author, CaseForm::draft("First draft", "b"))
        .await;
    let second = app
        .create_case(&mut author, CaseForm::draft("Second draft", "b"))
        .await;
    app.create_case(&mut author, CaseForm::publish("A's published", "b"))
        .await;
    sqlx::query("update cases set updated_at = now() - interval '1 day' where id = $1")
        .bind(first)
        .execute(&pool)
        .await
        .unwrap();

    let home: HomeData = app.home(&mut author).await.json();
    let drafts: Vec<i64> = home.drafts.iter().map(|c| c.id).collect();
    assert_eq!(
        drafts,
        [second, first],
        "last edited first, no published case"
    );

    // An author made a resident keeps their drafts in the database, not on their home page.
    app::accounts::db::set_role(&pool, author_id, Role::Resident)
        .await
        .unwrap();
    let home: HomeData = app.home(&mut author).await.json();
    assert!(home.drafts.is_empty(), "{:?}", home.drafts);

    // Mentors by activity in the latest published cases; not residents, not oneself, not the
    // already followed.
    let (mut busy, busy_id) = app
        .user_with_role("b@example.in", "Dr. B", Role::Mentor)
        .await;
    for title in ["B one", "B two"] {
        app.create_case(&mut busy, CaseForm::publish(title, "b"))
            .await;
    }
    let (mut quiet, quiet_id) = app
        .user_with_role("q@example.in", "Dr. Q", Role::Mentor)
        .await;
    app.create_case(&mut quiet, CaseForm::publish("Q one", "b"))
        .await;
    let (mut reader, _) = app.register("r@example.in", "Dr. R").await;
    let suggested = |home: &HomeData| home.suggested.iter().map(|u| u.id).collect::<Vec<_>>();
    let home: HomeData = app.home(&mut reader).await.json();
    assert_eq!(suggested(&home), [busy_id, quiet_id]);
    assert_eq!(home.suggested[0].role, Role::Mentor);
    assert_eq!(home.suggested[0].full_name, "Dr. B");
    let home: HomeData = app.home(&mut busy).await.json();
    assert_eq!(suggested(&home), [quiet_id]);
    app.follow(&mut reader, busy_id, true).await.ok();
    let home: HomeData = app.home(&mut reader).await.json();
    assert_eq!(suggested(&home), [quiet_id]);
    let following: Vec<i64> = home.following.iter().map(|u| u.id).collect();
    assert_eq!(following, [busy_id]);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_home_page_reads_its_data_in_one_statement(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, mentor_id) = app
        .user_with_role("m@example.in", "Dr. M", Role::Mentor)
        .await;
    for title in ["One", "Two"] {
        app.create_case(&mut mentor, CaseForm::publish(title, "b"))
            .await;
    }
    app.create_case(&mut mentor, CaseForm::draft("Three", "b"))
        .await;
    let (mut reader, _) = app.register("r@example.in", "Dr. R").await;
    app.follow(&mut reader, mentor_id, true).await.ok();
    app.follow_specialty(&mut reader, "general-surgery", true)
        .await
        .ok();

    // Who is calling (session and user together), then the page's data.
    let (reply, statements) = recorded(app.home(&mut reader)).await;
    let home: HomeData = reply.json();
    assert_eq!(home.feed.items.len(), 2);
    assert_eq!(statements.len(), 2, "the home endpoint: {statements:#?}");
    let (reply, statements) = recorded(app.home(&mut mentor)).await;
    let home: HomeData = reply.json();
    assert_eq!(home.drafts.len(), 1);
    assert_eq!(
        statements.len(),
        2,
        "the home endpoint for an author: {statements:#?}"
    );

    let (page, statements) = recorded(app.get(&mut reader, "/")).await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(page.body.contains("Two"), "the feed is on the page");
    assert_eq!(
        statements.len(),
        2,
        "the server-rendered home page: {statements:#?}"
    );
}
