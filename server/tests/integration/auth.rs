use crate::common::{Client, Registration, TestApp};
use app::accounts::{Role, SessionUser};
use app::error::AppError;
use sqlx::PgPool;

fn registration<'a>(email: &'a str, password: &'a str) -> Registration<'a> {
    Registration {
        password,
        designation: "Junior Resident",
        specialty: "paediatrics",
        medical_council: "kmc",
        registration_number: "KMC 12345",
        ..Registration::new(email, "Dr. Kavya Iyer")
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn register_sign_out_and_sign_in(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let mut browser = Client::default();
    app.submit_registration(
        &mut browser,
        registration("Kavya@Example.in", "a long password"),
    )
    .await
    .ok();
    let me: Option<SessionUser> = app.me(&mut browser).await;
    let me = me.expect("signed in after registering");
    assert_eq!(me.full_name, "Dr. Kavya Iyer");
    assert_eq!(me.role, Role::Resident, "new accounts are residents");

    // The e-mail is stored normalised and the password only as an Argon2 hash.
    let (email, hash): (String, String) =
        sqlx::query_as("select email, password_hash from users where id = $1")
            .bind(me.id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(email, "kavya@example.in");
    assert!(hash.starts_with("$argon2id$"), "{hash}");

    app.logout(&mut browser).await.ok();
    let me: Option<SessionUser> = app.me(&mut browser).await;
    assert_eq!(me, None, "signed out");

    app.login(&mut browser, "KAVYA@example.in", "a long password")
        .await
        .ok();
    let me: Option<SessionUser> = app.me(&mut browser).await;
    assert_eq!(me.map(|u| u.full_name).as_deref(), Some("Dr. Kavya Iyer"));
}

#[sqlx::test(migrations = "../migrations")]
async fn duplicate_email_is_refused_next_to_the_field(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    app.register("asha@example.in", "Dr. Asha").await;
    let mut other = Client::default();
    let err = app
        .submit_registration(
            &mut other,
            registration("ASHA@example.in", "another long one"),
        )
        .await
        .error();
    let fields = err.field_errors().expect("a field error");
    assert!(fields.get("email").unwrap().contains("already registered"));
    // What was typed comes back so nothing is lost, but never the password.
    assert_eq!(fields.value("full_name"), Some("Dr. Kavya Iyer"));
    assert!(fields.value("password").is_none());
    let count: i64 = sqlx::query_scalar("select count(*) from users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn invalid_registration_names_each_field(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let mut browser = Client::default();
    let err = app
        .submit_registration(&mut browser, registration("not-an-email", "short"))
        .await
        .error();
    let fields = err.field_errors().expect("field errors");
    assert!(fields.get("email").is_some());
    assert!(fields.get("password").unwrap().contains("at least 10"));
    let me: Option<SessionUser> = app.me(&mut browser).await;
    assert_eq!(me, None);
}

#[sqlx::test(migrations = "../migrations")]
async fn wrong_password_and_unknown_email_look_the_same(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.register("ravi@example.in", "Dr. Ravi").await;
    let mut browser = Client::default();
    let wrong = app
        .login(&mut browser, "ravi@example.in", "not the password")
        .await;
    let unknown = app
        .login(&mut browser, "nobody@example.in", "not the password")
        .await;
    assert_eq!(wrong.error(), AppError::BadCredentials);
    assert_eq!(unknown.error(), AppError::BadCredentials);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
    let me: Option<SessionUser> = app.me(&mut browser).await;
    assert_eq!(me, None);
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_is_limited_per_account(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.register("target@example.in", "Dr. Target").await;
    for i in 0..5 {
        // Spread over addresses: the per-account limit must still apply.
        let mut attacker = Client {
            forwarded_for: Some(format!("10.0.0.{i}")),
            ..Client::default()
        };
        let err = app
            .login(&mut attacker, "target@example.in", "guess guess guess")
            .await
            .error();
        assert_eq!(err, AppError::BadCredentials);
    }
    let mut owner = Client {
        forwarded_for: Some("192.0.2.9".into()),
        ..Client::default()
    };
    let err = app
        .login(&mut owner, "target@example.in", "correct horse battery")
        .await
        .error();
    assert!(matches!(err, AppError::RateLimited { .. }), "{err:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn sign_in_is_limited_per_address(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.register("real@example.in", "Dr. Real").await;
    let mut attacker = Client {
        forwarded_for: Some("198.51.100.7".into()),
        ..Client::default()
    };
    for i in 0..30 {
        let email = format!("guess{i}@example.in");
        app.login(&mut attacker, &email, "guess guess guess")
            .await
            .error();
    }
    let err = app
        .login(&mut attacker, "real@example.in", "correct horse battery")
        .await
        .error();
    assert!(matches!(err, AppError::RateLimited { .. }), "{err:?}");
    // Someone else, elsewhere, is not affected.
    let mut elsewhere = Client {
        forwarded_for: Some("203.0.113.5".into()),
        ..Client::default()
    };
    app.login(&mut elsewhere, "real@example.in", "correct horse battery")
        .await
        .ok();
}

#[sqlx::test(migrations = "../migrations")]
async fn signing_in_issues_a_fresh_session_id(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (mut browser, _) = app.register("mina@example.in", "Dr. Mina").await;
    let before = browser
        .cookie
        .clone()
        .expect("session cookie after registering");
    let reply = app
        .login(&mut browser, "mina@example.in", "correct horse battery")
        .await;
    reply.ok();
    let after = reply.session_cookie().expect("a new cookie on sign-in");
    assert_ne!(before, after, "the session id must change on sign-in");
    let set_cookie = reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("corridor_session="))
        .unwrap()
        .to_owned();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(
        !set_cookie.contains("Secure"),
        "not Secure unless configured: {set_cookie}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn secure_cookie_when_configured(pool: PgPool) {
    let app = TestApp::with_settings(pool, server::Settings::new("target/site", true, false)).await;
    let (browser, _) = app.register("sec@example.in", "Dr. Sec").await;
    assert!(browser.cookie.is_some());
    let mut b = Client::default();
    let reply = app
        .login(&mut b, "sec@example.in", "correct horse battery")
        .await;
    let set_cookie = reply
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set_cookie.contains("Secure"), "{set_cookie}");
}

#[sqlx::test(migrations = "../migrations")]
async fn only_site_admins_change_roles(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut resident, resident_id) = app.register("res@example.in", "Dr. Res").await;
    let (mut admin, admin_id) = app
        .user_with_role("admin@example.in", "Admin", Role::SiteAdmin)
        .await;

    let err = app
        .set_role(&mut resident, resident_id, "mentor")
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    assert_eq!(
        app.admin_users(&mut resident).await.error(),
        AppError::Forbidden
    );
    assert_eq!(
        app.admin_users(&mut Client::default()).await.error(),
        AppError::Unauthenticated
    );

    app.set_role(&mut admin, resident_id, "mentor").await.ok();
    let role: Role = sqlx::query_scalar("select role from users where id = $1")
        .bind(resident_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(role, Role::Mentor);

    // No making site admins from the web, and no changing one's own role.
    let err = app
        .set_role(&mut admin, resident_id, "site_admin")
        .await
        .error();
    assert!(err.field_errors().is_some());
    let err = app.set_role(&mut admin, admin_id, "resident").await.error();
    assert!(err.field_errors().is_some());
}

#[sqlx::test(migrations = "../migrations")]
async fn create_admin_creates_then_promotes(pool: PgPool) {
    let created = server::cli::create_admin::create_site_admin(
        &pool,
        "Head@Example.in",
        "Dr. Head",
        "a strong admin password",
    )
    .await
    .unwrap();
    assert!(created.created);
    let again = server::cli::create_admin::create_site_admin(
        &pool,
        "head@example.in",
        "Dr. Head",
        "ignored password",
    )
    .await
    .unwrap();
    assert!(!again.created);
    let roles: Vec<Role> = sqlx::query_scalar("select role from users")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(roles, vec![Role::SiteAdmin]);
    let app = TestApp::new(pool).await;
    let mut b = Client::default();
    app.login(&mut b, "head@example.in", "a strong admin password")
        .await
        .ok();
}

#[sqlx::test(migrations = "../migrations")]
async fn site_admins_add_departments(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut admin, _) = app
        .user_with_role("admin@example.in", "Admin", Role::SiteAdmin)
        .await;
    let (mut dept_admin, _) = app
        .user_with_role("da@example.in", "Dept", Role::DepartmentAdmin)
        .await;
    let (institution, city, department) = ("District Hospital, Satara", "Satara", "Casualty");
    assert_eq!(
        app.add_department(&mut dept_admin, institution, city, department)
            .await
            .error(),
        AppError::Forbidden
    );
    app.add_department(&mut admin, institution, city, department)
        .await
        .ok();
    let again = app
        .add_department(&mut admin, institution, city, department)
        .await
        .error();
    assert!(again
        .field_errors()
        .unwrap()
        .get("department")
        .unwrap()
        .contains("already exists"));
    let blank = app.add_department(&mut admin, " ", "", "").await.error();
    let fields = blank.field_errors().unwrap();
    assert!(fields.get("institution").is_some() && fields.get("department").is_some());

    let choices: app::accounts::FormChoices = app.form_choices(&mut Client::default()).await;
    assert_eq!(choices.departments.len(), 1);
    assert_eq!(
        choices.departments[0].label,
        "District Hospital, Satara — Casualty"
    );
}
