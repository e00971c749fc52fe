//! The role × endpoint matrix: every server function and every plain route, called by each of
//! eight people, answers with the status the access rules say.
//!
//! The endpoints are enumerated, not listed by hand: server functions from the server-function
//! registry, plain routes from the `.route(` calls in the server's and the app's sources. A new
//! endpoint without a row here fails the test, and so does a row for an endpoint that is gone.
//!
//! One world serves every call: departments A and B of one institution; an author in A with a
//! department-only published case carrying a module, images and comments; a resident of A who
//! passed the module (certificate, ledger line) and has a pending external claim. Each call runs
//! in a copy of its caller's session, and afterwards the callers' memberships, roles and
//! activation are put back, so a call that signs out, leaves a department or deactivates someone
//! changes nothing the next call sees. Calls that use up their target (tokens, a case to
//! unpublish, an image to delete) get a throwaway target, per caller where several may succeed.
//!
//! The file is longer than most: the matrix is one table, and splitting it would hide rows.

use crate::common::fixtures::{
    department, institution_of, take, upload_photo, TWO_QUESTION_GIFT, TWO_QUESTION_XML,
};
use crate::common::{
    CaseForm, Client, Consent, Evaluation, QuizSettings, Registration, Reply, TestApp,
};
use app::accounts::Role;
use app::department::db::{self as m, Purpose};
use app::ssr::sessions::Store as PostgresStore;
use axum::body::Body;
use axum::http::{header, Method, Request};
use sqlx::PgPool;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use tower_sessions::session::Id;
use tower_sessions::SessionStore;

/// What a caller gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Past the guard: anything but 401, 403, 404, 405 or 5xx (400, 409, 422, 429 are fine).
    Allowed,
    /// 401: sign in first.
    Unauth,
    /// 403.
    Forbidden,
    /// 404: hidden from this caller, as if it did not exist.
    NotFound,
    /// Allowed for everyone, signed in or not (a whole row of it).
    Public,
}

use Expect::{Allowed as A, Forbidden as F, NotFound as N, Public as P, Unauth as U};

impl Expect {
    fn met_by(self, status: u16) -> bool {
        match self {
            Expect::Allowed | Expect::Public => {
                !matches!(status, 401 | 403 | 404 | 405) && status < 500
            }
            Expect::Unauth => status == 401,
            Expect::Forbidden => status == 403,
            Expect::NotFound => status == 404,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Expect::Allowed => "allowed",
            Expect::Unauth => "401",
            Expect::Forbidden => "403",
            Expect::NotFound => "404",
            Expect::Public => "public",
        }
    }
}

/// The callers, in the order of a row's expectations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    /// Registered asking for department A; e-mail not confirmed, so no department yet.
    Unverified,
    Resident,
    /// A mentor of A who did not write the case.
    Mentor,
    /// The mentor of A who wrote the case.
    Author,
    /// The department admin of B.
    OtherAdmin,
    /// The department admin of A.
    Admin,
    /// A site admin, of no department.
    SiteAdmin,
}

impl Who {
    const ALL: [Who; 8] = [
        Who::Anonymous,
        Who::Unverified,
        Who::Resident,
        Who::Mentor,
        Who::Author,
        Who::OtherAdmin,
        Who::Admin,
        Who::SiteAdmin,
    ];

    fn label(self) -> &'static str {
        match self {
            Who::Anonymous => "anonymous",
            Who::Unverified => "unverified member",
            Who::Resident => "resident",
            Who::Mentor => "mentor (not author)",
            Who::Author => "author",
            Who::OtherAdmin => "admin of dept B",
            Who::Admin => "department admin",
            Who::SiteAdmin => "site admin",
        }
    }

    /// For throwaway names and addresses, one per caller.
    fn slug(self) -> &'static str {
        match self {
            Who::Anonymous => "anonymous",
            Who::Unverified => "unverified",
            Who::Resident => "resident",
            Who::Mentor => "mentor",
            Who::Author => "author",
            Who::OtherAdmin => "other-admin",
            Who::Admin => "admin",
            Who::SiteAdmin => "site-admin",
        }
    }
}

type Form = Vec<(&'static str, String)>;

/// How one caller calls an endpoint.
enum Call {
    /// A server function, with its arguments form-encoded as the browser sends them.
    Fn(Form),
    Get(String),
    /// A plain form post, asking for JSON as a script does (so refusals are statuses, not
    /// redirects to the sign-in page).
    Post(String, Form),
    /// The images page's upload form for a case.
    Upload(i64),
    /// The consult page's upload form.
    ConsultUpload(i64),
    /// An external CME claim with its certificate file.
    Claim,
    /// The module editor's question file form for a case (Moodle XML).
    QuizFile(i64),
}

struct Row {
    method: Method,
    /// `/api/<endpoint>` for a server function, the route's pattern for a plain route.
    path: String,
    call: Box<dyn Fn(Who) -> Call>,
    expect: [Expect; 8],
}

/// A server function called with the same arguments by everyone.
fn api(endpoint: &str, form: Form, expect: [Expect; 8]) -> Row {
    api_each(endpoint, move |_| form.clone(), expect)
}

/// A server function called with arguments that depend on the caller (a throwaway target each).
fn api_each(endpoint: &str, form: impl Fn(Who) -> Form + 'static, expect: [Expect; 8]) -> Row {
    Row {
        method: Method::POST,
        path: format!("/api/{endpoint}"),
        call: Box::new(move |who| Call::Fn(form(who))),
        expect,
    }
}

/// A consult step, each caller on their own consult from the step's set.
fn consult_step(
    w: &World,
    endpoint: &'static str,
    form: impl Fn(i64) -> Form + 'static,
    expect: [Expect; 8],
) -> Row {
    let ids = w.consult_sets[endpoint].clone();
    api_each(endpoint, move |who| form(ids[who as usize]), expect)
}

/// A plain route (`pattern` as written in `.route(`).
fn route(
    method: Method,
    pattern: &str,
    call: impl Fn(Who) -> Call + 'static,
    expect: [Expect; 8],
) -> Row {
    Row {
        method,
        path: pattern.to_owned(),
        call: Box::new(call),
        expect,
    }
}

fn form(pairs: &[(&'static str, &dyn std::fmt::Display)]) -> Form {
    pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
}

/// A signed-in caller's standing.
struct Person {
    id: i64,
    /// The verified membership.
    department: Option<i64>,
    requested: Option<i64>,
    role: Role,
    email_verified: bool,
}

impl Person {
    fn new(id: i64, department: Option<i64>, role: Role) -> Self {
        Self {
            id,
            department,
            requested: None,
            role,
            email_verified: true,
        }
    }
}

/// Everything the rows point at.
struct World {
    app: TestApp,
    store: PostgresStore,
    /// Each caller's signed-in browser (the anonymous one has no cookie).
    clients: Vec<Client>,
    /// What each signed-in caller is, put back after every call.
    people: Vec<Person>,
    dept_a: i64,
    institution: i64,
    unverified_id: i64,
    resident_id: i64,
    author_id: i64,
    /// An account whose password the `login` row uses, and whose role `admin/set-role` sets.
    bystander_id: i64,
    /// The author's department-only published case with the module, images and comments.
    case: i64,
    /// Another published case of the author's, for `unpublish-case`.
    spare_case: i64,
    image: i64,
    /// A second image of the case, for `delete-image`.
    spare_image: i64,
    /// The resident's comments on the case: one to hide, one to mark as the answer.
    comment_to_hide: i64,
    comment_to_mark: i64,
    /// A question the resident answered (deleting it is refused: records stay).
    answered_question: i64,
    /// A question added after the resident's attempt, for `quiz-retire-question`.
    spare_question: i64,
    /// The resident's passed, evaluated attempt.
    attempt: i64,
    certificate: String,
    /// The resident's pending external claim.
    claim: i64,
    profile: (i64, app::cme::rules::Profile),
    invite_token: String,
    /// The resident's consult to department A's pool, waiting there (the mentor of A responds
    /// for the pool, the admin of A runs it).
    consult: i64,
    /// The resident's consult draft, for `consults/override-finding`.
    consult_draft: i64,
    /// An image on `consult`, its files in the store.
    consult_image: i64,
    /// Another draft of the resident's, to upload images to.
    consult_image_draft: i64,
    /// Per consult step, one throwaway consult per caller in the state the step starts from.
    consult_sets: std::collections::HashMap<&'static str, Vec<i64>>,
    /// Per caller: a confirmation link and a reset link of throwaway accounts.
    verify_tokens: Vec<String>,
    reset_tokens: Vec<String>,
}

const PASSWORD: &str = "correct horse battery";

impl World {
    async fn new(pool: PgPool) -> Self {
        let app = TestApp::new(pool.clone()).await;
        let dept_a = department(&pool, "Sahyadri Medical College", "Surgery").await;
        let dept_b = department(&pool, "Sahyadri Medical College", "Medicine").await;
        let institution = institution_of(&pool, dept_a).await;

        // The unverified member registers through the form, asking for department A.
        let mut unverified = Client {
            forwarded_for: Some("10.250.0.1".into()),
            ..Client::default()
        };
        let department_id = dept_a.to_string();
        let form = Registration {
            department_id: &department_id,
            ..Registration::new("unverified@example.in", "Dr. Unverified")
        };
        app.submit_registration(&mut unverified, form).await.ok();
        unverified.forwarded_for = None;
        let unverified_id = user_id(&pool, "unverified@example.in").await;
        let (resident, resident_id) = app.register("resident@example.in", "Dr. Resident").await;
        let (mentor, mentor_id) = app
            .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
            .await;
        let (mut author, author_id) = app
            .user_with_role("author@example.in", "Dr. Author", Role::Mentor)
            .await;
        let (other_admin, other_admin_id) = app
            .user_with_role("admin-b@example.in", "Dr. Admin B", Role::DepartmentAdmin)
            .await;
        let (admin, admin_id) = app
            .user_with_role("admin-a@example.in", "Dr. Admin A", Role::DepartmentAdmin)
            .await;
        let (site_admin, site_admin_id) = app
            .user_with_role("site@example.in", "Site Admin", Role::SiteAdmin)
            .await;
        let (_, bystander_id) = app.register("bystander@example.in", "Dr. Bystander").await;

        let people = vec![
            Person {
                requested: Some(dept_a),
                email_verified: false,
                ..Person::new(unverified_id, None, Role::Resident)
            },
            Person::new(resident_id, Some(dept_a), Role::Resident),
            Person::new(mentor_id, Some(dept_a), Role::Mentor),
            Person::new(author_id, Some(dept_a), Role::Mentor),
            Person::new(other_admin_id, Some(dept_b), Role::DepartmentAdmin),
            Person::new(admin_id, Some(dept_a), Role::DepartmentAdmin),
            Person::new(site_admin_id, None, Role::SiteAdmin),
        ];
        sqlx::query("update users set registration_number = 'MMC-2019-04411' where id = $1")
            .bind(resident_id)
            .execute(&pool)
            .await
            .expect("registration number");

        let mut world = World {
            store: PostgresStore::new(pool.clone()),
            clients: vec![
                Client::default(),
                unverified,
                resident,
                mentor,
                author.clone(),
                other_admin,
                admin,
                site_admin,
            ],
            people,
            dept_a,
            institution,
            unverified_id,
            resident_id,
            author_id,
            bystander_id,
            case: 0,
            spare_case: 0,
            image: 0,
            spare_image: 0,
            comment_to_hide: 0,
            comment_to_mark: 0,
            answered_question: 0,
            spare_question: 0,
            attempt: 0,
            certificate: String::new(),
            claim: 0,
            profile: app::cme::db::profiles(&pool)
                .await
                .expect("profiles")
                .into_iter()
                .next()
                .expect("a council profile"),
            invite_token: String::new(),
            consult: 0,
            consult_draft: 0,
            consult_image: 0,
            consult_image_draft: 0,
            consult_sets: std::collections::HashMap::new(),
            verify_tokens: Vec::new(),
            reset_tokens: Vec::new(),
            app,
        };
        world.restore().await;
        let app = &world.app;

        // The author's case: images with consent, a module, then published to department A.
        world.case = department_case(app, &mut author, "Painless jaundice", "draft").await;
        world.image = upload(app, &mut author, world.case).await;
        world.spare_image = upload(app, &mut author, world.case).await;
        let consent = Consent {
            consent_date: "2026-01-05",
            ..Consent::on_file(world.case)
        };
        app.record_consent(&mut author, consent).await.ok();
        app.quiz_import(&mut author, world.case, TWO_QUESTION_GIFT)
            .await
            .ok();
        let settings = QuizSettings {
            pass_mark: "100",
            ..QuizSettings::default()
        };
        app.quiz_settings(&mut author, world.case, settings)
            .await
            .ok();
        app.publish_case(&mut author, world.case).await.ok();
        world.spare_case = department_case(app, &mut author, "Spare case", "publish").await;

        // The resident comments, passes the module and evaluates it, and claims external credit.
        let mut resident = world.clients[Who::Resident as usize].clone();
        for body in ["Is CA 19-9 useful here?", "What about EUS?"] {
            app.comment(&mut resident, world.case, body).await.ok();
        }
        let comments: Vec<i64> =
            sqlx::query_scalar("select id from comments where case_id = $1 order by id")
                .bind(world.case)
                .fetch_all(&app.pool)
                .await
                .expect("comments");
        (world.comment_to_hide, world.comment_to_mark) = (comments[0], comments[1]);
        let (attempt, passed) = take(app, &mut resident, world.case, true).await;
        assert!(passed, "the resident passes the module");
        world.attempt = attempt;
        world.certificate = app
            .evaluate_activity(&mut resident, Evaluation::of(attempt))
            .await
            .json::<Option<String>>()
            .expect("a certificate");
        let claim: serde_json::Value = app
            .claim(
                &mut resident,
                "Annual surgical update",
                "2026-01-10",
                "2",
                b"%PDF-1.4 matrix",
            )
            .await
            .json();
        world.claim = claim["id"].as_i64().expect("claim id");
        app.quiz_import(
            &mut author,
            world.case,
            "::Three:: Murphy's sign? {=Cholecystitis ~Appendicitis}\n",
        )
        .await
        .ok();
        let questions: Vec<i64> = sqlx::query_scalar("select id from quiz_questions order by id")
            .fetch_all(&app.pool)
            .await
            .expect("questions");
        world.answered_question = questions[0];
        world.spare_question = *questions.last().expect("the spare question");

        // Consults: department A takes them, its mentor responds; the resident asks.
        sqlx::query("insert into consult_pools (department_id) values ($1)")
            .bind(world.dept_a)
            .execute(&app.pool)
            .await
            .expect("pool");
        sqlx::query("insert into consult_pool_responders (department_id, user_id) values ($1, $2)")
            .bind(world.dept_a)
            .bind(mentor_id)
            .execute(&app.pool)
            .await
            .expect("responder");
        let consults = |state: &'static str, n: usize| {
            consults_in(
                &app.pool,
                world.resident_id,
                world.dept_a,
                mentor_id,
                state,
                n,
            )
        };
        world.consult = consults("submitted", 1).await[0];
        world.consult_draft = consults("draft", 1).await[0];
        world.consult_image_draft = consults("draft", 1).await[0];
        world.consult_image = consult_image(app, world.consult, world.resident_id).await;
        let n = Who::ALL.len();
        for (endpoint, state) in [
            ("consults/submit", "draft"),
            ("consults/accept", "submitted"),
            ("consults/cancel", "submitted"),
            ("consults/decline", "accepted"),
            ("consults/request-info", "accepted"),
            ("consults/answer", "accepted"),
            ("consults/provide-info", "info_requested"),
            ("consults/follow-up", "answered"),
            ("consults/close", "answered"),
            ("consults/answer-follow-up", "follow_up"),
        ] {
            let ids = consults(state, n).await;
            world.consult_sets.insert(endpoint, ids);
        }
        // A teaching case starts from a closed, answered consult; agreeing and declining answer
        // the mentor's proposal (so the resident may, the mentor may not).
        for (endpoint, proposed) in [
            ("consults/propose-teaching", false),
            ("consults/agree-teaching", true),
            ("consults/decline-teaching", true),
        ] {
            let ids = consults("closed", n).await;
            for id in &ids {
                sqlx::query(
                    "insert into consult_answers (consult_id, impression, recommendations,
                                                  referral, answered_by)
                     values ($1, 'Early repolarisation.', 'Clinic review in a week.', 'no', $2)",
                )
                .bind(id)
                .bind(mentor_id)
                .execute(&app.pool)
                .await
                .expect("answer");
                if proposed {
                    sqlx::query(
                        "insert into consult_teaching (consult_id, proposed_by) values ($1, $2)",
                    )
                    .bind(id)
                    .bind(mentor_id)
                    .execute(&app.pool)
                    .await
                    .expect("proposal");
                }
            }
            world.consult_sets.insert(endpoint, ids);
        }

        // Mailed links: one invitation; a confirmation and a reset link of a throwaway
        // account per caller (a link works once).
        world.invite_token = m::create_token(
            &app.pool,
            Purpose::Invite,
            None,
            "invitee@example.in",
            Some(world.dept_a),
            Some(admin_id),
        )
        .await
        .expect("invitation");
        for who in Who::ALL {
            for purpose in [Purpose::Verify, Purpose::Reset] {
                let email = format!("{}-{}@example.in", purpose_slug(purpose), who.slug());
                let id: i64 = sqlx::query_scalar(
                    "insert into users (email, password_hash, full_name)
                     values ($1, 'not a hash', 'Dr. Throwaway') returning id",
                )
                .bind(&email)
                .fetch_one(&app.pool)
                .await
                .expect("throwaway account");
                let token = m::create_token(&app.pool, purpose, Some(id), &email, None, None)
                    .await
                    .expect("token");
                match purpose {
                    Purpose::Verify => world.verify_tokens.push(token),
                    _ => world.reset_tokens.push(token),
                }
            }
        }
        world
    }

    /// A copy of the caller's session under a new id: whatever the call does to it (signing
    /// out, signing in as someone else) leaves the caller's own session as it was.
    async fn browser(&self, who: Who) -> Client {
        let Some(cookie) = &self.clients[who as usize].cookie else {
            return Client::default();
        };
        let id: Id = cookie
            .trim_start_matches("corridor_session=")
            .parse()
            .expect("a session id");
        let mut record = self
            .store
            .load(&id)
            .await
            .expect("session store")
            .unwrap_or_else(|| panic!("the {} is signed in", who.label()));
        record.id = Id::default();
        self.store.create(&mut record).await.expect("session copy");
        Client {
            cookie: Some(format!("corridor_session={}", record.id)),
            forwarded_for: None,
        }
    }

    /// Puts every caller's membership, request, role, activation and session epoch back.
    async fn restore(&self) {
        let people = &self.people;
        sqlx::query(
            r#"
            update users u
               set department_id = s.department, requested_department_id = s.requested,
                   role = s.role::user_role, deactivated_at = null, deactivated_by = null,
                   deactivation_reason = null, session_epoch = 0,
                   email_verified_at = case when s.verified
                                            then coalesce(u.email_verified_at, now()) end
              from unnest($1::int8[], $2::int8[], $3::int8[], $4::text[], $5::bool[])
                   as s(id, department, requested, role, verified)
             where u.id = s.id
            "#,
        )
        .bind(people.iter().map(|p| p.id).collect::<Vec<_>>())
        .bind(people.iter().map(|p| p.department).collect::<Vec<_>>())
        .bind(people.iter().map(|p| p.requested).collect::<Vec<_>>())
        .bind(people.iter().map(|p| p.role.as_str()).collect::<Vec<_>>())
        .bind(people.iter().map(|p| p.email_verified).collect::<Vec<_>>())
        .execute(&self.app.pool)
        .await
        .expect("callers restored");
    }

    /// One caller's call of one row, in a copy of their session; the world is put back after.
    async fn call(&self, row: &Row, who: Who) -> Reply {
        let app = &self.app;
        let mut client = self.browser(who).await;
        let reply = match (row.call)(who) {
            Call::Fn(form) => {
                let borrowed: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                if row.method == Method::POST {
                    let endpoint = row.path.trim_start_matches("/api/");
                    app.call(&mut client, endpoint, &borrowed).await
                } else {
                    let query = serde_urlencoded(&borrowed);
                    let mut req = Request::builder()
                        .method(row.method.clone())
                        .uri(format!("{}?{query}", row.path))
                        .header(header::ACCEPT, "application/json");
                    if let Some(cookie) = &client.cookie {
                        req = req.header(header::COOKIE, cookie);
                    }
                    app.request(&mut client, req.body(Body::empty()).expect("request"))
                        .await
                }
            }
            Call::Get(path) => app.get(&mut client, &path).await,
            Call::Post(path, form) => {
                let borrowed: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.post_form(&mut client, &path, &borrowed, true).await
            }
            Call::Upload(case) => {
                let photo = app::media::store::fixtures::jpeg_with_exif(640, 480);
                app.upload(
                    &mut client,
                    case,
                    ("scan.jpg", "image/jpeg", &photo),
                    "Ultrasound, dilated common bile duct",
                    true,
                )
                .await
            }
            Call::ConsultUpload(consult) => {
                let photo = app::media::store::fixtures::jpeg_with_exif(640, 480);
                app.consult_image(
                    &mut client,
                    consult,
                    ("ecg.jpg", "image/jpeg", &photo),
                    "12-lead ECG",
                    "",
                    true,
                )
                .await
            }
            Call::QuizFile(case) => {
                app.quiz_import_file(
                    &mut client,
                    case,
                    "questions.xml",
                    TWO_QUESTION_XML.as_bytes(),
                    true,
                )
                .await
            }
            Call::Claim => {
                app.claim(
                    &mut client,
                    &format!("Workshop attended by the {}", who.label()),
                    "2026-02-14",
                    "1",
                    b"%PDF-1.4 matrix",
                )
                .await
            }
        };
        self.restore().await;
        reply
    }
}

fn purpose_slug(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Verify => "verify",
        Purpose::Reset => "reset",
        Purpose::Invite => "invite",
    }
}

fn serde_urlencoded(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", app::util::url_encode(k), app::util::url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn user_id(pool: &PgPool, email: &str) -> i64 {
    sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .expect("user exists")
}

/// A department-only case by `author`; returns its id.
async fn department_case(app: &TestApp, author: &mut Client, title: &str, intent: &str) -> i64 {
    let case = CaseForm {
        title,
        summary: "Obstructive jaundice in a 62-year-old.",
        body: Some("Painless jaundice with a palpable gallbladder."),
        visibility: Some("department"),
        intent: Some(intent),
        ..CaseForm::default()
    };
    app.create_case(author, case).await
}

async fn upload(app: &TestApp, author: &mut Client, case: i64) -> i64 {
    upload_photo(
        app,
        author,
        case,
        ("scan.jpg", (640, 480)),
        "Ultrasound, dilated common bile duct",
    )
    .await
}

fn quiz_settings(case: i64) -> Form {
    form(&[
        ("case_id", &case),
        ("pass_mark", &100),
        ("feedback_mode", &"end"),
        ("attempts_allowed", &""),
        ("credit_amount", &1),
        ("credit_type", &"points"),
        ("time_limit_minutes", &""),
    ])
}

/// An image on consult `consult`, written directly with its two files in the store: uploads are
/// the consult image tests' business.
async fn consult_image(app: &TestApp, consult: i64, uploader: i64) -> i64 {
    let (display, thumb) = (
        format!("consults/{consult}/matrix-display.jpg"),
        format!("consults/{consult}/matrix-thumb.jpg"),
    );
    let photo = app::media::store::fixtures::jpeg_with_exif(64, 48);
    for key in [&display, &thumb] {
        app.media.put(key, photo.clone()).await.expect("stored");
    }
    sqlx::query_scalar(
        r#"
        insert into consult_images (consult_id, alt_text, content_type, width, height,
                                    display_key, thumb_key, display_bytes, uploaded_by)
        values ($1, '12-lead ECG', 'image/jpeg', 64, 48, $2, $3, $4, $5)
        returning id
        "#,
    )
    .bind(consult)
    .bind(&display)
    .bind(&thumb)
    .bind(photo.len() as i64)
    .bind(uploader)
    .fetch_one(&app.pool)
    .await
    .expect("a consult image")
}

/// `n` consults of the resident's to department A's pool in `state` (accepted and later: by the
/// mentor), written directly: the steps that lead there are the consult tests' business.
async fn consults_in(
    pool: &PgPool,
    requester: i64,
    department: i64,
    responder: i64,
    state: &str,
    n: usize,
) -> Vec<i64> {
    let mut ids = Vec::new();
    for _ in 0..n {
        let id: i64 = sqlx::query_scalar(
            r#"
            insert into consults (requester_id, pool_id, responder_id, specialty, question,
                                  situation, ask, age_band, sex, state, submitted_at, due_at,
                                  accepted_at, answered_at, paused_at, ended_at)
            values ($1, $2,
                    case when $4::text in ('draft', 'submitted') then null else $3 end,
                    'cardiology', 'Early repolarisation or an evolving inferior MI?',
                    'Chest discomfort, settled.', 'Refer today or review in clinic?',
                    '40_to_64', 'male', $4::text::consult_state,
                    case when $4::text <> 'draft' then now() end,
                    case when $4::text <> 'draft' then now() + interval '72 hours' end,
                    case when $4::text not in ('draft', 'submitted') then now() end,
                    case when $4::text in ('answered', 'follow_up', 'closed') then now() end,
                    case when $4::text = 'info_requested' then now() end,
                    case when $4::text = 'closed' then now() end)
            returning id
            "#,
        )
        .bind(requester)
        .bind(department)
        .bind(responder)
        .bind(state)
        .fetch_one(pool)
        .await
        .expect("a consult");
        ids.push(id);
    }
    ids
}

/// The matrix. Columns: anonymous, unverified member, resident, mentor (not author), author,
/// admin of department B, department admin (of A), site admin.
/// A = allowed, P = public, U = 401, F = 403, N = 404.
fn rows(w: &World) -> Vec<Row> {
    let case = w.case;
    let image = w.image;
    let attempt = w.attempt;
    let consult_image = w.consult_image;
    let consult_image_draft = w.consult_image_draft;
    let certificate = w.certificate.clone();
    let claim = w.claim;
    let a = w.dept_a;
    let institution = w.institution;
    let verify = w.verify_tokens.clone();
    let reset = w.reset_tokens.clone();
    let (profile_id, profile) = w.profile.clone();
    let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let profile_form = form(&[
        ("profile_id", &profile_id),
        ("unit", &profile.unit),
        ("cycle_years", &profile.cycle_years),
        ("total_required", &profile.total_required),
        ("per_year_minimum", &profile.per_year_minimum),
        ("per_event_maximum", &opt(profile.per_event_maximum)),
        ("online_cap", &opt(profile.online_cap)),
        ("online_factor", &profile.online_factor),
    ]);
    let case_form = |id: i64| {
        form(&[
            ("id", &id),
            ("title", &"Painless jaundice"),
            ("specialty", &"general-surgery"),
            ("summary", &"Obstructive jaundice in a 62-year-old."),
            ("body", &"Painless jaundice with a palpable gallbladder."),
            ("visibility", &"department"),
            ("intent", &"publish"),
        ])
    };
    let post = |path: String, form: Form| move |_: Who| Call::Post(path.clone(), form.clone());
    let get = |path: String| move |_: Who| Call::Get(path.clone());

    vec![
        // Signing in and out, registering, mailed links.
        api("me", vec![], [P; 8]),
        api(
            "login",
            form(&[("email", &"bystander@example.in"), ("password", &PASSWORD)]),
            [P; 8],
        ),
        api("logout", vec![], [P; 8]),
        // An address already registered: refused beside the field, before the costly hash.
        api(
            "register",
            form(&[
                ("email", &"bystander@example.in"),
                ("password", &PASSWORD),
                ("full_name", &"Dr. New"),
                ("designation", &""),
                ("specialty", &""),
                ("department_id", &""),
                ("medical_council", &""),
                ("registration_number", &""),
            ]),
            [P; 8],
        ),
        api("resend-verification", vec![], [U, A, A, A, A, A, A, A]),
        api_each(
            "verify-email",
            move |who| form(&[("token", &verify[who as usize])]),
            [P; 8],
        ),
        api_each(
            "forgot-password",
            |who| form(&[("email", &format!("forgot-{}@example.in", who.slug()))]),
            [P; 8],
        ),
        api_each(
            "reset-password",
            move |who| {
                form(&[
                    ("token", &reset[who as usize]),
                    ("password", &"a new horse battery"),
                ])
            },
            [P; 8],
        ),
        api("form-choices", vec![], [P; 8]),
        // Membership. Department admins manage their own department whatever they ask for.
        api(
            "department/members",
            form(&[("department", &a)]),
            [U, F, F, F, F, A, A, A],
        ),
        api(
            "department/decide-membership",
            form(&[
                ("user_id", &w.unverified_id),
                ("department_id", &a),
                ("decision", &"approve"),
            ]),
            [U, F, F, F, F, F, A, A],
        ),
        api_each(
            "department/invite",
            move |who| {
                form(&[
                    ("department_id", &a),
                    ("email", &format!("colleague-{}@example.in", who.slug())),
                ])
            },
            [U, F, F, F, F, F, A, A],
        ),
        api("invitation", form(&[("token", &w.invite_token)]), [P; 8]),
        // The invitation is for another address: signed in, the answer is a conflict.
        api(
            "accept-invitation",
            form(&[("token", &w.invite_token)]),
            [U, A, A, A, A, A, A, A],
        ),
        api(
            "request-membership",
            form(&[("department_id", &a)]),
            [U, A, A, A, A, A, A, A],
        ),
        api("leave-department", vec![], [U, A, A, A, A, A, A, A]),
        api(
            "department/remove-member",
            form(&[("user_id", &w.resident_id), ("reason", &"Left in March")]),
            [U, F, F, F, F, N, A, A],
        ),
        api(
            "set-account-active",
            form(&[
                ("user_id", &w.resident_id),
                ("active", &"false"),
                ("reason", &"Left in March"),
            ]),
            [U, F, F, F, F, N, A, A],
        ),
        api(
            "department/verify-registration",
            form(&[("user_id", &w.resident_id)]),
            [U, F, F, F, F, N, A, A],
        ),
        api("admin/domains", vec![], [U, F, F, F, F, F, F, A]),
        api(
            "admin/add-domain",
            form(&[
                ("institution_id", &institution),
                ("domain", &"matrix.sahyadri.edu.in"),
            ]),
            [U, F, F, F, F, F, F, A],
        ),
        api(
            "admin/remove-domain",
            form(&[
                ("institution_id", &institution),
                ("domain", &"matrix.sahyadri.edu.in"),
            ]),
            [U, F, F, F, F, F, F, A],
        ),
        api(
            "admin/join-policy",
            form(&[("institution_id", &institution), ("policy", &"domain")]),
            [U, F, F, F, F, F, F, A],
        ),
        // Department admins read their own department's log.
        api("audit", vec![], [U, F, F, F, F, A, A, A]),
        // Site administration.
        api("admin/users", vec![], [U, F, F, F, F, F, F, A]),
        api(
            "admin/set-role",
            form(&[("user_id", &w.bystander_id), ("role", &"resident")]),
            [U, F, F, F, F, F, F, A],
        ),
        api_each(
            "admin/add-department",
            |who| {
                form(&[
                    ("institution", &"Sahyadri Medical College"),
                    ("city", &""),
                    ("department", &format!("Matrix {}", who.slug())),
                ])
            },
            [U, F, F, F, F, F, F, A],
        ),
        api("admin/settings", vec![], [U, F, F, F, F, A, A, A]),
        // Without `enabled`: switched off, as it is.
        api(
            "admin/peer-review",
            form(&[("department_id", &a)]),
            [U, F, F, F, F, F, A, A],
        ),
        api(
            "admin/add-record-label",
            form(&[("institution_id", &institution), ("label", &"Zq Ref")]),
            [U, F, F, F, F, F, F, A],
        ),
        api(
            "admin/remove-record-label",
            form(&[("institution_id", &institution), ("label", &"Zq Ref")]),
            [U, F, F, F, F, F, F, A],
        ),
        // Cases: only the author changes a case; readers are members of its department.
        api("save-case", case_form(case), [U, F, F, F, A, F, F, F]),
        api(
            "publish-case",
            form(&[("id", &case)]),
            [U, F, F, F, A, F, F, F],
        ),
        // Not waiting for review: a refusal after the guard for the author's colleagues.
        api(
            "approve-case",
            form(&[("id", &case)]),
            [U, F, F, A, F, F, A, F],
        ),
        api(
            "unpublish-case",
            form(&[("id", &w.spare_case)]),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "override-finding",
            form(&[
                ("case_id", &case),
                ("kind", &"phone"),
                ("text", &"98220 12345"),
                ("reason", &"A hospital switchboard, not the patient."),
            ]),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "preview-case",
            form(&[("title", &"T"), ("summary", &"S"), ("body", &"B")]),
            [U, F, F, A, A, F, F, A],
        ),
        // The question form's live preview: anyone who may write questions.
        api(
            "preview-question",
            form(&[("text", &"**Bold**"), ("explanation", &"E")]),
            [U, F, F, A, A, F, F, A],
        ),
        api("case", form(&[("id", &case)]), [U, N, A, A, A, N, A, N]),
        api("cases", form(&[("page", &1)]), [U, A, A, A, A, A, A, A]),
        api("home", vec![], [U, A, A, A, A, A, A, A]),
        api(
            "search",
            form(&[
                ("q", &"jaundice"),
                ("specialty", &""),
                ("mentor", &""),
                ("page", &1),
            ]),
            [U, A, A, A, A, A, A, A],
        ),
        // Images, consent, annotations.
        api(
            "case-media",
            form(&[("case_id", &case)]),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "case-image",
            form(&[("image_id", &image)]),
            [U, N, A, A, A, N, A, N],
        ),
        api(
            "save-annotations",
            form(&[("image_id", &image), ("annotations", &"[]")]),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "delete-image",
            form(&[("image_id", &w.spare_image)]),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "record-consent",
            form(&[
                ("case_id", &case),
                ("obtained", &"yes"),
                ("form_reference", &"CF-2026-114"),
                ("consent_date", &"2026-01-05"),
            ]),
            [U, F, F, F, A, F, F, F],
        ),
        // Mentors and specialties.
        api(
            "mentor",
            form(&[("id", &w.author_id)]),
            [U, A, A, A, A, A, A, A],
        ),
        api(
            "follow",
            form(&[("mentor_id", &w.author_id), ("follow", &true)]),
            [U, A, A, A, A, A, A, A],
        ),
        api(
            "follow-specialty",
            form(&[("specialty", &"general-surgery"), ("follow", &true)]),
            [U, A, A, A, A, A, A, A],
        ),
        api(
            "specialty",
            form(&[("slug", &"general-surgery")]),
            [U, A, A, A, A, A, A, A],
        ),
        // Discussion: readers of the case; the author (and site admins) moderate.
        api(
            "discussion",
            form(&[("case_id", &case)]),
            [U, N, A, A, A, N, A, N],
        ),
        api(
            "comment",
            form(&[("case_id", &case), ("body", &"Thank you.")]),
            [U, N, A, A, A, N, A, N],
        ),
        api(
            "hide-comment",
            form(&[("comment_id", &w.comment_to_hide)]),
            [U, F, F, F, A, F, F, A],
        ),
        api(
            "mark-answer",
            form(&[("comment_id", &w.comment_to_mark), ("answer", &true)]),
            [U, F, F, F, A, F, F, F],
        ),
        api("notifications", vec![], [U, A, A, A, A, A, A, A]),
        // Consults: the resident asks department A's pool; its mentor responds, its admin
        // routes; nobody else learns the consult exists.
        api("consults", vec![], [U, A, A, A, A, A, A, A]),
        api(
            "consult",
            form(&[("id", &w.consult)]),
            [U, N, A, A, N, N, A, N],
        ),
        // A draft to the pool: verified clinicians only (the site admin belongs nowhere).
        api(
            "consults/save",
            form(&[
                ("pool_id", &a),
                ("specialty", &"cardiology"),
                ("question", &"Is this ECG normal for his age?"),
            ]),
            [U, F, A, A, A, A, A, F],
        ),
        // Nothing of the draft there any more: a refusal beside the field, for its writer.
        api(
            "consults/override-finding",
            form(&[
                ("id", &w.consult_draft),
                ("kind", &"phone"),
                ("text", &"9876543210"),
                ("reason", &"The hospital's helpline, not the patient's."),
            ]),
            [U, N, A, N, N, N, N, N],
        ),
        consult_step(
            w,
            "consults/submit",
            |id| {
                form(&[
                    ("id", &id),
                    ("consent", &"yes"),
                    ("consent_method", &"verbal"),
                    ("consent_date", &"2026-11-01"),
                ])
            },
            [U, N, A, N, N, N, N, N],
        ),
        consult_step(
            w,
            "consults/accept",
            |id| form(&[("id", &id)]),
            [U, N, F, A, N, N, F, N],
        ),
        consult_step(
            w,
            "consults/cancel",
            |id| form(&[("id", &id)]),
            [U, N, A, F, N, N, F, N],
        ),
        consult_step(
            w,
            "consults/decline",
            |id| form(&[("id", &id), ("reason", &"On leave this week.")]),
            [U, N, F, A, N, N, F, N],
        ),
        consult_step(
            w,
            "consults/request-info",
            |id| form(&[("id", &id), ("body", &"Any earlier ECG?")]),
            [U, N, F, A, N, N, F, N],
        ),
        consult_step(
            w,
            "consults/answer",
            |id| {
                form(&[
                    ("id", &id),
                    ("impression", &"Early repolarisation."),
                    ("recommendations", &"Clinic review in a week."),
                    ("referral", &"no"),
                ])
            },
            [U, N, F, A, N, N, F, N],
        ),
        consult_step(
            w,
            "consults/provide-info",
            |id| form(&[("id", &id), ("body", &"Normal ECG last year.")]),
            [U, N, A, F, N, N, F, N],
        ),
        consult_step(
            w,
            "consults/follow-up",
            |id| form(&[("id", &id), ("body", &"And if the pain returns?")]),
            [U, N, A, F, N, N, F, N],
        ),
        consult_step(
            w,
            "consults/close",
            |id| {
                form(&[
                    ("id", &id),
                    ("useful", &5),
                    ("educational", &4),
                    ("outcome", &"referral_avoided"),
                ])
            },
            [U, N, A, F, N, N, F, N],
        ),
        consult_step(
            w,
            "consults/answer-follow-up",
            |id| form(&[("id", &id), ("body", &"Then refer the same day.")]),
            [U, N, F, A, N, N, F, N],
        ),
        // From consult to teaching case: the two doctors only; the pool's admin reads the
        // consult but takes no part; the proposer does not answer their own proposal.
        consult_step(
            w,
            "consults/propose-teaching",
            |id| form(&[("id", &id)]),
            [U, N, A, A, N, N, F, N],
        ),
        consult_step(
            w,
            "consults/agree-teaching",
            |id| form(&[("id", &id)]),
            [U, N, A, F, N, N, F, N],
        ),
        consult_step(
            w,
            "consults/decline-teaching",
            |id| form(&[("id", &id)]),
            [U, N, A, F, N, N, F, N],
        ),
        api(
            "consults/pool",
            form(&[("department_id", &a)]),
            [U, F, F, F, F, F, A, A],
        ),
        api(
            "consults/pool-settings",
            form(&[
                ("department_id", &a),
                ("accepting", &"yes"),
                ("routine_hours", &72),
                ("soon_hours", &24),
                ("ack_hours", &12),
            ]),
            [U, F, F, F, F, F, A, A],
        ),
        // Someone outside the department: refused beside the field, for the department's admin.
        api(
            "consults/pool-responder",
            form(&[
                ("department_id", &a),
                ("user_id", &w.bystander_id),
                ("add", &true),
            ]),
            [U, F, F, F, F, F, A, A],
        ),
        // The pool page: department admins see their own department's whatever they ask for.
        api(
            "consults/pool-page",
            form(&[("department", &a)]),
            [U, F, F, F, F, A, A, A],
        ),
        // Finding whom to ask: verified clinicians only, as consults are.
        api(
            "consults/find",
            form(&[("find", &"mentor")]),
            [U, F, A, A, A, A, A, F],
        ),
        api("notifications/read", vec![], [U, A, A, A, A, A, A, A]),
        // The module: its author edits it; readers other than the author take it.
        api(
            "quiz-editor",
            form(&[("case_id", &case)]),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "quiz-settings",
            quiz_settings(case),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "quiz-preview",
            form(&[("case_id", &case)]),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "quiz-question",
            form(&[("case_id", &case), ("question_id", &w.answered_question)]),
            [U, F, F, F, A, F, F, F],
        ),
        // A new question (editing one is in quiz_writing.rs): only the case's author.
        api(
            "quiz-save-question",
            form(&[
                ("case_id", &case),
                ("kind", &"true_false"),
                ("text", &"Is a broad QRS always VT?"),
                ("truth", &"false"),
            ]),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "quiz-import",
            form(&[("case_id", &case), ("gift", &TWO_QUESTION_GIFT)]),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "quiz-add-hotspot",
            form(&[
                ("case_id", &case),
                ("image_id", &image),
                ("text", &"Where is the dilated duct?"),
                ("explanation", &""),
                (
                    "regions",
                    &r#"[{"type":"rect","x":0.1,"y":0.1,"w":0.3,"h":0.2}]"#,
                ),
            ]),
            [U, F, F, F, A, F, F, F],
        ),
        // Answered: refused (learners' records stay), after the guard.
        api(
            "quiz-delete-question",
            form(&[("case_id", &case), ("question_id", &w.answered_question)]),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "quiz-move-question",
            form(&[
                ("case_id", &case),
                ("question_id", &w.spare_question),
                ("direction", &"up"),
            ]),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "quiz-duplicate-question",
            form(&[("case_id", &case), ("question_id", &w.spare_question)]),
            [U, F, F, F, A, F, F, F],
        ),
        // The question bank: a mentor's own; another's questions are not found.
        api("quiz-bank", form(&[]), [U, F, F, A, A, F, F, A]),
        api(
            "quiz-bank-tags",
            form(&[("question_id", &w.spare_question), ("tags", &"ECG")]),
            [U, F, F, N, A, F, F, N],
        ),
        api(
            "quiz-bank-add",
            form(&[("case_id", &case), ("question_id", &w.spare_question)]),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "quiz-bank-delete",
            form(&[("question_id", &w.spare_question)]),
            [U, F, F, N, A, F, F, N],
        ),
        api(
            "quiz-retire-question",
            form(&[("case_id", &case), ("question_id", &w.spare_question)]),
            [U, F, F, F, A, F, F, F],
        ),
        api(
            "quiz",
            form(&[("case_id", &case)]),
            [U, N, A, A, A, N, A, N],
        ),
        // Attempts are private to the learner.
        api(
            "attempt-question",
            form(&[("attempt_id", &attempt), ("number", &1)]),
            [U, N, A, N, N, N, N, N],
        ),
        api(
            "attempt-result",
            form(&[("attempt_id", &attempt)]),
            [U, N, A, N, N, N, N, N],
        ),
        // CME.
        api(
            "evaluate-activity",
            form(&[
                ("attempt_id", &attempt),
                ("relevance", &"5"),
                ("quality", &"4"),
                ("practice_change", &"will_change"),
                ("comments", &"Useful."),
            ]),
            [U, N, A, N, N, N, N, N],
        ),
        api("cme", vec![], [U, A, A, A, A, A, A, A]),
        api(
            "cme-profile",
            form(&[("profile_id", &profile_id), ("cycle_start", &"2025-04-01")]),
            [U, A, A, A, A, A, A, A],
        ),
        api("cme-profiles", vec![], [U, A, A, A, A, A, A, A]),
        api("cme-profile-edit", profile_form, [U, F, F, F, F, F, F, A]),
        // The public verification page's data.
        api("certificate", form(&[("id", &certificate)]), [P; 8]),
        api(
            "revoke-certificate",
            form(&[("id", &certificate), ("reason", &"Issued in error")]),
            [U, F, F, F, F, F, A, A],
        ),
        api(
            "decide-claim",
            form(&[
                ("claim_id", &claim),
                ("decision", &"approve"),
                ("reason", &""),
            ]),
            [U, F, F, F, F, F, A, A],
        ),
        // The department dashboard is for department admins only.
        api(
            "department/dashboard",
            form(&[("role", &""), ("status", &"")]),
            [U, F, F, F, F, A, A, F],
        ),
        // Department B cannot read A's module: "not found", as its case would be.
        api(
            "department/assign",
            form(&[
                ("case_id", &case),
                ("assignee", &"residents"),
                ("due_on", &"2030-01-31"),
            ]),
            [U, F, F, F, F, N, A, F],
        ),
        // Plain routes.
        route(Method::GET, "/healthz", get("/healthz".into()), [P; 8]),
        route(Method::GET, "/readyz", get("/readyz".into()), [P; 8]),
        // Not public: without a configured token (as here) there is no such page; with one,
        // only its bearer gets an answer (tests/integration/metrics.rs).
        route(Method::GET, "/metrics", get("/metrics".into()), [N; 8]),
        route(
            Method::POST,
            "/cases/{id}/images",
            move |_| Call::Upload(case),
            [U, F, F, F, A, F, F, F],
        ),
        route(
            Method::GET,
            "/media/images/{id}/{size}",
            get(format!("/media/images/{image}/display")),
            [U, N, A, A, A, N, A, N],
        ),
        // Only the writer of a draft adds images to it; to everyone else it does not exist.
        route(
            Method::POST,
            "/consults/{id}/images",
            move |_| Call::ConsultUpload(consult_image_draft),
            [U, N, A, N, N, N, N, N],
        ),
        // An image on the consult waiting in A's pool: its readers are the consult's.
        route(
            Method::GET,
            "/media/consult-images/{id}/{size}",
            get(format!("/media/consult-images/{consult_image}/display")),
            [U, N, A, A, N, N, A, N],
        ),
        route(
            Method::POST,
            "/quiz/{case_id}/start",
            post(format!("/quiz/{case}/start"), vec![]),
            [U, N, A, A, F, N, A, N],
        ),
        // The attempt is submitted: the answer is refused, after the guard.
        route(
            Method::POST,
            "/quiz/attempts/{id}/answer",
            post(
                format!("/quiz/attempts/{attempt}/answer"),
                form(&[
                    ("question_id", &w.answered_question),
                    ("number", &1),
                    ("choice", &0),
                ]),
            ),
            [U, N, A, N, N, N, N, N],
        ),
        route(
            Method::POST,
            "/quiz/attempts/{id}/submit",
            post(format!("/quiz/attempts/{attempt}/submit"), vec![]),
            [U, N, A, N, N, N, N, N],
        ),
        // The module's questions as files, in and out: its author only, as the editor.
        route(
            Method::GET,
            "/cases/{id}/quiz/export.xml",
            get(format!("/cases/{case}/quiz/export.xml")),
            [U, F, F, F, A, F, F, F],
        ),
        route(
            Method::GET,
            "/cases/{id}/quiz/export.gift",
            get(format!("/cases/{case}/quiz/export.gift")),
            [U, F, F, F, A, F, F, F],
        ),
        route(
            Method::POST,
            "/cases/{id}/quiz/import",
            move |_| Call::QuizFile(case),
            [U, F, F, F, A, F, F, F],
        ),
        // The holder's certificate; anyone can check it on the verification page instead.
        route(
            Method::GET,
            "/certificates/{id}/pdf",
            get(format!("/certificates/{}/pdf", w.certificate)),
            [U, N, A, N, N, N, N, A],
        ),
        route(
            Method::GET,
            "/certificates/{id}/badge.json",
            get(format!("/certificates/{}/badge.json", w.certificate)),
            [P; 8],
        ),
        // What a verifier outside Corridor fetches: public, like the verification page.
        route(
            Method::GET,
            "/certificates/{id}/badge.jwt",
            get(format!("/certificates/{}/badge.jwt", w.certificate)),
            [P; 8],
        ),
        route(Method::GET, "/issuer", get("/issuer".into()), [P; 8]),
        route(
            Method::GET,
            "/issuer/jwks.json",
            get("/issuer/jwks.json".into()),
            [P; 8],
        ),
        route(
            Method::GET,
            "/status/{list}",
            get("/status/1".into()),
            [P; 8],
        ),
        route(
            Method::POST,
            "/cme/claims",
            |_| Call::Claim,
            [U, A, A, A, A, A, A, A],
        ),
        route(
            Method::GET,
            "/cme/claims/{id}/file",
            get(format!("/cme/claims/{claim}/file")),
            [U, N, A, N, N, N, A, A],
        ),
        route(
            Method::GET,
            "/cme/ledger.csv",
            get("/cme/ledger.csv".into()),
            [U, A, A, A, A, A, A, A],
        ),
        route(
            Method::GET,
            "/department/dashboard.csv",
            get("/department/dashboard.csv".into()),
            [U, F, F, F, F, A, A, F],
        ),
        // Department admins export their own department's log.
        route(
            Method::GET,
            "/admin/audit.csv",
            get("/admin/audit.csv".into()),
            [U, F, F, F, F, A, A, A],
        ),
        route(
            Method::GET,
            "/department/consults.csv",
            get(format!("/department/consults.csv?department={a}")),
            [U, F, F, F, F, A, A, A],
        ),
        route(
            Method::GET,
            "/department/ledger.csv",
            get("/department/ledger.csv".into()),
            [U, F, F, F, F, A, A, F],
        ),
    ]
}

/// Every server function the app registers, as (method, path).
fn server_functions() -> BTreeSet<(String, String)> {
    server_fn::axum::server_fn_paths()
        .map(|(path, method)| (method.to_string(), path.to_owned()))
        .collect()
}

/// Every plain route, as (method, pattern), read from the `.route(` calls in the sources of
/// the server and the app; a `.route(` whose path is not a string literal, or whose method
/// cannot be told, is a problem to fix here.
fn plain_routes(problems: &mut Vec<String>) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for dir in [
        concat!(env!("CARGO_MANIFEST_DIR"), "/src"),
        concat!(env!("CARGO_MANIFEST_DIR"), "/../app/src"),
    ] {
        for file in rust_files(std::path::Path::new(dir)) {
            let text = std::fs::read_to_string(&file).expect("source readable");
            let mut from = 0;
            while let Some(at) = text[from..].find(".route(") {
                let start = from + at + ".route(".len();
                from = start;
                let line = text[..start].lines().count();
                let place = format!("{}:{line}", file.display());
                let args = &text[start..start + call_length(&text[start..])];
                let trimmed = args.trim_start();
                let Some(rest) = trimmed.strip_prefix('"') else {
                    problems.push(format!("{place}: `.route(` without a string literal path"));
                    continue;
                };
                let Some(end) = rest.find('"') else {
                    problems.push(format!("{place}: unterminated route path"));
                    continue;
                };
                let path = &rest[..end];
                let methods = methods_in(&rest[end + 1..]);
                if methods.is_empty() {
                    problems.push(format!("{place}: no get(…)/post(…) handler for {path}"));
                }
                for method in methods {
                    found.insert((method.to_owned(), path.to_owned()));
                }
            }
        }
    }
    found
}

fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The length of a call's arguments, up to (not including) its closing parenthesis.
fn call_length(args: &str) -> usize {
    let mut depth = 0;
    let mut in_string = false;
    let mut previous = ' ';
    for (i, c) in args.char_indices() {
        match c {
            '"' if previous != '\\' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string && depth == 0 => return i,
            ')' if !in_string => depth -= 1,
            _ => {}
        }
        previous = c;
    }
    args.len()
}

/// The HTTP methods of axum's method routers (`get(…)`, `post(…)`…) in a route's arguments.
fn methods_in(args: &str) -> Vec<&'static str> {
    let mut methods = Vec::new();
    for (name, method) in [
        ("get(", "GET"),
        ("post(", "POST"),
        ("put(", "PUT"),
        ("patch(", "PATCH"),
        ("delete(", "DELETE"),
    ] {
        let mut from = 0;
        while let Some(at) = args[from..].find(name) {
            let i = from + at;
            let before = args[..i].chars().next_back().unwrap_or(' ');
            if !(before.is_alphanumeric() || before == '_' || before == '.') {
                methods.push(method);
            }
            from = i + name.len();
        }
    }
    methods
}

fn snippet(body: &str) -> String {
    let flat: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let short: String = flat.trim().chars().take(100).collect();
    if short.len() < flat.trim().len() {
        format!("{short}…")
    } else {
        short
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn every_endpoint_answers_each_role_as_the_rules_say(pool: PgPool) {
    let started = std::time::Instant::now();
    let world = World::new(pool).await;
    let set_up = started.elapsed();
    let rows = rows(&world);

    // Coverage: exactly one row per endpoint, and no row for an endpoint that is gone.
    let mut problems = Vec::new();
    let mut endpoints = server_functions();
    endpoints.extend(plain_routes(&mut problems));
    let mut seen = BTreeSet::new();
    for row in &rows {
        let key = (row.method.to_string(), row.path.clone());
        if !seen.insert(key.clone()) {
            problems.push(format!("two rows for {} {}", key.0, key.1));
        }
        if !endpoints.contains(&key) {
            problems.push(format!(
                "row for {} {}, which is neither a server function nor a route",
                key.0, key.1
            ));
        }
        let public = row.expect.iter().filter(|e| **e == P).count();
        if public != 0 && public != 8 {
            problems.push(format!(
                "{} {}: `P` is for rows public to everyone; use `A` per caller",
                key.0, key.1
            ));
        }
    }
    for (method, path) in endpoints.difference(&seen) {
        problems.push(format!(
            "no row for {method} {path}: add it to the matrix with the status each caller gets"
        ));
    }

    // Every caller calls every endpoint. `CORRIDOR_MATRIX_VERBOSE=1` (with `--nocapture`)
    // prints every status and each row's time.
    let verbose = std::env::var_os("CORRIDOR_MATRIX_VERBOSE").is_some();
    let mut mismatches = Vec::new();
    let mut calls = 0;
    for row in &rows {
        // Refused callers first: an allowed call may use up its target (a revoked
        // certificate, a deleted image), and a refusal must not be mistaken for that.
        let mut callers = Who::ALL;
        callers.sort_by_key(|who| matches!(row.expect[*who as usize], A | P));
        let row_started = std::time::Instant::now();
        let mut statuses = [0u16; 8];
        for who in callers {
            let expect = row.expect[who as usize];
            let reply = world.call(row, who).await;
            calls += 1;
            let status = reply.status.as_u16();
            statuses[who as usize] = status;
            if !expect.met_by(status) {
                mismatches.push((
                    format!("{} {}", row.method, row.path),
                    who.label(),
                    expect.label(),
                    status,
                    snippet(&reply.body),
                ));
            }
        }
        if verbose {
            println!(
                "  {:<40} {} {:>5} ms",
                format!("{} {}", row.method, row.path),
                statuses.map(|s| format!("{s:>4}")).join(""),
                row_started.elapsed().as_millis()
            );
        }
    }
    println!(
        "role × endpoint matrix: {} rows ({} server functions, {} plain routes), {calls} calls; \
         set-up {:.1} s, total {:.1} s",
        rows.len(),
        rows.iter().filter(|r| r.path.starts_with("/api/")).count(),
        rows.iter().filter(|r| !r.path.starts_with("/api/")).count(),
        set_up.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );

    if problems.is_empty() && mismatches.is_empty() {
        return;
    }
    let mut report = String::new();
    for problem in &problems {
        let _ = writeln!(report, "  {problem}");
    }
    if !mismatches.is_empty() {
        let _ = writeln!(
            report,
            "\n  {:<40} {:<20} {:<9} {:<4} body",
            "endpoint", "caller", "expected", "got"
        );
        for (endpoint, who, expected, got, body) in &mismatches {
            let _ = writeln!(
                report,
                "  {endpoint:<40} {who:<20} {expected:<9} {got:<4} {body}"
            );
        }
    }
    panic!(
        "role × endpoint matrix: {} coverage problems, {} mismatches\n{report}",
        problems.len(),
        mismatches.len()
    );
}
