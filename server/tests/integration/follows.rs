use crate::common::{Client, TestApp};
use app::error::AppError;
use app::model::{HomeData, MentorProfile, Role};
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
    let mid = mentor_id.to_string();
    app.save_case(&mut mentor, "Followed case", "Body", "publish")
        .await;
    app.save_case(&mut mentor, "Unpublished", "Body", "draft")
        .await;

    for _ in 0..2 {
        app.call(
            &mut resident,
            "follow",
            &[("mentor_id", &mid), ("follow", "true")],
        )
        .await
        .ok();
    }
    assert_eq!(follow_rows(&pool).await, 1);
    let profile: MentorProfile = app
        .call(&mut resident, "mentor", &[("id", &mid)])
        .await
        .json();
    assert!(profile.is_following);
    assert_eq!(profile.followers, 1);
    assert_eq!(
        profile.cases.len(),
        1,
        "drafts are not on the public profile"
    );

    let home: HomeData = app.call(&mut resident, "home", &[]).await.json();
    assert_eq!(home.following.len(), 1);
    assert_eq!(home.latest.len(), 1);
    assert_eq!(home.latest[0].title, "Followed case");

    for _ in 0..2 {
        app.call(
            &mut resident,
            "follow",
            &[("mentor_id", &mid), ("follow", "false")],
        )
        .await
        .ok();
    }
    assert_eq!(follow_rows(&pool).await, 0);
    let home: HomeData = app.call(&mut resident, "home", &[]).await.json();
    assert!(home.following.is_empty() && home.latest.is_empty());
}

#[sqlx::test(migrations = "../migrations")]
async fn only_mentors_can_be_followed_and_not_oneself(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, mentor_id) = app
        .user_with_role("m@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let (mut resident, resident_id) = app.register("r@example.in", "Dr. Resident").await;
    let err = app
        .call(
            &mut resident,
            "follow",
            &[("mentor_id", &resident_id.to_string()), ("follow", "true")],
        )
        .await
        .error();
    assert!(err.field_errors().is_some(), "{err:?}");
    let err = app
        .call(
            &mut mentor,
            "follow",
            &[("mentor_id", &resident_id.to_string()), ("follow", "true")],
        )
        .await
        .error();
    assert_eq!(err, AppError::NotFound);
    let err = app
        .call(
            &mut mentor,
            "follow",
            &[("mentor_id", &mentor_id.to_string()), ("follow", "true")],
        )
        .await
        .error();
    assert!(err.field_errors().is_some());
    let err = app
        .call(
            &mut Client::default(),
            "mentor",
            &[("id", &mentor_id.to_string())],
        )
        .await
        .error();
    assert_eq!(err, AppError::Unauthenticated);
    assert_eq!(follow_rows(&pool).await, 0);
}
