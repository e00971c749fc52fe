//! Consults: who may read one, the privacy guard and consent before sending, concurrent
//! acceptance, declines, and the housekeeping clock (escalation, overdue, auto-close, purge).

mod images;

use crate::common::fixtures::{department, place_verified};
use crate::common::{AnswerForm, Client, ConsultConsent, ConsultForm, TestApp, To};
use app::accounts::Role;
use app::consults::chores;
use app::consults::{Party, Referral, State};
use app::discussion::NotificationKind;
use app::error::AppError;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::{Duration, Utc};
use sqlx::PgPool;

/// A GP at a rural hospital, the cardiology department of a college taking consults (its
/// admin, two responders), and a third clinician who is party to nothing.
pub(crate) struct Scene {
    pub(crate) app: TestApp,
    pub(crate) cardiology: i64,
    pub(crate) gp: Client,
    pub(crate) admin: Client,
    pub(crate) admin_id: i64,
    pub(crate) r1: Client,
    pub(crate) r1_id: i64,
    pub(crate) r2: Client,
    pub(crate) r2_id: i64,
    pub(crate) third: Client,
}

pub(crate) async fn scene(pool: PgPool) -> Scene {
    let app = TestApp::new(pool.clone()).await;
    let cardiology = department(&pool, "Sahyadri Medical College", "Cardiology").await;
    let rural = department(&pool, "Wai Rural Hospital", "General Medicine").await;
    let (gp, gp_id) = app.register("gp@wai.in", "Dr. Gauri Patil").await;
    place_verified(&pool, gp_id, rural).await;
    let (third, third_id) = app.register("third@wai.in", "Dr. Third").await;
    place_verified(&pool, third_id, rural).await;
    let (mut admin, admin_id) = app
        .user_with_role("admin@sahyadri.in", "Dr. Admin", Role::DepartmentAdmin)
        .await;
    place_verified(&pool, admin_id, cardiology).await;
    let (r1, r1_id) = app
        .user_with_role("r1@sahyadri.in", "Dr. Rao", Role::Mentor)
        .await;
    place_verified(&pool, r1_id, cardiology).await;
    let (r2, r2_id) = app
        .user_with_role("r2@sahyadri.in", "Dr. Shah", Role::Mentor)
        .await;
    place_verified(&pool, r2_id, cardiology).await;
    // Routine answers within 72 h, soon within 24 h, acknowledged within 12 h.
    app.pool_settings(&mut admin, cardiology, (72, 24, 12))
        .await
        .ok();
    for responder in [r1_id, r2_id] {
        app.pool_responder(&mut admin, cardiology, responder, true)
            .await
            .ok();
    }
    Scene {
        app,
        cardiology,
        gp,
        admin,
        admin_id,
        r1,
        r1_id,
        r2,
        r2_id,
        third,
    }
}

impl Scene {
    /// The GP's ECG consult to `to`, sent with consent; returns its id.
    pub(crate) async fn sent(&mut self, to: To) -> i64 {
        let id = self.draft(to).await;
        self.app
            .submit_consult(&mut self.gp, id, ConsultConsent::verbal())
            .await
            .ok();
        id
    }

    pub(crate) async fn draft(&mut self, to: To) -> i64 {
        self.app
            .save_consult(&mut self.gp, ConsultForm::ecg(to))
            .await
            .json()
    }

    async fn state(&self, id: i64) -> State {
        sqlx::query_scalar("select state from consults where id = $1")
            .bind(id)
            .fetch_one(&self.app.pool)
            .await
            .unwrap()
    }

    async fn count(&self, sql: &str, id: i64) -> i64 {
        sqlx::query_scalar(sql)
            .bind(id)
            .fetch_one(&self.app.pool)
            .await
            .unwrap()
    }

    /// The consult notifications `client` has about consult `id`, oldest first.
    async fn told(&self, client: &mut Client, id: i64) -> Vec<NotificationKind> {
        let mut kinds: Vec<NotificationKind> = self
            .app
            .notifications(client)
            .await
            .into_iter()
            .filter(|n| n.consult_id == Some(id))
            .map(|n| n.kind)
            .collect();
        kinds.reverse();
        kinds
    }
}

fn aadhaar_like() -> String {
    let first = "49731823456";
    let digits: Vec<u8> = first.bytes().map(|b| b - b'0').collect();
    format!("{first}{}", app::privacy::verhoeff_check_digit(&digits))
}

#[sqlx::test(migrations = "../migrations")]
async fn only_the_parties_and_the_pool_admin_can_open_a_consult(pool: PgPool) {
    let mut s = scene(pool).await;
    // A named consult: its draft is the GP's alone; once sent, the named colleague reads it.
    let named = s.draft(To::Colleague(s.r1_id)).await;
    let pooled = s.sent(To::Pool(s.cardiology)).await;
    let app = &s.app;
    assert_eq!(
        app.consult(&mut s.r1, named).await.status,
        StatusCode::NOT_FOUND
    );
    app.submit_consult(&mut s.gp, named, ConsultConsent::verbal())
        .await
        .ok();
    assert_eq!(
        app.consult_detail(&mut s.gp, named).await.viewer,
        Party::Requester
    );
    assert_eq!(
        app.consult_detail(&mut s.r1, named).await.viewer,
        Party::NamedResponder
    );
    for outsider in [&mut s.third, &mut s.r2, &mut s.admin] {
        let reply = app.consult(outsider, named).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
        assert_eq!(reply.error(), AppError::NotFound);
        // Nor can they act on it.
        assert_eq!(
            app.accept_consult(outsider, named).await.status,
            StatusCode::NOT_FOUND
        );
    }

    // A pool consult: the pool's admin (routing) and, while it waits, its responders.
    assert_eq!(
        app.consult_detail(&mut s.admin, pooled).await.viewer,
        Party::PoolAdmin
    );
    assert_eq!(
        app.consult_detail(&mut s.r2, pooled).await.viewer,
        Party::PoolResponder
    );
    assert_eq!(
        app.consult(&mut s.third, pooled).await.status,
        StatusCode::NOT_FOUND
    );
    let queue = app.my_consults(&mut s.r2).await.pool_queue;
    assert_eq!(queue.iter().map(|c| c.id).collect::<Vec<_>>(), vec![pooled]);
    assert!(app.my_consults(&mut s.third).await.pool_queue.is_empty());

    // Once Dr. Rao accepts it, the other responder no longer sees it; the admin still does.
    app.accept_consult(&mut s.r1, pooled).await.ok();
    assert_eq!(
        app.consult(&mut s.r2, pooled).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(app.my_consults(&mut s.r2).await.pool_queue.is_empty());
    assert_eq!(
        app.consult_detail(&mut s.admin, pooled).await.viewer,
        Party::PoolAdmin
    );
    // The admin reads, but takes no step.
    let err = app.decline_consult(&mut s.admin, pooled, "Not ours").await;
    assert_eq!(err.status, StatusCode::FORBIDDEN);

    // Every opening is on the record (refused ones are not openings).
    let opened = s
        .count(
            "select count(*) from audit_log where action = 'consult.opened' and target = 'consult:' || $1",
            pooled,
        )
        .await;
    assert_eq!(
        opened, 3,
        "the admin twice, Dr. Shah once; the GP did not open it"
    );

    // Consults never reach the case feed or search.
    let cases: i64 = sqlx::query_scalar("select count(*) from cases")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(cases, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_aadhaar_number_in_the_summary_blocks_sending_until_overridden(pool: PgPool) {
    let mut s = scene(pool).await;
    let aadhaar = aadhaar_like();
    let background = format!("Referral slip says Aadhaar {aadhaar}.");
    let form = ConsultForm {
        background: &background,
        ..ConsultForm::ecg(To::Colleague(s.r1_id))
    };
    let id: i64 = s.app.save_consult(&mut s.gp, form).await.json();
    let app = &s.app;
    let reply = app
        .submit_consult(&mut s.gp, id, ConsultConsent::verbal())
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let AppError::ConsultPrivacyBlocked {
        consult_id,
        findings,
    } = reply.error()
    else {
        panic!("expected the privacy guard: {}", reply.body);
    };
    assert_eq!(consult_id, id);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].field, "background");
    assert_eq!(findings[0].kind, app::privacy::FindingKind::Aadhaar);
    // Nothing was stored or sent.
    assert_eq!(s.state(id).await, State::Draft);
    assert_eq!(
        s.count(
            "select count(*) from consult_consents where consult_id = $1",
            id
        )
        .await,
        0
    );
    assert!(s.told(&mut s.r1.clone(), id).await.is_empty());

    // An override needs a reason, and only the requester may give one.
    let short = app
        .override_consult_finding(&mut s.gp, id, "aadhaar", &aadhaar, "ok")
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    let theirs = app
        .override_consult_finding(
            &mut s.r1,
            id,
            "aadhaar",
            &aadhaar,
            "A test number, not the patient's.",
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    app.override_consult_finding(
        &mut s.gp,
        id,
        "aadhaar",
        &aadhaar,
        "This is the sample number printed on the form, not the patient's.",
    )
    .await
    .ok();
    app.submit_consult(&mut s.gp, id, ConsultConsent::verbal())
        .await
        .ok();
    assert_eq!(s.state(id).await, State::Submitted);
    assert_eq!(
        s.told(&mut s.r1.clone(), id).await,
        vec![NotificationKind::ConsultReceived]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn no_consent_no_submit(pool: PgPool) {
    let mut s = scene(pool).await;
    let id = s.draft(To::Colleague(s.r1_id)).await;
    let app = &s.app;
    let unticked = ConsultConsent {
        obtained: None,
        ..ConsultConsent::verbal()
    };
    let reply = app.submit_consult(&mut s.gp, id, unticked).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let err = reply.error();
    assert!(
        err.field_errors().unwrap().get("consent").is_some(),
        "{err:?}"
    );
    assert_eq!(s.state(id).await, State::Draft);
    assert_eq!(
        s.count(
            "select count(*) from consult_consents where consult_id = $1",
            id
        )
        .await,
        0
    );
    assert_eq!(
        app.consult(&mut s.r1, id).await.status,
        StatusCode::NOT_FOUND
    );
    // A consent dated in the future is no consent either.
    let future = ConsultConsent {
        date: "2999-01-01",
        ..ConsultConsent::verbal()
    };
    assert_eq!(
        app.submit_consult(&mut s.gp, id, future).await.status,
        StatusCode::BAD_REQUEST
    );
    app.submit_consult(&mut s.gp, id, ConsultConsent::verbal())
        .await
        .ok();
    let detail = app.consult_detail(&mut s.r1, id).await;
    assert_eq!(detail.state, State::Submitted);
    let consent = detail.consent.expect("consent recorded");
    assert_eq!(consent.recorded_by, "Dr. Gauri Patil");
    assert_eq!(consent.method, app::consults::ConsentMethod::Verbal);
}

#[sqlx::test(migrations = "../migrations")]
async fn two_responders_accepting_at_once_one_wins(pool: PgPool) {
    let mut s = scene(pool).await;
    let id = s.sent(To::Pool(s.cardiology)).await;
    let app = &s.app;
    let (mut r1, mut r2) = (s.r1.clone(), s.r2.clone());
    let (a, b) = tokio::join!(
        app.accept_consult(&mut r1, id),
        app.accept_consult(&mut r2, id)
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} / {}", a.body, b.body);
    let loser = if a.status.is_success() { &b } else { &a };
    assert!(matches!(loser.error(), AppError::Conflict { .. }));
    let winner = if a.status.is_success() {
        s.r1_id
    } else {
        s.r2_id
    };
    let responder: Option<i64> =
        sqlx::query_scalar("select responder_id from consults where id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(responder, Some(winner));
    let accepts = s
        .count(
            "select count(*) from consult_events where consult_id = $1 and action = 'accept'",
            id,
        )
        .await;
    assert_eq!(accepts, 1);
    assert_eq!(
        s.told(&mut s.gp.clone(), id).await,
        vec![NotificationKind::ConsultAccepted]
    );

    // The guard itself, with the two acceptances truly overlapping: the second waits on the
    // first's row lock, then finds the consult no longer submitted.
    let id = s.sent(To::Pool(s.cardiology)).await;
    let pool = s.app.pool.clone();
    let accept = |who: i64| {
        let pool = pool.clone();
        async move {
            let mut tx = pool.begin().await.unwrap();
            let moved = app::consults::db::step(
                &mut tx,
                id,
                State::Submitted,
                State::Accepted,
                app::consults::Action::Accept,
                Some(who),
                Utc::now(),
                None,
                None,
            )
            .await
            .unwrap();
            (tx, moved)
        }
    };
    let (first, moved) = accept(s.r1_id).await;
    assert!(moved);
    let second = tokio::spawn(accept(s.r2_id));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !second.is_finished(),
        "the second acceptance waits for the first"
    );
    first.commit().await.unwrap();
    let (second, moved) = second.await.unwrap();
    second.commit().await.unwrap();
    assert!(!moved, "the second acceptance changes nothing");
    let responder: Option<i64> =
        sqlx::query_scalar("select responder_id from consults where id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(responder, Some(s.r1_id));
    // And the late responder, asking through the app, hears it was taken.
    let late = s.app.accept_consult(&mut s.r2, id).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_decline_returns_a_pool_consult_to_the_pool_and_ends_a_named_one(pool: PgPool) {
    let mut s = scene(pool).await;
    let pooled = s.sent(To::Pool(s.cardiology)).await;
    let app = &s.app;
    app.accept_consult(&mut s.r1, pooled).await.ok();
    let no_reason = app.decline_consult(&mut s.r1, pooled, "  ").await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    app.decline_consult(&mut s.r1, pooled, "On leave this week.")
        .await
        .ok();
    let detail = app.consult_detail(&mut s.gp, pooled).await;
    assert_eq!(detail.state, State::Submitted);
    assert_eq!(detail.responder_id, None);
    let decline = detail.events.last().unwrap();
    assert_eq!(decline.detail.as_deref(), Some("On leave this week."));
    assert_eq!(
        s.told(&mut s.gp.clone(), pooled).await,
        vec![
            NotificationKind::ConsultAccepted,
            NotificationKind::ConsultDeclined
        ]
    );
    // Back in the pool: the other responder is told, sees it and takes it.
    assert_eq!(
        s.told(&mut s.r2.clone(), pooled).await,
        vec![
            NotificationKind::ConsultReceived,
            NotificationKind::ConsultReceived
        ]
    );
    app.accept_consult(&mut s.r2, pooled).await.ok();

    let named = s.sent(To::Colleague(s.r1_id)).await;
    let app = &s.app;
    app.decline_consult(&mut s.r1, named, "Outside what I see.")
        .await
        .ok();
    assert_eq!(s.state(named).await, State::Declined);
    assert_eq!(
        app.accept_consult(&mut s.r1, named).await.status,
        StatusCode::CONFLICT
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn escalation_and_overdue_follow_the_clock(pool: PgPool) {
    let mut s = scene(pool).await;
    let id = s.sent(To::Pool(s.cardiology)).await;
    let app = &s.app;
    let pool = &app.pool;
    let t0 = Utc::now();

    // Acknowledgement time 12 h: nothing at 11 h, escalated once after 13 h.
    assert_eq!(
        chores::escalate(pool, None, t0 + Duration::hours(11))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        chores::escalate(pool, None, t0 + Duration::hours(13))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        chores::escalate(pool, None, t0 + Duration::hours(14))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        s.told(&mut s.admin.clone(), id).await,
        vec![NotificationKind::ConsultEscalated]
    );
    let detail = app.consult_detail(&mut s.gp, id).await;
    assert!(detail.escalated && !detail.overdue);
    assert_eq!(detail.state, State::Submitted);

    // Accepted, then information requested: the answer clock pauses.
    app.accept_consult(&mut s.r1, id).await.ok();
    app.consult_message(
        &mut s.r1,
        "consults/request-info",
        id,
        "Any prior ECG to compare?",
    )
    .await
    .ok();
    let due_before = app.consult_detail(&mut s.gp, id).await.due_at.unwrap();
    assert_eq!(
        chores::mark_overdue(pool, None, t0 + Duration::hours(100))
            .await
            .unwrap(),
        0
    );
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    app.consult_message(
        &mut s.gp,
        "consults/provide-info",
        id,
        "Yes: normal ECG last year.",
    )
    .await
    .ok();
    let detail = app.consult_detail(&mut s.r1, id).await;
    assert_eq!(detail.state, State::Accepted);
    assert!(!detail.paused);
    let due_after = detail.due_at.unwrap();
    assert!(due_after > due_before, "the pause moved the due time on");
    assert!(due_after - due_before < Duration::minutes(1));

    // Routine target 72 h: overdue after that, on both sides, once.
    assert_eq!(
        chores::mark_overdue(pool, None, t0 + Duration::hours(71))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        chores::mark_overdue(pool, None, t0 + Duration::hours(73))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        chores::mark_overdue(pool, None, t0 + Duration::hours(74))
            .await
            .unwrap(),
        0
    );
    assert!(app.consult_detail(&mut s.gp, id).await.overdue);
    assert!(s
        .told(&mut s.gp.clone(), id)
        .await
        .contains(&NotificationKind::ConsultOverdue));
    assert!(s
        .told(&mut s.r1.clone(), id)
        .await
        .contains(&NotificationKind::ConsultOverdue));
    // Escalation tells the admin; the overdue notice goes to the parties, not to them.
    assert_eq!(
        s.told(&mut s.admin.clone(), id).await,
        vec![NotificationKind::ConsultEscalated]
    );
    let _ = s.admin_id;
}

#[sqlx::test(migrations = "../migrations")]
async fn the_whole_exchange_then_auto_close_after_14_days(pool: PgPool) {
    let mut s = scene(pool).await;
    let id = s.sent(To::Colleague(s.r1_id)).await;
    let app = &s.app;
    app.accept_consult(&mut s.r1, id).await.ok();
    // Only the responder answers, and only a complete answer.
    assert_eq!(
        app.answer_consult(&mut s.gp, id, AnswerForm::early_repolarisation())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let partial = AnswerForm {
        impression: "",
        ..AnswerForm::early_repolarisation()
    };
    assert_eq!(
        app.answer_consult(&mut s.r1, id, partial).await.status,
        StatusCode::BAD_REQUEST
    );
    app.answer_consult(&mut s.r1, id, AnswerForm::early_repolarisation())
        .await
        .ok();
    app.consult_message(
        &mut s.gp,
        "consults/follow-up",
        id,
        "Should he stop smoking aids?",
    )
    .await
    .ok();
    app.consult_message(
        &mut s.r1,
        "consults/answer-follow-up",
        id,
        "Nicotine patches are fine.",
    )
    .await
    .ok();
    let detail = app.consult_detail(&mut s.gp, id).await;
    assert_eq!(detail.state, State::Answered);
    assert_eq!(detail.answer.as_ref().unwrap().referral, Referral::No);
    assert_eq!(detail.messages.len(), 2);
    assert_eq!(
        s.told(&mut s.gp.clone(), id).await,
        vec![
            NotificationKind::ConsultAccepted,
            NotificationKind::ConsultAnswered,
            NotificationKind::ConsultFollowUpAnswered
        ]
    );

    let pool = &app.pool;
    let t0 = Utc::now();
    assert_eq!(
        chores::auto_close(pool, t0 + Duration::days(13))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        chores::auto_close(pool, t0 + Duration::days(15))
            .await
            .unwrap(),
        1
    );
    let detail = app.consult_detail(&mut s.gp, id).await;
    assert_eq!(detail.state, State::Closed);
    assert!(
        detail.closeout.is_none(),
        "closed by itself, without a close-out"
    );
    let last = detail.events.last().unwrap();
    assert_eq!(
        (last.action, last.actor_name.as_deref()),
        (Some(app::consults::Action::AutoClose), None)
    );
    // Closed is closed.
    assert_eq!(
        app.close_consult(&mut s.gp, id, 5, 5, "referral_avoided")
            .await
            .status,
        StatusCode::CONFLICT
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_retention_purge_keeps_the_record_and_every_event(pool: PgPool) {
    let mut s = scene(pool).await;
    let id = s.sent(To::Pool(s.cardiology)).await;
    let app = &s.app;
    app.accept_consult(&mut s.r2, id).await.ok();
    app.answer_consult(&mut s.r2, id, AnswerForm::early_repolarisation())
        .await
        .ok();
    app.close_consult(&mut s.gp, id, 5, 4, "referral_avoided")
        .await
        .ok();
    let before = app.consult_detail(&mut s.gp, id).await;
    assert_eq!(before.state, State::Closed);
    assert!(!before.text.question.is_empty());

    let pool = &app.pool;
    let t0 = Utc::now();
    assert_eq!(
        chores::purge(pool, &app.media, t0 + Duration::days(1094), 1095)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        chores::purge(pool, &app.media, t0 + Duration::days(1096), 1095)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        chores::purge(pool, &app.media, t0 + Duration::days(1097), 1095)
            .await
            .unwrap(),
        0
    );

    let after = app.consult_detail(&mut s.gp, id).await;
    assert!(after.purged);
    for (field, _) in app::consults::input::TEXT_FIELDS {
        assert_eq!(after.text.get(field), "", "{field} purged");
    }
    assert_eq!(after.text.age_band, None);
    let answer = after.answer.expect("the answer's record stays");
    assert_eq!(
        (answer.impression.as_str(), answer.referral),
        ("", Referral::No)
    );
    let closeout = after.closeout.expect("the close-out stays");
    assert_eq!(
        (
            closeout.useful,
            closeout.educational,
            closeout.note.as_str()
        ),
        (5, 4, "")
    );
    // Metadata: who, when, specialty, timings, outcome, consent.
    assert_eq!(after.text.specialty, "cardiology");
    assert_eq!(after.responder_id, Some(s.r2_id));
    assert_eq!(
        (after.submitted_at, after.answered_at, after.ended_at),
        (before.submitted_at, before.answered_at, before.ended_at)
    );
    assert!(after.consent.is_some());
    // Every earlier event, then the purge.
    assert_eq!(after.events.len(), before.events.len() + 1);
    assert_eq!(&after.events[..before.events.len()], &before.events[..]);
    assert_eq!(
        after.events.last().unwrap().action,
        Some(app::consults::Action::Purge)
    );
    // The history cannot be rewritten or removed, not even directly.
    for sql in [
        "delete from consult_events where consult_id = $1",
        "update consult_events set detail = 'x' where consult_id = $1",
        "delete from consults where id = $1",
    ] {
        let err = sqlx::query(sql).bind(id).execute(pool).await;
        assert!(err.is_err(), "{sql} must fail");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_pages_show_a_consult_to_its_parties_only_and_work_without_javascript(pool: PgPool) {
    let mut s = scene(pool).await;
    let app = &s.app;
    // A draft written with a plain form post (a browser without JavaScript) lands on its page.
    let body = format!(
        "responder_id={}&specialty=cardiology&question=Is%20this%20ECG%20early%20repolarisation%3F",
        s.r1_id
    );
    let req = Request::post("/api/consults/save")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::ORIGIN, &app.public_url)
        .header(header::REFERER, format!("{}/consults/new", app.public_url))
        .header(header::COOKIE, s.gp.cookie.clone().unwrap());
    let reply = app
        .request(&mut s.gp, req.body(Body::from(body)).unwrap())
        .await;
    assert!(
        reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    let location = reply.headers["location"].to_str().unwrap().to_owned();
    let id: i64 = location.trim_start_matches("/consults/").parse().unwrap();
    let page = app.get(&mut s.gp, &location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Is this ECG early repolarisation?"));
    assert!(
        page.body.contains("Send the consult"),
        "the requester may send the draft"
    );
    assert_eq!(
        app.get(&mut s.r1, &location).await.status,
        StatusCode::NOT_FOUND
    );

    // Sending the incomplete draft: nothing is sent, and the page names what is missing and
    // links to the draft's form.
    let reply = browser_post(
        app,
        &mut s.gp,
        "consults/submit",
        &location,
        &[
            ("id", &id.to_string()),
            ("consent", "yes"),
            ("consent_method", "verbal"),
            ("consent_date", "2026-11-20"),
        ],
    )
    .await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    let back = reply.headers["location"].to_str().unwrap().to_owned();
    let page = app.get(&mut s.gp, &back).await;
    for text in [
        "What you ask",
        "Age band",
        "Complete the draft",
        "Edit the draft",
    ] {
        assert!(page.body.contains(text), "{text} not on the page");
    }
    assert!(page.body.contains(&format!("/consults/{id}/edit")));
    assert_eq!(s.state(id).await, State::Draft);

    // The draft's form, filled with what was saved; saving it returns to the consult.
    let edit = format!("/consults/{id}/edit");
    let page = app.get(&mut s.gp, &edit).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Is this ECG early repolarisation?"));
    assert!(page.body.contains(r#"name="id""#));
    let reply = browser_post(
        app,
        &mut s.gp,
        "consults/save",
        &edit,
        &[
            ("id", &id.to_string()),
            ("specialty", "cardiology"),
            ("question", "Is this ECG early repolarisation?"),
            ("situation", "Chest pain at rest, now settled."),
            ("ask", "Whether to refer for angiography."),
            ("age_band", "40_to_64"),
            ("sex", "male"),
        ],
    )
    .await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    assert_eq!(reply.headers["location"], location.as_str());
    let page = app.get(&mut s.gp, &location).await;
    assert!(page.body.contains("Whether to refer for angiography."));
    assert!(page.body.contains("40–64, male"), "the patient line");
    // Nobody else may open the form; once sent, it cannot be rewritten.
    assert_eq!(
        app.get(&mut s.r1, &edit).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&mut s.third, &edit).await.status,
        StatusCode::NOT_FOUND
    );
    app.submit_consult(&mut s.gp, id, ConsultConsent::verbal())
        .await
        .ok();
    assert_eq!(s.state(id).await, State::Submitted);
    let page = app.get(&mut s.gp, &edit).await;
    assert!(page.body.contains("can no longer be changed"));
    assert!(!page.body.contains("Save the draft"));
    let rewrite = browser_post(
        app,
        &mut s.gp,
        "consults/save",
        &edit,
        &[
            ("id", &id.to_string()),
            ("specialty", "cardiology"),
            ("question", "Changed?"),
        ],
    )
    .await;
    let back = rewrite.headers["location"].to_str().unwrap().to_owned();
    assert!(back.contains("__err"), "{back}");
    assert!(app
        .get(&mut s.r1, &location)
        .await
        .body
        .contains("early repolarisation?"));

    let sent = s.sent(To::Colleague(s.r1_id)).await;
    let draft = s.draft(To::Colleague(s.r1_id)).await;
    let app = &s.app;
    let page = app.get(&mut s.r1, &format!("/consults/{sent}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Accept") && page.body.contains("Decline"));
    let page = app.get(&mut s.third, &format!("/consults/{sent}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("early repolarisation"));
    let list = app.get(&mut s.r1, "/consults").await;
    assert!(list.body.contains(&format!("Consult #{sent}")));
    assert!(
        !list.body.contains(&format!("Consult #{draft}")),
        "drafts stay with their writer"
    );
    assert_eq!(
        app.get(&mut s.gp, "/consults/new").await.status,
        StatusCode::OK
    );
}

/// A plain form post to server function `endpoint`, as a browser without JavaScript sends it
/// from page `from`.
async fn browser_post(
    app: &TestApp,
    client: &mut crate::common::Client,
    endpoint: &str,
    from: &str,
    form: &[(&str, &str)],
) -> crate::common::Reply {
    let body: String = form
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencoding(v)))
        .collect::<Vec<_>>()
        .join("&");
    let req = Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::ORIGIN, &app.public_url)
        .header(header::REFERER, format!("{}{from}", app.public_url))
        .header(header::COOKIE, client.cookie.clone().unwrap());
    app.request(client, req.body(Body::from(body)).unwrap())
        .await
}

fn urlencoding(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Scene {
    /// The GP's ECG consult to Dr. Rao by name, accepted, answered and closed; returns its id.
    async fn closed(&mut self) -> i64 {
        let id = self.sent(To::Colleague(self.r1_id)).await;
        self.answered(id).await;
        self.app
            .close_consult(&mut self.gp, id, 5, 4, "referral_avoided")
            .await
            .ok();
        assert_eq!(self.state(id).await, State::Closed);
        id
    }

    async fn answered(&mut self, id: i64) {
        self.app.accept_consult(&mut self.r1, id).await.ok();
        self.app
            .answer_consult(&mut self.r1, id, AnswerForm::early_repolarisation())
            .await
            .ok();
    }

    /// The consult's teaching steps in its history, oldest first.
    async fn teaching_events(&self, id: i64) -> Vec<(String, State, State)> {
        sqlx::query_as(
            "select action::text, from_state, to_state from consult_events
             where consult_id = $1 and action::text like '%teaching' order by at, id",
        )
        .bind(id)
        .fetch_all(&self.app.pool)
        .await
        .unwrap()
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_closed_consult_becomes_a_teaching_case_of_both_doctors(pool: PgPool) {
    use app::cases::CaseDetail;
    let mut s = scene(pool).await;
    // Not before the close: an answered consult is still being talked about.
    let id = s.sent(To::Colleague(s.r1_id)).await;
    s.answered(id).await;
    let early = s.app.propose_teaching(&mut s.gp, id).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    assert!(s.teaching_events(id).await.is_empty());
    s.app
        .close_consult(&mut s.gp, id, 5, 4, "referral_avoided")
        .await
        .ok();

    // Nobody else may propose, nor learn that the consult exists.
    for outsider in [&mut s.third, &mut s.r2, &mut s.admin] {
        let reply = s.app.propose_teaching(outsider, id).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    }
    // Dr. Rao (the specialist) proposes; he cannot agree to his own proposal.
    s.app.propose_teaching(&mut s.r1, id).await.ok();
    let again = s.app.propose_teaching(&mut s.gp, id).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let own = s.app.agree_teaching(&mut s.r1, id).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "{}", own.body);
    assert_eq!(
        s.app.agree_teaching(&mut s.third, id).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        s.told(&mut s.gp.clone(), id).await.last(),
        Some(&NotificationKind::ConsultTeachingProposed)
    );
    let seen = s.app.consult_detail(&mut s.gp, id).await;
    assert!(seen.can_answer_teaching() && !seen.can_propose_teaching());

    // The GP agrees: one draft, Dr. Rao its author and the GP its co-author. Agreeing again
    // gives the same case.
    let case_id: i64 = s.app.agree_teaching(&mut s.gp, id).await.json();
    let twice: i64 = s.app.agree_teaching(&mut s.gp, id).await.json();
    assert_eq!(twice, case_id);
    assert_eq!(
        s.count("select count(*) from cases where id <> $1", 0)
            .await,
        1
    );
    let (author, status): (i64, String) =
        sqlx::query_as("select author_id, status::text from cases where id = $1")
            .bind(case_id)
            .fetch_one(&s.app.pool)
            .await
            .unwrap();
    assert_eq!((author, status.as_str()), (s.r1_id, "draft"));
    assert_eq!(
        s.told(&mut s.r1.clone(), id).await.last(),
        Some(&NotificationKind::ConsultTeachingAgreed)
    );

    // Its text carries the request and the answer.
    let case: CaseDetail = s.app.case(&mut s.gp, case_id).await.json();
    assert!(case.is_author, "the co-author writes it too");
    assert_eq!(case.summary.author_name, "Dr. Rao");
    assert_eq!(case.co_authors, vec!["Dr. Gauri Patil".to_owned()]);
    let request = ConsultForm::ecg(To::Colleague(s.r1_id));
    let answer = AnswerForm::early_repolarisation();
    assert_eq!(case.summary.title, request.question);
    for text in [
        request.question,
        request.situation,
        request.background,
        request.assessment,
        request.ask,
        request.findings,
        answer.impression,
        answer.recommendations,
        answer.red_flags,
        "No referral advised.",
        "Aged 40–64 years, male",
    ] {
        assert!(
            case.body_md.contains(text),
            "{text:?} not in\n{}",
            case.body_md
        );
    }
    assert!(case.sections.examination.contains(request.findings));

    // Both doctors read and edit the draft; nobody else sees it.
    for outsider in [&mut s.third, &mut s.r2, &mut s.admin] {
        let reply = s.app.case(outsider, case_id).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    }
    let edited = crate::common::CaseForm {
        id: Some(case_id),
        title: "Early repolarisation or inferior STEMI?",
        specialty: "cardiology",
        summary: case.summary.summary.as_str(),
        presentation: Some(case.sections.presentation.as_str()),
        management: Some(case.sections.management.as_str()),
        teaching_points: Some("Compare with an old ECG before calling it a STEMI."),
        intent: Some("draft"),
        ..Default::default()
    };
    s.app.save_case(&mut s.gp, edited).await.ok();
    let seen: CaseDetail = s.app.case(&mut s.r1, case_id).await.json();
    assert_eq!(
        seen.summary.title,
        "Early repolarisation or inferior STEMI?"
    );
    assert!(seen.sections.teaching_points.contains("old ECG"));
    let theirs = s
        .app
        .save_case(
            &mut s.r2,
            crate::common::CaseForm {
                title: "Mine now",
                ..edited
            },
        )
        .await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN, "{}", theirs.body);

    // The consult keeps its record: still closed, the steps in its history, the link shown.
    assert_eq!(s.state(id).await, State::Closed);
    assert_eq!(
        s.teaching_events(id).await,
        vec![
            ("propose_teaching".to_owned(), State::Closed, State::Closed),
            ("agree_teaching".to_owned(), State::Closed, State::Closed),
        ]
    );
    let detail = s.app.consult_detail(&mut s.r1, id).await;
    assert_eq!(detail.teaching.and_then(|t| t.case_id), Some(case_id));
    assert!(detail.answer.is_some() && detail.closeout.is_some());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_case_from_a_consult_needs_its_own_teaching_consent(pool: PgPool) {
    use crate::common::Consent;
    let mut s = scene(pool).await;
    let id = s.closed().await;
    // The GP (a resident) proposes this time, and leads the write-up.
    s.app.propose_teaching(&mut s.gp, id).await.ok();
    let case_id: i64 = s.app.agree_teaching(&mut s.r1, id).await.json();

    // The consult's consent covered a colleague's opinion, not teaching: no images, and still
    // no publishing without a teaching consent.
    for writer in [&mut s.gp, &mut s.r1] {
        let reply = s.app.publish_case(writer, case_id).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        let err = reply.error();
        assert_eq!(err, AppError::TeachingConsentRequired { case_id });
        assert!(
            err.to_string()
                .contains("consent to a consult is not consent to teaching"),
            "{err}"
        );
    }
    let status = |s: &Scene| {
        let pool = s.app.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>("select status::text from cases where id = $1")
                .bind(case_id)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(status(&s).await, "draft");
    // Somebody else cannot record it for them.
    let theirs = s
        .app
        .record_consent(&mut s.r2, Consent::on_file(case_id))
        .await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN, "{}", theirs.body);

    // Recorded on the case by its co-author, the usual publish flow goes through.
    s.app
        .record_consent(&mut s.r1, Consent::on_file(case_id))
        .await
        .ok();
    s.app.publish_case(&mut s.gp, case_id).await.ok();
    assert_eq!(status(&s).await, "published");
    // Readers see both authors.
    let read: app::cases::CaseDetail = s.app.case(&mut s.third, case_id).await.json();
    assert_eq!(read.summary.author_name, "Dr. Gauri Patil");
    assert_eq!(read.co_authors, vec!["Dr. Rao".to_owned()]);
    assert!(!read.is_author);
    // A case written from scratch still needs no consent without images.
    let (mut mentor, _) = s
        .app
        .user_with_role("m@wai.in", "Dr. Mentor", Role::Mentor)
        .await;
    let own = s
        .app
        .create_case(
            &mut mentor,
            crate::common::CaseForm::draft("A plain case", "Fever for three days."),
        )
        .await;
    s.app.publish_case(&mut mentor, own).await.ok();
}

#[sqlx::test(migrations = "../migrations")]
async fn declined_proposals_concurrent_agreements_and_purged_consults(pool: PgPool) {
    let mut s = scene(pool).await;
    let id = s.closed().await;
    s.app.propose_teaching(&mut s.gp, id).await.ok();
    // The proposer neither agrees nor declines their own proposal.
    assert_eq!(
        s.app.decline_teaching(&mut s.gp, id).await.status,
        StatusCode::FORBIDDEN
    );
    s.app.decline_teaching(&mut s.r1, id).await.ok();
    assert_eq!(
        s.told(&mut s.gp.clone(), id).await.last(),
        Some(&NotificationKind::ConsultTeachingDeclined)
    );
    let late = s.app.agree_teaching(&mut s.r1, id).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);

    // Proposed again (by the other doctor), then agreed twice at once: one case.
    s.app.propose_teaching(&mut s.r1, id).await.ok();
    let (mut a, mut b) = (s.gp.clone(), s.gp.clone());
    let (first, second) = tokio::join!(
        s.app.agree_teaching(&mut a, id),
        s.app.agree_teaching(&mut b, id)
    );
    let (first, second): (i64, i64) = (first.json(), second.json());
    assert_eq!(first, second);
    assert_eq!(
        s.count("select count(*) from cases where id <> $1", 0)
            .await,
        1
    );
    assert_eq!(
        s.count(
            "select count(*) from case_authors where case_id = $1",
            first
        )
        .await,
        1
    );
    assert_eq!(
        s.teaching_events(id)
            .await
            .into_iter()
            .map(|(action, _, _)| action)
            .collect::<Vec<_>>(),
        [
            "propose_teaching",
            "decline_teaching",
            "propose_teaching",
            "agree_teaching"
        ]
    );

    // A consult whose clinical text was purged cannot become a teaching case.
    let purged = s.closed().await;
    sqlx::query("update consults set purged_at = now() where id = $1")
        .bind(purged)
        .execute(&s.app.pool)
        .await
        .unwrap();
    let reply = s.app.propose_teaching(&mut s.gp, purged).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert!(!s
        .app
        .consult_detail(&mut s.gp, purged)
        .await
        .can_propose_teaching());
}

#[sqlx::test(migrations = "../migrations")]
async fn the_teaching_case_forms_work_without_javascript(pool: PgPool) {
    let mut s = scene(pool).await;
    let id = s.closed().await;
    let page = format!("/consults/{id}");
    let shown = s.app.get(&mut s.r1, &page).await;
    assert!(
        shown.body.contains("Propose a teaching case"),
        "{}",
        shown.body
    );
    s.app.propose_teaching(&mut s.r1, id).await.ok();
    let proposer = s.app.get(&mut s.r1, &page).await;
    assert!(proposer.body.contains("waiting for an answer"));
    assert!(!proposer.body.contains("Agree and make the draft"));
    let other = s.app.get(&mut s.gp, &page).await;
    assert!(other.body.contains("Agree and make the draft"));
    assert!(other.body.contains("Decline"));

    // Agreeing with a plain form post lands on the new draft.
    let req = Request::post("/api/consults/agree-teaching")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .header(header::ORIGIN, &s.app.public_url)
        .header(header::REFERER, format!("{}{page}", s.app.public_url))
        .header(header::COOKIE, s.gp.cookie.clone().unwrap());
    let reply = s
        .app
        .request(&mut s.gp, req.body(Body::from(format!("id={id}"))).unwrap())
        .await;
    assert!(
        reply.status.is_redirection(),
        "{} {}",
        reply.status,
        reply.body
    );
    let location = reply.headers["location"].to_str().unwrap().to_owned();
    let case_id: i64 = location.trim_start_matches("/cases/").parse().unwrap();
    let draft = s.app.get(&mut s.gp, &location).await;
    assert_eq!(draft.status, StatusCode::OK);
    assert!(
        draft.body.contains(" and Dr. Gauri Patil"),
        "By Dr. Rao and Dr. Gauri Patil"
    );
    assert!(draft.body.contains("only its authors can see this"));
    let consult = s.app.get(&mut s.r1, &page).await;
    assert!(consult.body.contains(&format!("href=\"/cases/{case_id}\"")));
    assert!(!consult.body.contains("Propose a teaching case"));
}
