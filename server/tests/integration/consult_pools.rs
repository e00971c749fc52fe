//! The people side of consults: the pool page (settings, responders, statistics, export),
//! finding whom to ask, and consults waiting on the home page.

use crate::common::fixtures::{department, place};
use crate::common::statements::recorded;
use crate::common::To;
use crate::consults::scene;
use app::cases::HomeData;
use app::consults::people::{Chosen, PoolPage, Recipients, Waiting};
use app::consults::Outcome;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use sqlx::PgPool;

async fn user_id(pool: &PgPool, email: &str) -> i64 {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_admin_sets_targets_and_responders_from_the_pool_page(pool: PgPool) {
    let mut s = scene(pool).await;
    let app = &s.app;
    let page: PoolPage = app.pool_page(&mut s.admin, s.cardiology, None).await.json();
    let p = page.pool.expect("the scene's pool");
    assert_eq!((p.routine_hours, p.soon_hours, p.ack_hours), (72, 24, 12));
    let responders: Vec<i64> = p.responders.iter().map(|r| r.0).collect();
    assert_eq!(responders.len(), 2);
    assert!(responders.contains(&s.r1_id) && responders.contains(&s.r2_id));
    let candidates: Vec<i64> = page.candidates.iter().map(|c| c.0).collect();
    assert_eq!(
        candidates,
        [s.admin_id],
        "verified members not yet responding"
    );

    // New targets; a target out of range is refused beside its field.
    app.pool_settings(&mut s.admin, s.cardiology, (48, 12, 6))
        .await
        .ok();
    let refused = app
        .pool_settings(&mut s.admin, s.cardiology, (48, 0, 6))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(refused.body.contains("soon_hours"), "beside its field");
    app.pool_responder(&mut s.admin, s.cardiology, s.r2_id, false)
        .await
        .ok();
    // A member who never confirmed their address cannot answer for the pool.
    let (_, unconfirmed) = app.register("new@sahyadri.in", "Dr. New").await;
    place(&app.pool, unconfirmed, s.cardiology).await;
    let refused = app
        .pool_responder(&mut s.admin, s.cardiology, unconfirmed, true)
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    let page: PoolPage = app.pool_page(&mut s.admin, s.cardiology, None).await.json();
    let p = page.pool.unwrap();
    assert_eq!((p.routine_hours, p.soon_hours, p.ack_hours), (48, 12, 6));
    assert_eq!(p.responders, [(s.r1_id, "Dr. Rao".to_string())]);
    assert!(page.candidates.iter().any(|c| c.0 == s.r2_id));

    // The page, server-rendered, for the admin; refused to a responder and to an outsider.
    let html = app.get(&mut s.admin, "/department/consults").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("Dr. Rao") && html.body.contains("Consult pool"));
    assert!(html.body.contains("role=\"img\""), "the chart");
    // Without JavaScript: the settings form posts and lands back on the page.
    let body = format!(
        "department_id={}&accepting=yes&routine_hours=60&soon_hours=12&ack_hours=6",
        s.cardiology
    );
    let req = Request::post("/api/consults/pool-settings")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::ORIGIN, &app.public_url)
        .header(
            header::REFERER,
            format!("{}/department/consults", app.public_url),
        )
        .header(header::COOKIE, s.admin.cookie.clone().unwrap());
    let reply = app
        .request(&mut s.admin, req.body(Body::from(body)).unwrap())
        .await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let back = reply.headers["location"].to_str().unwrap();
    assert!(
        back.contains("/department/consults") && !back.contains("__err"),
        "{back}"
    );
    let page: PoolPage = app.pool_page(&mut s.admin, s.cardiology, None).await.json();
    assert_eq!(page.pool.unwrap().routine_hours, 60);
    for who in [&mut s.r1, &mut s.gp] {
        assert_eq!(
            app.get(who, "/department/consults").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.pool_page(who, s.cardiology, None).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get(who, "/department/consults.csv").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.pool_settings(who, s.cardiology, (72, 24, 12))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
}

/// A pool consult of the GP's, sent `days` ago, written directly with its clock.
async fn consult_at(pool: &PgPool, requester: i64, department: i64, sql: &str) -> i64 {
    let id: i64 = sqlx::query_scalar(
        r#"
        insert into consults (requester_id, pool_id, specialty, question, situation, ask,
                              age_band, sex)
        values ($1, $2, 'cardiology', 'SECRET-QUESTION early repolarisation?',
                'SECRET-SITUATION', 'SECRET-ASK', '40_to_64', 'male')
        returning id
        "#,
    )
    .bind(requester)
    .bind(department)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query(&format!("update consults set {sql} where id = $1"))
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    id
}

#[sqlx::test(migrations = "../migrations")]
async fn the_statistics_and_the_export_count_known_consults(pool: PgPool) {
    let mut s = scene(pool.clone()).await;
    let gp = user_id(&pool, "gp@wai.in").await;
    let (d, r) = (s.cardiology, s.r1_id);
    let t0 = "now() - interval '10 days'";
    // Acknowledged in 2 h, answered in 10 h: within the 72 h target.
    let quick = consult_at(&pool, gp, d, &format!(
        "state = 'answered', responder_id = {r}, submitted_at = {t0}, due_at = {t0} + interval '72 hours',
         accepted_at = {t0} + interval '2 hours', answered_at = {t0} + interval '10 hours'"
    ))
    .await;
    // Acknowledged in 4 h; information awaited for 20 h (due moved from 72 h to 92 h);
    // answered at 100 h, 80 h without the wait: late. Closed: the referral was avoided.
    let late = consult_at(&pool, gp, d, &format!(
        "state = 'closed', responder_id = {r}, submitted_at = {t0}, due_at = {t0} + interval '92 hours',
         accepted_at = {t0} + interval '4 hours', answered_at = {t0} + interval '100 hours',
         ended_at = {t0} + interval '120 hours'"
    ))
    .await;
    sqlx::query(&format!(
        r#"insert into consult_events (consult_id, at, from_state, to_state, action) values
           ($1, {t0} + interval '10 hours', 'accepted', 'info_requested', 'request_info'),
           ($1, {t0} + interval '30 hours', 'info_requested', 'accepted', 'provide_info')"#
    ))
    .bind(late)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "insert into consult_closeouts (consult_id, useful, educational, outcome, closed_by)
         values ($1, 5, 4, 'referral_avoided', $2)",
    )
    .bind(late)
    .bind(gp)
    .execute(&pool)
    .await
    .unwrap();
    // Acknowledged in 6 h, not answered, past due: overdue.
    let overdue = consult_at(&pool, gp, d, &format!(
        "state = 'accepted', responder_id = {r}, submitted_at = {t0}, due_at = {t0} + interval '72 hours',
         accepted_at = {t0} + interval '6 hours'"
    ))
    .await;
    // Sent yesterday, waiting; and one long before the period.
    consult_at(&pool, gp, d,
        "state = 'submitted', submitted_at = now() - interval '1 day', due_at = now() + interval '2 days'",
    )
    .await;
    let old = consult_at(
        &pool,
        gp,
        d,
        &format!(
            "state = 'answered', responder_id = {r}, submitted_at = now() - interval '200 days',
         due_at = now() - interval '197 days', accepted_at = now() - interval '199 days',
         answered_at = now() - interval '198 days'"
        ),
    )
    .await;

    let app = &s.app;
    let page: PoolPage = app.pool_page(&mut s.admin, d, None).await.json();
    let st = page.stats;
    assert_eq!(
        (st.received, st.accepted, st.answered, st.within_target),
        (4, 3, 2, 1)
    );
    let close = |a: Option<f64>, b: f64| (a.expect("a value") - b).abs() < 0.01;
    assert!(close(st.ack_median, 4.0), "{:?}", st.ack_median);
    assert!(close(st.ack_p90, 5.6), "{:?}", st.ack_p90);
    assert!(close(st.answer_median, 45.0), "{:?}", st.answer_median);
    assert!(close(st.answer_p90, 73.0), "{:?}", st.answer_p90);
    assert_eq!(st.within_target_percent(), Some(25));
    assert_eq!(st.outcomes.len(), 1);
    assert_eq!(
        (st.outcomes[0].outcome, st.outcomes[0].count),
        (Outcome::ReferralAvoided, 1)
    );
    let overdue_ids: Vec<i64> = st.overdue.iter().map(|c| c.id).collect();
    assert_eq!(overdue_ids, [overdue]);
    assert!(st.weeks.len() >= 13, "a bar per week of the 90 days");
    assert_eq!(st.weeks.iter().map(|w| w.received).sum::<i64>(), 4);
    assert_eq!(st.weeks.iter().map(|w| w.within_target).sum::<i64>(), 1);

    // The period filter: only the old consult.
    let today = chrono::Utc::now().date_naive();
    let from = (today - chrono::Days::new(210))
        .format("%Y-%m-%d")
        .to_string();
    let to = (today - chrono::Days::new(190))
        .format("%Y-%m-%d")
        .to_string();
    let page: PoolPage = app
        .pool_page(&mut s.admin, d, Some((&from, &to)))
        .await
        .json();
    assert_eq!((page.stats.received, page.stats.within_target), (1, 1));

    // The page links the overdue consult.
    let html = app.get(&mut s.admin, "/department/consults").await;
    assert!(html.body.contains(&format!("/consults/{overdue}")));
    // A site admin sees the figures and the overdue consult, but no link to a consult it may
    // not open.
    let (mut site_admin, _) = app
        .user_with_role(
            "site@corridor.test",
            "Site Admin",
            app::accounts::Role::SiteAdmin,
        )
        .await;
    let html = app
        .get(
            &mut site_admin,
            &format!("/department/consults?department={d}"),
        )
        .await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains(&format!("Consult #{overdue}")));
    assert!(!html.body.contains(&format!("/consults/{overdue}")));
    assert_eq!(
        app.get(&mut site_admin, &format!("/consults/{overdue}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The export: a header and a line per consult of the period, no clinical text.
    let csv = app.get(&mut s.admin, "/department/consults.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines[0],
        "id,submitted,accepted,answered,closed,urgency,state,hours_to_acknowledge,hours_to_answer,within_target,outcome"
    );
    assert_eq!(lines.len(), 5, "{}", csv.body);
    assert!(
        !csv.body.contains("SECRET"),
        "no clinical text: {}",
        csv.body
    );
    let line = |id: i64| {
        lines
            .iter()
            .find(|l| l.starts_with(&format!("{id},")))
            .copied()
    };
    let late_line = line(late).expect("the late consult");
    assert!(
        late_line.ends_with(",closed,4.0,80.0,no,referral_avoided"),
        "{late_line}"
    );
    assert!(line(quick).unwrap().contains(",2.0,10.0,yes,"));
    assert!(line(old).is_none(), "outside the period");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_colleague_is_found_by_name_or_specialty_and_only_if_verified(pool: PgPool) {
    let mut s = scene(pool.clone()).await;
    sqlx::query("update users set specialty = 'cardiology' where id = $1")
        .bind(s.r2_id)
        .execute(&pool)
        .await
        .unwrap();
    // Dr. Raorane is in a department but never confirmed the address: not consultable.
    let elsewhere = department(&pool, "Wai Rural Hospital", "Surgery").await;
    let (_, unverified) = s.app.register("raorane@wai.in", "Dr. Raorane").await;
    place(&pool, unverified, elsewhere).await;
    let app = &s.app;

    let found: Recipients = app.find_recipients(&mut s.gp, "rao").await.json();
    let ids: Vec<i64> = found.colleagues.iter().map(|c| c.id).collect();
    assert_eq!(ids, [s.r1_id], "by name, verified only");
    assert_eq!(found.colleagues[0].department, "Cardiology");
    let found: Recipients = app.find_recipients(&mut s.gp, "Cardio").await.json();
    let ids: Vec<i64> = found.colleagues.iter().map(|c| c.id).collect();
    assert_eq!(ids, [s.r2_id], "by specialty");
    assert_eq!(
        found.pools.len(),
        1,
        "the cardiology pool by its department"
    );
    assert_eq!(found.pools[0].department_id, s.cardiology);
    let found: Recipients = app.find_recipients(&mut s.gp, "%").await.json();
    assert!(found.colleagues.is_empty(), "wildcards are literal");

    // Without a search: the mentors one follows and the pools taking consults.
    app.follow(&mut s.gp, s.r1_id, true).await.ok();
    let found: Recipients = app.find_recipients(&mut s.gp, "").await.json();
    let ids: Vec<i64> = found.colleagues.iter().map(|c| c.id).collect();
    assert_eq!(ids, [s.r1_id]);
    assert_eq!(found.pools.len(), 1);

    // Pages: results link "Ask …"; the chosen colleague shows by name with a hidden field.
    let html = app.get(&mut s.gp, "/consults/new?find=rao").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("Ask Dr. Rao"));
    assert!(html.body.contains(&format!("/consults/new?to={}", s.r1_id)));
    assert!(!html.body.contains("Raorane"));
    let html = app
        .get(&mut s.gp, &format!("/consults/new?to={}", s.r1_id))
        .await;
    assert!(html.body.contains("Dr. Rao"));
    assert!(
        html.body
            .contains(&format!(r#"name="responder_id" value="{}""#, s.r1_id)),
        "{}",
        html.body
    );
    let html = app
        .get(&mut s.gp, &format!("/consults/new?to={unverified}"))
        .await;
    assert!(html.body.contains("cannot take consults"));
    let chosen: Recipients = app
        .chosen_recipient(&mut s.gp, To::Pool(s.cardiology))
        .await
        .json();
    assert!(matches!(chosen.chosen, Some(Chosen::Pool(p)) if p.department_id == s.cardiology));

    // Signed out: 401.
    let mut anonymous = crate::common::Client::default();
    assert_eq!(
        app.find_recipients(&mut anonymous, "rao").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn consults_waiting_show_on_home_within_two_statements(pool: PgPool) {
    let mut s = scene(pool).await;
    let pooled = s.sent(To::Pool(s.cardiology)).await;
    let named = s.sent(To::Colleague(s.r2_id)).await;
    let app = &s.app;

    let (reply, statements) = recorded(app.home(&mut s.r1)).await;
    let home: HomeData = reply.json();
    assert_eq!(statements.len(), 2, "the home endpoint: {statements:#?}");
    let waiting: Vec<(i64, Waiting)> = home.consults.iter().map(|c| (c.id, c.why)).collect();
    assert_eq!(waiting, [(pooled, Waiting::Pool)]);

    let home: HomeData = app.home(&mut s.r2).await.json();
    let ids: Vec<i64> = home.consults.iter().map(|c| c.id).collect();
    assert!(ids.contains(&named) && ids.contains(&pooled), "{ids:?}");
    let named_first = home.consults.iter().find(|c| c.id == named).unwrap();
    assert_eq!(named_first.why, Waiting::Respond);

    // Information asked of the requester waits on theirs.
    app.accept_consult(&mut s.r2, named).await.ok();
    app.consult_message(
        &mut s.r2,
        "consults/request-info",
        named,
        "Any earlier ECG?",
    )
    .await
    .ok();
    let (page, statements) = recorded(app.get(&mut s.gp, "/")).await;
    assert_eq!(statements.len(), 2, "the home page: {statements:#?}");
    assert!(page.body.contains("Consults waiting for you"));
    assert!(page.body.contains(&format!("/consults/{named}")));
    let home: HomeData = app.home(&mut s.gp).await.json();
    let waiting: Vec<(i64, Waiting)> = home.consults.iter().map(|c| (c.id, c.why)).collect();
    assert_eq!(waiting, [(named, Waiting::Reply)]);

    // Nothing waiting: no section.
    let page = app.get(&mut s.third, "/").await;
    assert!(!page.body.contains("Consults waiting for you"));
}
