use crate::common::{Client, TestApp};
use app::accounts::SessionUser;
use app::error::AppError;
use sqlx::PgPool;

async fn counts(pool: &PgPool) -> (i64, i64, i64, i64) {
    sqlx::query_as(
        "select (select count(*) from institutions), (select count(*) from departments),
                (select count(*) from users), (select count(*) from cases)",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

fn memory_media() -> app::media::store::Media {
    app::media::store::Media {
        store: std::sync::Arc::new(object_store::memory::InMemory::new()),
        max_bytes: app::media::store::DEFAULT_UPLOAD_MAX,
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn demo_data_is_idempotent_and_usable(pool: PgPool) {
    let media = memory_media();
    server::demo::seed(&pool, &media).await.unwrap();
    let first = counts(&pool).await;
    // The college and a rural hospital whose medical officer asks the college's specialists.
    assert_eq!(first.0, 2);
    let staff = (server::demo::USERS.len() + server::demo::consults::PEOPLE.len()) as i64;
    // The demo staff, and one person waiting for approval to join General Surgery.
    assert_eq!(first.2, staff + 1);
    let (verified, pending): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where department_id is not null and email_verified_at is not null),
                count(*) filter (where requested_department_id is not null and department_id is null)
         from users",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(verified, staff);
    assert_eq!(pending, 1);
    // Consults in several states, each with its history from the draft on; the cardiology
    // pool with its responder.
    let states: Vec<(String, i64)> = sqlx::query_as(
        "select c.state::text, (select count(*) from consult_events e where e.consult_id = c.id)
         from consults c order by c.id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let names: Vec<&str> = states.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        names,
        ["closed", "answered", "info_requested", "submitted", "draft"]
    );
    assert_eq!(
        states.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        [5, 4, 4, 2, 1]
    );
    let responders: i64 = sqlx::query_scalar("select count(*) from consult_pool_responders")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(responders, 1);
    assert!(first.3 >= 5, "several teaching cases: {first:?}");
    server::demo::seed(&pool, &media).await.unwrap();
    assert_eq!(counts(&pool).await, first, "a second run adds nothing");
    let consults: i64 = sqlx::query_scalar("select count(*) from consults")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(consults, 5, "nor consults");
    // Two demo modules (four questions and three), each question valid, once; one question
    // is a hotspot on the STEMI case's ECG.
    let questions: Vec<(String, serde_json::Value)> = sqlx::query_as(
        "select c.title, q.question from quiz_questions q
         join quiz_module_questions p on p.question_id = q.id join quizzes z on z.id = p.quiz_id
         join cases c on c.id = z.case_id order by c.title, p.position",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(questions.len(), 7);
    let mut hotspots = 0;
    for (title, q) in questions {
        let q: app::quiz::Question = serde_json::from_value(q).unwrap();
        assert_eq!(q.validate(), Ok(()), "{q:?}");
        if q.kind == app::quiz::QuestionKind::Hotspot {
            hotspots += 1;
            assert_eq!(title, "Epigastric pain and a normal first ECG");
            assert_eq!(q.regions.len(), 3, "II, III and aVF");
        }
    }
    assert_eq!(hotspots, 1);

    // Two cases carry an annotated ECG, stored (display and thumbnail) in the image store,
    // with their consent record.
    let images: Vec<(i64, String, String, serde_json::Value, bool)> = sqlx::query_as(
        "select i.case_id, i.display_key, i.thumb_key, i.annotations,
                exists (select 1 from case_consents k where k.case_id = i.case_id)
         from case_images i order by i.id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(images.len(), 2, "{images:?}");
    for (case_id, display, thumb, annotations, consent) in &images {
        assert!(consent, "case {case_id} records consent");
        assert!(annotations.as_array().is_some_and(|a| a.len() == 3));
        for key in [display, thumb] {
            let bytes = media.get(key).await.expect("stored");
            assert!(image::guess_format(&bytes).is_ok(), "{key} is a picture");
        }
    }

    let published: i64 = sqlx::query_scalar(
        "select count(*) from cases where status = 'published' and body_html <> ''",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(published, first.3);

    let app = TestApp::new(pool).await;
    let mut mentor = Client::default();
    app.login(
        &mut mentor,
        "meera.kulkarni@demo.corridor.in",
        server::demo::DEMO_PASSWORD,
    )
    .await
    .ok();
    let me: Option<SessionUser> = app.me(&mut mentor).await;
    assert!(me.unwrap().role.can_author());
}

#[sqlx::test(migrations = "../migrations")]
async fn internal_errors_show_a_reference_not_the_cause(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut resident, _) = app.register("r@example.in", "Dr. Resident").await;
    // Break the database under the running app.
    sqlx::query("drop table follows")
        .execute(&pool)
        .await
        .unwrap();
    let reply = app.home(&mut resident).await;
    let err = reply.error();
    let AppError::Internal { request_id } = &err else {
        panic!("expected an internal error, got {err:?}");
    };
    assert_eq!(
        reply.headers.get("x-request-id").unwrap().to_str().unwrap(),
        request_id,
        "the reference quoted to the user is the request id in the logs"
    );
    let body = reply.body.to_lowercase();
    for leak in ["follows", "relation", "sql", "does not exist"] {
        assert!(!body.contains(leak), "{leak} leaked: {}", reply.body);
    }

    // The page shows the apology with the same kind of reference.
    let page = app.get(&mut resident, "/").await;
    assert_eq!(page.status.as_u16(), 500);
    assert!(page.body.contains("quote reference"), "{}", page.body);
    assert!(!page.body.to_lowercase().contains("relation"));
}
