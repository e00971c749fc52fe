use crate::common::{Client, TestApp};
use app::accounts::{Role, SessionUser};
use app::error::AppError;
use sqlx::PgPool;

fn registration<'a>(email: &'a str, password: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("email", email),
        ("password", password),
        ("full_name", "Dr. Kavya Iyer"),
        ("designation", "Junior Resident"),
        ("specialty", "paediatrics"),
        ("department_id", ""),
        ("medical_council", "kmc"),
        ("registration_number", "KMC 12345"),
    ]
}

#[sqlx::test(migrations = "../migrations")]
async fn register_sign_out_and_sign_in(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let mut browser = Client::default();
    app.call(
        &mut browser,
        "register",
        &registration("Kavya@Example.in", "a long password"),
    )
    .await
    .ok();
    let me: Option<SessionUser> = app.call(&mut browser, "me", &[]).await.json();
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

    app.call(&mut browser, "logout", &[]).await.ok();
    let me: Option<SessionUser> = app.call(&mut browser, "me", &[]).await.json();
    assert_eq!(me, None, "signed out");

    app.call(
        &mut browser,
        "login",
        &[
            ("email", "KAVYA@example.in"),
            ("password", "a long password"),
        ],
    )
    .await
    .ok();
    let me: Option<SessionUser> = app.call(&mut browser, "me", &[]).await.json();
    assert_eq!(me.map(|u| u.full_name).as_deref(), Some("Dr. Kavya Iyer"));
}

#[sqlx::test(migrations = "../migrations")]
async fn duplicate_email_is_refused_next_to_the_field(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    app.register("asha@example.in", "Dr. Asha").await;
    let mut other = Client::default();
    let err = app
        .call(
            &mut other,
            "register",
            &registration("ASHA@example.in", "another long one"),
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
        .call(
            &mut browser,
            "register",
            &registration("not-an-email", "short"),
        )
        .await
        .error();
    let fields = err.field_errors().expect("field errors");
    assert!(fields.get("email").is_some());
    assert!(fields.get("password").unwrap().contains("at least 10"));
    let me: Option<SessionUser> = app.call(&mut browser, "me", &[]).await.json();
    assert_eq!(me, None);
}

#[sqlx::test(migrations = "../migrations")]
async fn wrong_password_and_unknown_email_look_the_same(pool: PgPool) {
    let app = TestApp::new(pool).await;
    app.register("ravi@example.in", "Dr. Ravi").await;
    let mut browser = Client::default();
    let wrong = app
        .call(
            &mut browser,
            "login",
            &[
                ("email", "ravi@example.in"),
                ("password", "not the password"),
            ],
        )
        .await;
    let unknown = app
        .call(
            &mut browser,
            "login",
            &[
                ("email", "nobody@example.in"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(wrong.error(), AppError::BadCredentials);
    assert_eq!(unknown.error(), AppError::BadCredentials);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
    let me: Option<SessionUser> = app.call(&mut browser, "me", &[]).await.json();
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
            .call(
                &mut attacker,
                "login",
                &[
                    ("email", "target@example.in"),
                    ("password", "guess guess guess"),
                ],
            )
            .await
            .error();
        assert_eq!(err, AppError::BadCredentials);
    }
    let mut owner = Client {
        forwarded_for: Some("192.0.2.9".into()),
        ..Client::default()
    };
    let err = app
        .call(
            &mut owner,
            "login",
            &[
                ("email", "target@example.in"),
                ("password", "correct horse battery"),
            ],
        )
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
        app.call(
            &mut attacker,
            "login",
            &[("email", &email), ("password", "guess guess guess")],
        )
        .await
        .error();
    }
    let err = app
        .call(
            &mut attacker,
            "login",
            &[
                ("email", "real@example.in"),
                ("password", "correct horse battery"),
            ],
        )
        .await
        .error();
    assert!(matches!(err, AppError::RateLimited { .. }), "{err:?}");
    // Someone else, elsewhere, is not affected.
    let mut elsewhere = Client {
        forwarded_for: Some("203.0.113.5".into()),
        ..Client::default()
    };
    app.call(
        &mut elsewhere,
        "login",
        &[
            ("email", "real@example.in"),
            ("password", "correct horse battery"),
        ],
    )
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
        .call(
            &mut browser,
            "login",
            &[
                ("email", "mina@example.in"),
                ("password", "correct horse battery"),
            ],
        )
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
        .call(
            &mut b,
            "login",
            &[
                ("email", "sec@example.in"),
                ("password", "correct horse battery"),
            ],
        )
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
    let id = resident_id.to_string();

    let err = app
        .call(
            &mut resident,
            "admin/set-role",
            &[("user_id", &id), ("role", "mentor")],
        )
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);
    assert_eq!(
        app.call(&mut resident, "admin/users", &[]).await.error(),
        AppError::Forbidden
    );
    assert_eq!(
        app.call(&mut Client::default(), "admin/users", &[])
            .await
            .error(),
        AppError::Unauthenticated
    );

    app.call(
        &mut admin,
        "admin/set-role",
        &[("user_id", &id), ("role", "mentor")],
    )
    .await
    .ok();
    let role: Role = sqlx::query_scalar("select role from users where id = $1")
        .bind(resident_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(role, Role::Mentor);

    // No making site admins from the web, and no changing one's own role.
    let err = app
        .call(
            &mut admin,
            "admin/set-role",
            &[("user_id", &id), ("role", "site_admin")],
        )
        .await
        .error();
    assert!(err.field_errors().is_some());
    let err = app
        .call(
            &mut admin,
            "admin/set-role",
            &[("user_id", &admin_id.to_string()), ("role", "resident")],
        )
        .await
        .error();
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
    app.call(
        &mut b,
        "login",
        &[
            ("email", "head@example.in"),
            ("password", "a strong admin password"),
        ],
    )
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
    let form = [
        ("institution", "District Hospital, Satara"),
        ("city", "Satara"),
        ("department", "Casualty"),
    ];
    assert_eq!(
        app.call(&mut dept_admin, "admin/add-department", &form)
            .await
            .error(),
        AppError::Forbidden
    );
    app.call(&mut admin, "admin/add-department", &form)
        .await
        .ok();
    let again = app
        .call(&mut admin, "admin/add-department", &form)
        .await
        .error();
    assert!(again
        .field_errors()
        .unwrap()
        .get("department")
        .unwrap()
        .contains("already exists"));
    let blank = app
        .call(
            &mut admin,
            "admin/add-department",
            &[("institution", " "), ("city", ""), ("department", "")],
        )
        .await
        .error();
    let fields = blank.field_errors().unwrap();
    assert!(fields.get("institution").is_some() && fields.get("department").is_some());

    let choices: app::accounts::FormChoices = app
        .call(&mut Client::default(), "form-choices", &[])
        .await
        .json();
    assert_eq!(choices.departments.len(), 1);
    assert_eq!(
        choices.departments[0].label,
        "District Hospital, Satara — Casualty"
    );
}
