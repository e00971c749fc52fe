use crate::common::{CaseForm, Client, TestApp};
use app::accounts::Role;
use app::discussion::{Discussion, Notification};
use app::error::AppError;
use sqlx::PgPool;

async fn unread(app: &TestApp, client: &mut Client) -> i64 {
    app.me(client).await.expect("signed in").unread
}

#[sqlx::test(migrations = "../migrations")]
async fn comments_replies_answers_hiding_and_notifications(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, mentor_id) = app
        .user_with_role("m@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let (mut asha, _) = app.register("asha@example.in", "Dr. Asha").await;
    let (mut ravi, _) = app.register("ravi@example.in", "Dr. Ravi").await;
    let (mut admin, _) = app
        .user_with_role("admin@example.in", "Admin", Role::SiteAdmin)
        .await;
    app.follow(&mut asha, mentor_id, true).await.ok();

    let case_id = app
        .create_case(&mut mentor, CaseForm::publish("Discussed case", "Body"))
        .await;
    assert_eq!(
        unread(&app, &mut asha).await,
        1,
        "a followed mentor published"
    );
    assert_eq!(unread(&app, &mut ravi).await, 0);
    let list: Vec<Notification> = app.notifications(&mut asha).await;
    assert_eq!(
        (list[0].kind.as_str(), list[0].case_title.as_str()),
        ("case_published", "Discussed case")
    );

    let err = app.comment(&mut asha, case_id, "   ").await.error();
    assert!(err.field_errors().unwrap().get("body").is_some());
    app.comment(&mut asha, case_id, "Why no **MRCP**? <script>x()</script>")
        .await
        .ok();
    let d: Discussion = app.discussion(&mut ravi, case_id).await.json();
    let top = d.comments[0].id;
    assert!(d.comments[0].body_html.contains("<strong>MRCP</strong>"));
    assert!(!d.comments[0].body_html.contains("<script"));
    assert!(!d.can_moderate && !d.can_mark_answer);

    app.reply_to(&mut ravi, case_id, top, "Cost, probably.")
        .await
        .ok();
    assert_eq!(
        unread(&app, &mut asha).await,
        2,
        "a reply to Asha's comment"
    );
    let d: Discussion = app.discussion(&mut mentor, case_id).await.json();
    let reply = d.comments[1].id;
    // A reply to a reply joins the same thread: one level only.
    app.reply_to(&mut mentor, case_id, reply, "CT was enough here.")
        .await
        .ok();
    let d: Discussion = app.discussion(&mut mentor, case_id).await.json();
    assert_eq!(d.comments[2].parent_id, Some(top));
    assert!(d.can_moderate && d.can_mark_answer);
    let answer_id = d.comments[2].id;

    assert_eq!(
        app.mark_answer(&mut ravi, answer_id, true).await.error(),
        AppError::Forbidden
    );
    app.mark_answer(&mut mentor, answer_id, true).await.ok();
    assert_eq!(
        app.hide_comment(&mut ravi, reply).await.error(),
        AppError::Forbidden
    );
    app.hide_comment(&mut mentor, reply).await.ok();
    app.hide_comment(&mut admin, top).await.ok();

    let d: Discussion = app.discussion(&mut asha, case_id).await.json();
    assert_eq!(d.comments.len(), 3, "hidden comments stay, for audit");
    assert!(d.comments[0].hidden && d.comments[0].body_html.is_empty());
    assert!(d.comments[1].hidden);
    assert!(d.comments[2].is_answer && !d.comments[2].hidden);
    let kept: String = sqlx::query_scalar("select body_md from comments where id = $1")
        .bind(top)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(kept.contains("MRCP"));

    app.read_notifications(&mut asha).await.ok();
    assert_eq!(unread(&app, &mut asha).await, 0);

    // Strangers and unreadable cases.
    assert_eq!(
        app.discussion(&mut Client::default(), case_id)
            .await
            .error(),
        AppError::Unauthenticated
    );
    assert_eq!(
        app.comment(&mut Client::default(), case_id, "hi")
            .await
            .error(),
        AppError::Unauthenticated
    );
    let draft = app
        .create_case(&mut mentor, CaseForm::draft("Private draft", "Body"))
        .await;
    assert_eq!(
        app.comment(&mut asha, draft, "peek").await.error(),
        AppError::NotFound
    );
    assert_eq!(
        app.discussion(&mut asha, draft).await.error(),
        AppError::NotFound
    );
}
