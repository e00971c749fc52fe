//! The setup several tests share: departments and the people in them, published cases, case
//! modules and attempts at them, CME credit.

use app::accounts::db::add_department;
use app::accounts::Role;
use app::media::store::fixtures::jpeg_with_exif;
use axum::http::StatusCode;
use sqlx::PgPool;

use super::{CaseForm, Client, QuizSettings, TestApp};

/// A two-question module, both single-best-answer with the right answer first.
pub const TWO_QUESTION_GIFT: &str = "::One:: Courvoisier's sign suggests? {=Periampullary cancer ~Gallstones}\n\n::Two:: Peaked T waves mean? {=Hyperkalaemia ~Hypokalaemia}\n";

/// Two single-best-answer questions in Moodle XML, as Moodle exports them (with a category).
pub const TWO_QUESTION_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Surgery</text></category></question>
  <question type="multichoice">
    <name><text>One</text></name>
    <questiontext format="html"><text><![CDATA[<p>Courvoisier's sign suggests?</p>]]></text></questiontext>
    <single>true</single>
    <answer fraction="100" format="html"><text>Periampullary cancer</text></answer>
    <answer fraction="0" format="html"><text>Gallstones</text></answer>
  </question>
  <question type="multichoice">
    <name><text>Two</text></name>
    <questiontext format="html"><text><![CDATA[<p>Peaked T waves mean?</p>]]></text></questiontext>
    <single>true</single>
    <answer fraction="100" format="html"><text>Hyperkalaemia</text></answer>
    <answer fraction="0" format="html"><text>Hypokalaemia</text></answer>
  </question>
</quiz>
"#;

/// The sample module: single best answer, multiple response, true/false, short answer, and an
/// essay (which the import skips).
pub const SAMPLE_GIFT: &str = "::Courvoisier:: A jaundiced man has a palpable, non-tender gallbladder. Likeliest cause? {\n=Carcinoma of the head of pancreas#Courvoisier's law.\n~Gallstones in the CBD#Stones leave a fibrosed gallbladder.\n~Hepatitis A\n####Think periampullary cancer.\n}\n\n::SJS:: Which commonly cause SJS in India? {~%50%Carbamazepine ~%50%Allopurinol ~%-100%Vitamin D}\n\n::TF:: Peaked T waves come before QRS widening. {TRUE#Think again.#Right.}\n\n::Sign:: Name the sign. {=Courvoisier's sign =Courvoisier sign}\n\n::Essay:: Describe your approach. {}\n";

/// A department `name` of `institution` (created if new); returns the department's id.
pub async fn department(pool: &PgPool, institution: &str, name: &str) -> i64 {
    add_department(pool, institution, None, name)
        .await
        .expect("department added")
}

/// Sahyadri College with a surgery and a medicine department and, given a `domain`, that
/// e-mail domain; returns (surgery, medicine).
pub async fn institution(pool: &PgPool, domain: Option<&str>) -> (i64, i64) {
    let surgery = department(pool, "Sahyadri College", "Surgery").await;
    let medicine = department(pool, "Sahyadri College", "Medicine").await;
    if let Some(domain) = domain {
        sqlx::query(
            "insert into institution_domains (domain, institution_id)
             select $1, institution_id from departments where id = $2",
        )
        .bind(domain)
        .bind(surgery)
        .execute(pool)
        .await
        .unwrap();
    }
    (surgery, medicine)
}

/// The institution `department` belongs to.
pub async fn institution_of(pool: &PgPool, department: i64) -> i64 {
    sqlx::query_scalar("select institution_id from departments where id = $1")
        .bind(department)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Makes the user a member of the department (nothing else about them changes).
pub async fn place(pool: &PgPool, user_id: i64, department_id: i64) {
    sqlx::query("update users set department_id = $2 where id = $1")
        .bind(user_id)
        .bind(department_id)
        .execute(pool)
        .await
        .unwrap();
}

/// Makes the user a member of the department with a verified e-mail address.
pub async fn place_verified(pool: &PgPool, user_id: i64, department_id: i64) {
    sqlx::query("update users set department_id = $2, email_verified_at = now() where id = $1")
        .bind(user_id)
        .bind(department_id)
        .execute(pool)
        .await
        .unwrap();
}

/// Makes the user a member of the department with a (self-declared) council registration
/// number, MMC-2019-04411, as certificates print it.
pub async fn place_registered(pool: &PgPool, user_id: i64, department_id: i64) {
    sqlx::query(
        "update users set department_id = $2, registration_number = 'MMC-2019-04411' where id = $1",
    )
    .bind(user_id)
    .bind(department_id)
    .execute(pool)
    .await
    .unwrap();
}

/// Makes the user a site admin (the web refuses to make one).
pub async fn make_site_admin(pool: &PgPool, user_id: i64) {
    sqlx::query("update users set role = 'site_admin' where id = $1")
        .bind(user_id)
        .execute(pool)
        .await
        .unwrap();
}

/// Publishes a short general-surgery case readable by `visibility` (`all`, `institution`,
/// `department`); returns its id.
pub async fn publish_for(app: &TestApp, mentor: &mut Client, title: &str, visibility: &str) -> i64 {
    let case = CaseForm {
        title,
        summary: "s",
        body: Some("b"),
        visibility: Some(visibility),
        intent: Some("publish"),
        ..CaseForm::default()
    };
    app.create_case(mentor, case).await
}

/// Uploads a JPEG (with EXIF tags) of `size` as a script would; returns the new image's id.
pub async fn upload_photo(
    app: &TestApp,
    client: &mut Client,
    case_id: i64,
    (filename, (width, height)): (&str, (u32, u32)),
    alt_text: &str,
) -> i64 {
    let photo = jpeg_with_exif(width, height);
    let reply = app
        .upload(
            client,
            case_id,
            (filename, "image/jpeg", &photo),
            alt_text,
            true,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.created_id()
}

/// Gives the case a module: imports `gift` and saves `settings`, both of which must succeed.
pub async fn add_module(
    app: &TestApp,
    mentor: &mut Client,
    case_id: i64,
    gift: &str,
    settings: QuizSettings<'_>,
) {
    app.quiz_import(mentor, case_id, gift).await.ok();
    app.quiz_settings(mentor, case_id, settings).await.ok();
}

/// A mentor with a published case carrying the sample module (pass at 75 %, feedback after
/// each question, two attempts, 1 point) changed by `settings`; returns (mentor, case id).
pub async fn case_with_module(
    app: &TestApp,
    settings: impl FnOnce(QuizSettings<'static>) -> QuizSettings<'static>,
) -> (Client, i64) {
    let (mut mentor, _) = app
        .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let case_id = app
        .create_case(
            &mut mentor,
            CaseForm::publish("Painless jaundice", "Palpable gallbladder."),
        )
        .await;
    let skipped: Vec<String> = app
        .quiz_import(&mut mentor, case_id, SAMPLE_GIFT)
        .await
        .json();
    assert_eq!(skipped.len(), 1, "the essay is skipped: {skipped:?}");
    assert!(skipped[0].contains("essay"));
    let sample = QuizSettings {
        pass_mark: "75",
        feedback_mode: "each",
        attempts_allowed: "2",
        credit_amount: "1",
        credit_type: "points",
        time_limit_minutes: "",
    };
    app.quiz_settings(&mut mentor, case_id, settings(sample))
        .await
        .ok();
    (mentor, case_id)
}

/// Every question placed in a module (retired ones too), in module order.
pub async fn question_ids(pool: &PgPool) -> Vec<i64> {
    sqlx::query_scalar(
        "select question_id from quiz_module_questions order by quiz_id, position, id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// Starts (or resumes) an attempt at the case's module; returns the attempt's id.
pub async fn start(app: &TestApp, client: &mut Client, case_id: i64) -> i64 {
    let value: serde_json::Value = app.start_quiz(client, case_id).await.json();
    value["attempt_id"].as_i64().expect("an attempt id")
}

/// Submits the attempt; returns its result (`score`, `passed`).
pub async fn submit(app: &TestApp, client: &mut Client, attempt: i64) -> serde_json::Value {
    app.submit_attempt(client, attempt).await.json()
}

/// Takes a module of single-best-answer questions whose right answer is the first option:
/// `right` answers every question correctly, otherwise wrongly. Returns (attempt id, passed).
pub async fn take(app: &TestApp, client: &mut Client, case_id: i64, right: bool) -> (i64, bool) {
    let attempt = start(app, client, case_id).await;
    for id in question_ids(&app.pool).await {
        let choice = if right { "0" } else { "1" };
        app.answer(client, attempt, id, &[("choice", choice)])
            .await
            .ok();
    }
    let result = submit(app, client, attempt).await;
    (attempt, result["passed"].as_bool().unwrap())
}

/// The user's CME credit: the sum of their ledger.
pub async fn ledger_total(pool: &PgPool, user_id: i64) -> f64 {
    sqlx::query_scalar("select coalesce(sum(amount), 0)::float8 from cme_ledger where user_id = $1")
        .bind(user_id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The id of the council's CME profile (one of those the migrations add).
pub async fn council(pool: &PgPool, name: &str) -> i64 {
    sqlx::query_scalar("select id from cme_profiles where name = $1")
        .bind(name)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A surgery department with a mentor's published case module worth 1 point (pass at 100 %),
/// a resident and the department's admin.
pub struct World {
    pub app: TestApp,
    pub case_id: i64,
    pub resident: Client,
    pub resident_id: i64,
    pub admin: Client,
    pub dept: i64,
    /// The module's author.
    pub mentor: Client,
}

pub async fn world(pool: PgPool) -> World {
    world_in(TestApp::new(pool).await).await
}

/// The world, on a test app of one's own.
pub async fn world_in(app: TestApp) -> World {
    let pool = app.pool.clone();
    let dept = department(&pool, "Sahyadri Medical College", "Surgery").await;
    let (mut mentor, mentor_id) = app
        .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    place_registered(&pool, mentor_id, dept).await;
    let case_id = app
        .create_case(
            &mut mentor,
            CaseForm::publish("Painless jaundice", "Palpable gallbladder."),
        )
        .await;
    let settings = QuizSettings {
        pass_mark: "100",
        ..QuizSettings::default()
    };
    add_module(&app, &mut mentor, case_id, TWO_QUESTION_GIFT, settings).await;
    let (resident, resident_id) = app.register("res@example.in", "Dr. Priya Menon").await;
    place_registered(&pool, resident_id, dept).await;
    let (admin, admin_id) = app
        .user_with_role("admin@example.in", "Dr. Dept Admin", Role::DepartmentAdmin)
        .await;
    place_registered(&pool, admin_id, dept).await;
    World {
        app,
        case_id,
        resident,
        resident_id,
        admin,
        dept,
        mentor,
    }
}
