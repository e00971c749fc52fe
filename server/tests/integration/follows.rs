use crate::common::{CaseForm, Client, TestApp};
use app::accounts::Role;
use app::cases::{HomeData, MentorProfile};
use app::error::AppError;
use sqlx::PgPool;

async fn follow_rows(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from follows")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn follow_and_unfollow_are_idempotent(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, mentor_id) = app
        .user_with_role("m@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("r@example.in", "Dr. Resident").await;
    app.create_case(&mut mentor, CaseForm::publish("Followed case", "Body"))
        .await;
    app.create_case(&mut mentor, CaseForm::draft("Unpublished", "Body"))
        .await;

    for _ in 0..2 {
        app.follow(&mut resident, mentor_id, true).await.ok();
    }
    assert_eq!(follow_rows(&pool).await, 1);
    let profile: MentorProfile = app.mentor(&mut resident, mentor_id).await.json();
    assert!(profile.is_following);
    assert_eq!(profile.followers, 1);
    assert_eq!(
        profile.cases.len(),
        1,
        "drafts are not on the public profile"
    );

    let home: HomeData = app.home(&mut resident).await.json();
    assert_eq!(home.following.len(), 1);
    assert_eq!(home.feed.items.len(), 1);
    assert_eq!(home.feed.items[0].title, "Followed case");

    for _ in 0..2 {
        app.follow(&mut resident, mentor_id, false).await.ok();
    }
    assert_eq!(follow_rows(&pool).await, 0);
    let home: HomeData = app.home(&mut resident).await.json();
    assert!(home.following.is_empty() && home.feed.items.is_empty());
}

#[sqlx::test(migrations = "../migrations")]
async fn only_mentors_can_be_followed_and_not_oneself(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, mentor_id) = app
        .user_with_role("m@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let (mut resident, resident_id) = app.register("r@example.in", "Dr. Resident").await;
    let err = app.follow(&mut resident, resident_id, true).await.error();
    assert!(err.field_errors().is_some(), "{err:?}");
    let err = app.follow(&mut mentor, resident_id, true).await.error();
    assert_eq!(err, AppError::NotFound);
    let err = app.follow(&mut mentor, mentor_id, true).await.error();
    assert!(err.field_errors().is_some());
    let err = app.mentor(&mut Client::default(), mentor_id).await.error();
    assert_eq!(err, AppError::Unauthenticated);
    assert_eq!(follow_rows(&pool).await, 0);
}

async fn publish_in(app: &TestApp, mentor: &mut Client, title: &str, specialty: &str) {
    let case = CaseForm {
        specialty,
        summary: "s",
        ..CaseForm::publish(title, "b")
    };
    app.save_case(mentor, case).await.ok();
}

#[sqlx::test(migrations = "../migrations")]
async fn the_feed_follows_specialties_and_pages_by_keyset(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, _) = app
        .user_with_role("m@example.in", "Dr. M", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("r@example.in", "Dr. R").await;
    for i in 0..12 {
        publish_in(
            &app,
            &mut mentor,
            &format!("Cardiology {i:02}"),
            "cardiology",
        )
        .await;
    }
    publish_in(&app, &mut mentor, "A dermatology case", "dermatology").await;

    let home: HomeData = app.home(&mut resident).await.json();
    assert!(home.feed.items.is_empty(), "nothing followed yet");
    for _ in 0..2 {
        app.follow_specialty(&mut resident, "cardiology", true)
            .await
            .ok();
    }
    let rows: i64 = sqlx::query_scalar("select count(*) from specialty_follows")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 1, "following twice is following once");

    let first: HomeData = app.home(&mut resident).await.json();
    let titles: Vec<String> = first.feed.items.iter().map(|c| c.title.clone()).collect();
    assert_eq!(titles.len(), 10);
    assert_eq!(titles[0], "Cardiology 11");
    assert!(titles.iter().all(|t| t.starts_with("Cardiology")));
    assert_eq!(first.specialties.len(), 1);
    let cursor = first.feed.next.clone().expect("a next page");

    // A case published while the resident reads page one neither repeats nor pushes items off.
    publish_in(&app, &mut mentor, "Cardiology late arrival", "cardiology").await;
    let second: HomeData = app.home_before(&mut resident, &cursor).await.json();
    let titles: Vec<&str> = second.feed.items.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Cardiology 01", "Cardiology 00"]);
    assert_eq!(second.feed.next, None);

    app.follow_specialty(&mut resident, "cardiology", false)
        .await
        .ok();
    let after: HomeData = app.home(&mut resident).await.json();
    assert!(after.feed.items.is_empty());

    let err = app
        .follow_specialty(&mut resident, "astrology", true)
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
    let err = app
        .follow_specialty(&mut Client::default(), "cardiology", true)
        .await
        .error();
    assert_eq!(err, AppError::Unauthenticated);
}
