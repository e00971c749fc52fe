use crate::common::{Client, TestApp};
use app::accounts::{Role, SessionUser};
use app::discussion::{Discussion, Notification};
use app::error::AppError;
use sqlx::PgPool;

async fn unread(app: &TestApp, client: &mut Client) -> i64 {
    let me: Option<SessionUser> = app.call(client, "me", &[]).await.json();
    me.expect("signed in").unread
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
    app.call(
        &mut asha,
        "follow",
        &[("mentor_id", &mentor_id.to_string()), ("follow", "true")],
    )
    .await
    .ok();

    let case_id = app
        .save_case(&mut mentor, "Discussed case", "Body", "publish")
        .await;
    let cid = case_id.to_string();
    assert_eq!(
        unread(&app, &mut asha).await,
        1,
        "a followed mentor published"
    );
    assert_eq!(unread(&app, &mut ravi).await, 0);
    let list: Vec<Notification> = app.call(&mut asha, "notifications", &[]).await.json();
    assert_eq!(
        (list[0].kind.as_str(), list[0].case_title.as_str()),
        ("case_published", "Discussed case")
    );

    let err = app
        .call(&mut asha, "comment", &[("case_id", &cid), ("body", "   ")])
        .await
        .error();
    assert!(err.field_errors().unwrap().get("body").is_some());
    app.call(
        &mut asha,
        "comment",
        &[
            ("case_id", &cid),
            ("body", "Why no **MRCP**? <script>x()</script>"),
        ],
    )
    .await
    .ok();
    let d: Discussion = app
        .call(&mut ravi, "discussion", &[("case_id", &cid)])
        .await
        .json();
    let top = d.comments[0].id.to_string();
    assert!(d.comments[0].body_html.contains("<strong>MRCP</strong>"));
    assert!(!d.comments[0].body_html.contains("<script"));
    assert!(!d.can_moderate && !d.can_mark_answer);

    app.call(
        &mut ravi,
        "comment",
        &[
            ("case_id", &cid),
            ("parent_id", &top),
            ("body", "Cost, probably."),
        ],
    )
    .await
    .ok();
    assert_eq!(
        unread(&app, &mut asha).await,
        2,
        "a reply to Asha's comment"
    );
    let d: Discussion = app
        .call(&mut mentor, "discussion", &[("case_id", &cid)])
        .await
        .json();
    let reply = d.comments[1].id.to_string();
    // A reply to a reply joins the same thread: one level only.
    app.call(
        &mut mentor,
        "comment",
        &[
            ("case_id", &cid),
            ("parent_id", &reply),
            ("body", "CT was enough here."),
        ],
    )
    .await
    .ok();
    let d: Discussion = app
        .call(&mut mentor, "discussion", &[("case_id", &cid)])
        .await
        .json();
    assert_eq!(d.comments[2].parent_id, Some(top.parse().unwrap()));
    assert!(d.can_moderate && d.can_mark_answer);
    let answer_id = d.comments[2].id.to_string();

    assert_eq!(
        app.call(
            &mut ravi,
            "mark-answer",
            &[("comment_id", &answer_id), ("answer", "true")]
        )
        .await
        .error(),
        AppError::Forbidden
    );
    app.call(
        &mut mentor,
        "mark-answer",
        &[("comment_id", &answer_id), ("answer", "true")],
    )
    .await
    .ok();
    assert_eq!(
        app.call(&mut ravi, "hide-comment", &[("comment_id", &reply)])
            .await
            .error(),
        AppError::Forbidden
    );
    app.call(&mut mentor, "hide-comment", &[("comment_id", &reply)])
        .await
        .ok();
    app.call(&mut admin, "hide-comment", &[("comment_id", &top)])
        .await
        .ok();

    let d: Discussion = app
        .call(&mut asha, "discussion", &[("case_id", &cid)])
        .await
        .json();
    assert_eq!(d.comments.len(), 3, "hidden comments stay, for audit");
    assert!(d.comments[0].hidden && d.comments[0].body_html.is_empty());
    assert!(d.comments[1].hidden);
    assert!(d.comments[2].is_answer && !d.comments[2].hidden);
    let kept: String = sqlx::query_scalar("select body_md from comments where id = $1")
        .bind(top.parse::<i64>().unwrap())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(kept.contains("MRCP"));

    app.call(&mut asha, "notifications/read", &[]).await.ok();
    assert_eq!(unread(&app, &mut asha).await, 0);

    // Strangers and unreadable cases.
    assert_eq!(
        app.call(&mut Client::default(), "discussion", &[("case_id", &cid)])
            .await
            .error(),
        AppError::Unauthenticated
    );
    assert_eq!(
        app.call(
            &mut Client::default(),
            "comment",
            &[("case_id", &cid), ("body", "hi")]
        )
        .await
        .error(),
        AppError::Unauthenticated
    );
    let draft = app
        .save_case(&mut mentor, "Private draft", "Body", "draft")
        .await
        .to_string();
    assert_eq!(
        app.call(
            &mut asha,
            "comment",
            &[("case_id", &draft), ("body", "peek")]
        )
        .await
        .error(),
        AppError::NotFound
    );
    assert_eq!(
        app.call(&mut asha, "discussion", &[("case_id", &draft)])
            .await
            .error(),
        AppError::NotFound
    );
}
