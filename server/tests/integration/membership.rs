//! Membership and identity: e-mail verification (mail read back from a real SMTP server),
//! joining by domain, approval and decline, invitations, leaving, removal, deactivation,
//! password reset, the registration-number check, and the audit trail of all of it.

use crate::common::fixtures::{institution, institution_of, place_verified, publish_for};
use crate::common::{token_in, Client, Registration, TestApp};
use app::accounts::api::Confirmed;
use app::accounts::Role;
use app::cases::CaseDetail;
use app::department::api::members::MembersPage;
use app::error::AppError;
use sqlx::PgPool;

const PASSWORD: &str = Registration::PASSWORD;

/// A mentor of `department` publishes a department-only case; returns its id.
async fn department_case(app: &TestApp, department: i64, email: &str) -> i64 {
    let (mut mentor, mentor_id) = app.user_with_role(email, "Dr. Mentor", Role::Mentor).await;
    place_verified(&app.pool, mentor_id, department).await;
    publish_for(app, &mut mentor, "Department only", "department").await
}

async fn register_into(app: &TestApp, email: &str, department: i64) -> (Client, i64) {
    let mut client = Client {
        forwarded_for: Some(format!("172.16.{}.1", department % 250)),
        ..Client::default()
    };
    let department = department.to_string();
    let form = Registration {
        department_id: &department,
        medical_council: "mmc",
        registration_number: "MMC-2020-1234",
        ..Registration::new(email, "Dr. Asha Rao")
    };
    app.submit_registration(&mut client, form).await.ok();
    client.forwarded_for = None;
    let id = sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    (client, id)
}

async fn can_read(app: &TestApp, client: &mut Client, case: i64) -> bool {
    let reply = app.case(client, case).await;
    if reply.status.is_success() {
        let _: CaseDetail = reply.json();
        true
    } else {
        assert_eq!(reply.error(), AppError::NotFound);
        false
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn an_address_at_the_institutions_domain_joins_after_verifying_it(pool: PgPool) {
    let (app, mail) = TestApp::with_mail(pool.clone()).await;
    let (surgery, _) = institution(&pool, Some("sahyadri.edu.in")).await;
    let case = department_case(&app, surgery, "mentor@sahyadri.edu.in").await;

    let (mut asha, asha_id) = register_into(&app, "asha@sahyadri.edu.in", surgery).await;
    // Self-declared membership grants nothing until the address is verified.
    let user = app.me(&mut asha).await.expect("signed in");
    assert!(!user.email_verified);
    assert_eq!(user.department_id, None);
    assert!(user.requested_department.is_some());
    assert!(!can_read(&app, &mut asha, case).await);

    let message = mail.wait_for("asha@sahyadri.edu.in").await;
    assert!(message.contains("Subject: Confirm your e-mail address"));
    let token = token_in(&message, "/verify-email");
    assert_eq!(token.len(), 64);
    // The token is not stored as such.
    let stored: i64 = sqlx::query_scalar(
        "select count(*) from email_tokens where encode(token_hash, 'hex') = $1",
    )
    .bind(&token)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored, 0);

    // The link works without being signed in (it is the proof).
    let mut elsewhere = Client::default();
    let confirmed: Confirmed = app.verify_email(&mut elsewhere, &token).await.json();
    assert!(matches!(confirmed, Confirmed::Joined(ref d) if d.contains("Surgery")));
    let user = app.me(&mut asha).await.unwrap();
    assert!(user.email_verified);
    assert_eq!(user.department_id, Some(surgery));
    assert!(can_read(&app, &mut asha, case).await);

    // Single use.
    let again = app.verify_email(&mut elsewhere, &token).await;
    assert_eq!(again.status, 400);
    assert!(again.error().field_errors().unwrap().get("token").is_some());

    let events: Vec<String> =
        sqlx::query_scalar("select action from audit_log where subject_user_id = $1 order by id")
            .bind(asha_id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        events,
        [
            "account.registered",
            "membership.requested",
            "account.email_verified",
            "membership.joined_by_domain"
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_foreign_address_waits_for_the_department_admin(pool: PgPool) {
    let (app, mail) = TestApp::with_mail(pool.clone()).await;
    let (surgery, medicine) = institution(&pool, Some("sahyadri.edu.in")).await;
    let case = department_case(&app, surgery, "mentor@sahyadri.edu.in").await;
    let (mut admin, admin_id) = app
        .user_with_role("head@sahyadri.edu.in", "Dr. Head", Role::DepartmentAdmin)
        .await;
    place_verified(&pool, admin_id, surgery).await;
    let (mut other_admin, other_id) = app
        .user_with_role("head2@sahyadri.edu.in", "Dr. Other", Role::DepartmentAdmin)
        .await;
    place_verified(&pool, other_id, medicine).await;

    let (mut ravi, ravi_id) = register_into(&app, "ravi@gmail.com", surgery).await;
    let token = token_in(&mail.wait_for("ravi@gmail.com").await, "/verify-email");
    let confirmed: Confirmed = app.verify_email(&mut ravi, &token).await.json();
    assert!(matches!(confirmed, Confirmed::Waiting(_)));
    assert!(!can_read(&app, &mut ravi, case).await);

    // The department admin sees the request; another department's admin cannot decide it.
    let page: MembersPage = app.members(&mut admin).await;
    assert_eq!(page.department_id, surgery);
    assert_eq!(page.requests.len(), 1);
    assert_eq!(page.requests[0].user_id, ravi_id);
    let refused = app
        .decide_membership(&mut other_admin, ravi_id, surgery, "approve", None)
        .await;
    assert_eq!(refused.status, 403);
    let refused = app
        .decide_membership(&mut ravi, ravi_id, surgery, "approve", None)
        .await;
    assert_eq!(refused.status, 403);

    app.decide_membership(&mut admin, ravi_id, surgery, "approve", None)
        .await
        .ok();
    assert!(can_read(&app, &mut ravi, case).await);
    let approved = mail.wait_for_nth("ravi@gmail.com", 2).await;
    assert!(approved.contains("You are now a member"));
    // Deciding twice is a conflict, not a second membership.
    let twice = app
        .decide_membership(&mut admin, ravi_id, surgery, "approve", None)
        .await;
    assert_eq!(twice.status, 409);

    // A decline needs a reason, which the person is told.
    let (mut meena, meena_id) = register_into(&app, "meena@yahoo.in", surgery).await;
    let token = token_in(&mail.wait_for("meena@yahoo.in").await, "/verify-email");
    app.verify_email(&mut meena, &token).await.ok();
    let no_reason = app
        .decide_membership(&mut admin, meena_id, surgery, "decline", None)
        .await;
    assert_eq!(no_reason.status, 400);
    assert!(no_reason
        .error()
        .field_errors()
        .unwrap()
        .get("reason")
        .is_some());
    app.decide_membership(
        &mut admin,
        meena_id,
        surgery,
        "decline",
        Some("Not on our staff list"),
    )
    .await
    .ok();
    let user = app.me(&mut meena).await.unwrap();
    assert_eq!(user.department_id, None);
    assert_eq!(user.requested_department, None);
    let declined = mail.wait_for_nth("meena@yahoo.in", 2).await;
    assert!(declined.contains("Not on our staff list"));

    let decisions: Vec<(String, Option<i64>)> = sqlx::query_as(
        "select action, actor_id from audit_log where action in ('membership.approved', 'membership.declined') order by id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        decisions,
        [
            ("membership.approved".to_owned(), Some(admin_id)),
            ("membership.declined".to_owned(), Some(admin_id))
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_invitation_verifies_the_address_and_joins_the_department(pool: PgPool) {
    let (app, mail) = TestApp::with_mail(pool.clone()).await;
    let (surgery, _) = institution(&pool, None).await;
    let case = department_case(&app, surgery, "mentor@city.in").await;
    let (mut admin, admin_id) = app
        .user_with_role("head@city.in", "Dr. Head", Role::DepartmentAdmin)
        .await;
    place_verified(&pool, admin_id, surgery).await;
    let (mut resident, _) = app.register("resident@city.in", "Dr. R").await;
    let refused = app.invite(&mut resident, surgery, "x@y.in").await;
    assert_eq!(refused.status, 403);

    app.invite(&mut admin, surgery, "New.Colleague@Gmail.com")
        .await
        .ok();
    let token = token_in(
        &mail.wait_for("new.colleague@gmail.com").await,
        "/invitation",
    );
    let mut newcomer = Client::default();
    // The invitation belongs to its address.
    let wrong = app
        .submit_registration(
            &mut newcomer,
            Registration {
                invite: Some(&token),
                ..Registration::new("someone.else@gmail.com", "Dr. Else")
            },
        )
        .await;
    assert_eq!(wrong.status, 400);
    app.submit_registration(
        &mut newcomer,
        Registration {
            invite: Some(&token),
            ..Registration::new("new.colleague@gmail.com", "Dr. New")
        },
    )
    .await
    .ok();
    let user = app.me(&mut newcomer).await.unwrap();
    assert!(user.email_verified);
    assert_eq!(user.department_id, Some(surgery));
    assert!(can_read(&app, &mut newcomer, case).await);
}

#[sqlx::test(migrations = "../migrations")]
async fn leaving_removal_and_deactivation_end_access_at_once(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (surgery, medicine) = institution(&pool, None).await;
    let case = department_case(&app, surgery, "mentor@city.in").await;
    let (mut admin, admin_id) = app
        .user_with_role("head@city.in", "Dr. Head", Role::DepartmentAdmin)
        .await;
    place_verified(&pool, admin_id, surgery).await;
    let (mut other_admin, other_id) = app
        .user_with_role("head2@city.in", "Dr. Other", Role::DepartmentAdmin)
        .await;
    place_verified(&pool, other_id, medicine).await;

    // Leaving.
    let (mut a, a_id) = app.register("a@city.in", "Dr. A").await;
    place_verified(&pool, a_id, surgery).await;
    assert!(can_read(&app, &mut a, case).await);
    app.leave_department(&mut a).await.ok();
    assert!(!can_read(&app, &mut a, case).await);

    // Removal, by this department's admin only.
    let (mut b, b_id) = app.register("b@city.in", "Dr. B").await;
    place_verified(&pool, b_id, surgery).await;
    let refused = app.remove_member(&mut other_admin, b_id).await;
    assert_eq!(refused.status, 404);
    app.remove_member(&mut admin, b_id).await.ok();
    assert!(!can_read(&app, &mut b, case).await);

    // Deactivation ends the session at once and refuses sign-in; what was written stays.
    let (mut mentor_client, mentor_id) = {
        let id: i64 = sqlx::query_scalar("select author_id from cases where id = $1")
            .bind(case)
            .fetch_one(&pool)
            .await
            .unwrap();
        let mut client = Client::default();
        app.login(&mut client, "mentor@city.in", PASSWORD)
            .await
            .ok();
        (client, id)
    };
    let needs_reason = app
        .set_account_active(&mut admin, mentor_id, false, None)
        .await;
    assert_eq!(needs_reason.status, 400);
    let refused = app
        .set_account_active(&mut other_admin, mentor_id, false, Some("x"))
        .await;
    assert_eq!(refused.status, 404);
    app.set_account_active(&mut admin, mentor_id, false, Some("Left the hospital"))
        .await
        .ok();
    assert_eq!(app.me(&mut mentor_client).await, None);
    let login = app
        .login(&mut Client::default(), "mentor@city.in", PASSWORD)
        .await;
    assert_eq!(login.status, 403);
    assert_eq!(login.error(), AppError::Deactivated);
    assert!(login.error().to_string().contains("deactivated"));
    // A wrong password still says only that.
    let wrong = app
        .login(&mut Client::default(), "mentor@city.in", "wrong password!")
        .await;
    assert_eq!(wrong.error(), AppError::BadCredentials);
    let cases: i64 = sqlx::query_scalar("select count(*) from cases where author_id = $1")
        .bind(mentor_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(cases, 1);

    app.set_account_active(&mut admin, mentor_id, true, None)
        .await
        .ok();
    app.login(&mut Client::default(), "mentor@city.in", PASSWORD)
        .await
        .ok();

    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where action like 'membership.%' or action like 'account.%activated' order by id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "membership.left",
            "membership.removed",
            "account.deactivated",
            "account.reactivated"
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn password_reset_by_mail_ends_every_other_session(pool: PgPool) {
    let (app, mail) = TestApp::with_mail(pool.clone()).await;
    let (mut phone, _) = app.register("asha@city.in", "Dr. Asha").await;
    assert!(app.me(&mut phone).await.is_some());

    let mut laptop = Client::default();
    app.forgot_password(&mut laptop, "Asha@City.in").await;
    // An unknown address gets the same answer and no mail.
    let unknown = app
        .forgot_password(&mut Client::default(), "nobody@city.in")
        .await;
    assert!(unknown.status.is_success(), "{}", unknown.status);
    // The first mail is the address confirmation sent at registration.
    let message = mail.wait_for_nth("asha@city.in", 2).await;
    assert!(message.contains("Subject: Reset your Corridor password"));
    assert!(mail.messages_to("nobody@city.in").is_empty());
    let token = token_in(&message, "/reset-password");

    let short = app.reset_password(&mut laptop, &token, "short").await;
    assert_eq!(short.status, 400);
    app.reset_password(&mut laptop, &token, "a brand new passphrase")
        .await
        .ok();
    assert!(
        app.me(&mut laptop).await.is_some(),
        "this browser is signed in"
    );
    assert_eq!(app.me(&mut phone).await, None, "other sessions ended");
    let reused = app
        .reset_password(&mut Client::default(), &token, "yet another passphrase")
        .await;
    assert_eq!(reused.status, 400);
    let old = app
        .login(&mut Client::default(), "asha@city.in", PASSWORD)
        .await;
    assert_eq!(old.error(), AppError::BadCredentials);
    app.login(
        &mut Client::default(),
        "asha@city.in",
        "a brand new passphrase",
    )
    .await
    .ok();
}

#[sqlx::test(migrations = "../migrations")]
async fn registration_numbers_are_self_declared_until_the_department_checks_them(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (surgery, _) = institution(&pool, None).await;
    let (mut admin, admin_id) = app
        .user_with_role("head@city.in", "Dr. Head", Role::DepartmentAdmin)
        .await;
    place_verified(&pool, admin_id, surgery).await;
    let (_, with_number) = register_into(&app, "n@city.in", surgery).await;
    place_verified(&pool, with_number, surgery).await;
    let (_, without) = app.register("x@city.in", "Dr. X").await;
    place_verified(&pool, without, surgery).await;
    let page: MembersPage = app.members(&mut admin).await;
    let member = page.members.iter().find(|m| m.id == with_number).unwrap();
    assert_eq!(member.registration_verified_at, None);

    app.verify_registration(&mut admin, with_number).await.ok();
    let (at, by): (Option<chrono::DateTime<chrono::Utc>>, Option<i64>) = sqlx::query_as(
        "select registration_verified_at, registration_verified_by from users where id = $1",
    )
    .bind(with_number)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(at.is_some());
    assert_eq!(by, Some(admin_id));
    let nothing_to_check = app.verify_registration(&mut admin, without).await;
    assert_eq!(nothing_to_check.status, 409);
}

#[sqlx::test(migrations = "../migrations")]
async fn site_admins_set_domains_and_join_policy(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (surgery, _) = institution(&pool, None).await;
    let institution_id = institution_of(&pool, surgery).await;
    let (mut site, _) = app
        .user_with_role("root@city.in", "Dr. Root", Role::SiteAdmin)
        .await;
    let (mut dept_admin, dept_admin_id) = app
        .user_with_role("head@city.in", "Dr. Head", Role::DepartmentAdmin)
        .await;
    place_verified(&pool, dept_admin_id, surgery).await;
    let refused = app
        .add_domain(&mut dept_admin, institution_id, "city.in")
        .await;
    assert_eq!(refused.status, 403);
    let bad = app
        .add_domain(&mut site, institution_id, "not a domain")
        .await;
    assert_eq!(bad.status, 400);
    app.add_domain(&mut site, institution_id, "@City.IN")
        .await
        .ok();
    app.set_join_policy(&mut site, institution_id, "approval")
        .await
        .ok();
    let list: Vec<app::department::InstitutionDomains> = app.institution_domains(&mut site).await;
    assert_eq!(list[0].domains, ["city.in"]);
    assert_eq!(list[0].join_policy, app::department::JoinPolicy::Approval);
    // With the approval policy even a matching domain waits.
    let (mut tx, user) = {
        let (_, id) = register_into(&app, "new@city.in", surgery).await;
        (pool.begin().await.unwrap(), id)
    };
    let outcome = app::department::db::verify_email(&mut tx, user)
        .await
        .unwrap();
    assert_eq!(outcome, app::department::db::Verified::Waiting(surgery));
}
