use crate::common::{CaseForm, Client, TestApp};
use app::accounts::Role;
use app::cases::Preview;
use app::error::AppError;
use sqlx::PgPool;

/// 11 digits and their Verhoeff check digit: a well-formed Aadhaar-like number.
fn aadhaar_like() -> String {
    let first = "49731823456";
    let digits: Vec<u8> = first.bytes().map(|b| b - b'0').collect();
    format!("{first}{}", app::privacy::verhoeff_check_digit(&digits))
}

async fn status(pool: &PgPool, id: i64) -> String {
    sqlx::query_scalar("select status::text from cases where id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

fn case_form<'a>(id: Option<i64>, body: &'a str, intent: &'a str) -> CaseForm<'a> {
    CaseForm {
        id,
        title: "Fever with rash",
        specialty: "dermatology",
        summary: "A teaching case.",
        body: Some(body),
        intent: Some(intent),
        ..CaseForm::default()
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn publishing_is_blocked_by_findings_and_the_draft_is_kept(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, _) = app
        .user_with_role("m@example.in", "Dr. M", Role::Mentor)
        .await;
    let aadhaar = aadhaar_like();
    let body = format!("Seen on day 2. Aadhaar {aadhaar} was on the referral slip.");
    let err = app
        .save_case(&mut mentor, case_form(None, &body, "publish"))
        .await
        .error();
    let AppError::PrivacyBlocked { case_id, findings } = err else {
        panic!("expected a privacy block, got {err:?}");
    };
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].kind, app::privacy::FindingKind::Aadhaar);
    assert_eq!(findings[0].field, "body");
    assert_eq!(findings[0].text, aadhaar);
    // Nothing typed is lost: the case is saved as a draft, and not published.
    assert_eq!(status(&pool, case_id).await, "draft");
    let stored: String = sqlx::query_scalar("select body_md from cases where id = $1")
        .bind(case_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, body);

    // publish-case is guarded the same way.
    let err = app.publish_case(&mut mentor, case_id).await.error();
    assert!(matches!(err, AppError::PrivacyBlocked { .. }), "{err:?}");

    // Fixed: it publishes.
    let id = Some(case_id);
    app.save_case(
        &mut mentor,
        case_form(id, "Seen on day 2. ID details removed.", "publish"),
    )
    .await
    .ok();
    assert_eq!(status(&pool, case_id).await, "published");

    // A published case cannot take an identifier in a later edit either.
    let err = app
        .save_case(
            &mut mentor,
            case_form(id, "Call 9876543210 for details", "draft"),
        )
        .await
        .error();
    assert!(matches!(err, AppError::PrivacyBlocked { .. }), "{err:?}");
    let stored: String = sqlx::query_scalar("select body_md from cases where id = $1")
        .bind(case_id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        stored, "Seen on day 2. ID details removed.",
        "readers never see the blocked text"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_override_needs_a_reason_and_is_recorded(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, mentor_id) = app
        .user_with_role("m@example.in", "Dr. M", Role::Mentor)
        .await;
    let (mut other, _) = app
        .user_with_role("o@example.in", "Dr. O", Role::Mentor)
        .await;
    let body = "The helpline 9876543210 of the poison centre is worth saving.";
    let err = app
        .save_case(&mut mentor, case_form(None, body, "publish"))
        .await
        .error();
    let AppError::PrivacyBlocked { case_id, findings } = err else {
        panic!("{err:?}")
    };
    let kind = findings[0].kind.as_str();
    let text = findings[0].text.clone();

    let short = app
        .override_finding(&mut mentor, case_id, kind, &text, "ok")
        .await
        .error();
    assert!(short.field_errors().unwrap().get("reason").is_some());
    let not_author = app
        .override_finding(
            &mut other,
            case_id,
            kind,
            &text,
            "Public helpline number, not the patient's",
        )
        .await
        .error();
    assert_eq!(not_author, AppError::Forbidden);
    let absent = app
        .override_finding(
            &mut mentor,
            case_id,
            "phone",
            "9123456780",
            "Public helpline number, not the patient's",
        )
        .await
        .error();
    assert!(absent.field_errors().is_some());

    app.override_finding(
        &mut mentor,
        case_id,
        kind,
        &text,
        "Public helpline number, not the patient's",
    )
    .await
    .ok();
    let (reason, by): (String, i64) =
        sqlx::query_as("select reason, recorded_by from privacy_overrides where case_id = $1")
            .bind(case_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (reason.as_str(), by),
        ("Public helpline number, not the patient's", mentor_id)
    );

    app.publish_case(&mut mentor, case_id).await.ok();
    assert_eq!(status(&pool, case_id).await, "published");
}

#[sqlx::test(migrations = "../migrations")]
async fn preview_reports_findings_as_you_write(pool: PgPool) {
    let app = TestApp::new(pool).await;
    let (mut mentor, _) = app
        .user_with_role("m@example.in", "Dr. M", Role::Mentor)
        .await;
    let preview: Preview = app
        .preview_case(
            &mut mentor,
            "S/o Ramesh Kumar",
            "Hb 7.2 g/dL",
            "**UHID: 2024/001234**",
        )
        .await
        .json();
    assert!(preview.html.contains("<strong>"));
    let found: Vec<(&str, &str)> = preview
        .findings
        .iter()
        .map(|f| (f.field.as_str(), f.kind.as_str()))
        .collect();
    assert_eq!(
        found,
        [("title", "relational_name"), ("body", "record_number")]
    );
    assert_eq!(
        app.preview_case(&mut Client::default(), "", "", "")
            .await
            .error(),
        AppError::Unauthenticated
    );
}
