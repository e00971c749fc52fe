//! Changes to a case readers already see: image texts pass the privacy guard, an image waits
//! for consent, and an edit after peer approval goes back to review.

use crate::common::fixtures::{department, place, upload_photo};
use crate::common::{CaseForm, Client, Consent, RefusedForm, TestApp};
use app::accounts::Role;
use app::cases::CaseDetail;
use app::error::AppError;
use app::media::store::fixtures::jpeg_with_exif;
use app::privacy::FindingKind;
use axum::http::StatusCode;
use sqlx::PgPool;

async fn image_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from case_images")
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn review_status(pool: &PgPool, case_id: i64) -> String {
    sqlx::query_scalar("select review_status::text from cases where id = $1")
        .bind(case_id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Uploads a photograph as a script would; returns the new image's id.
async fn upload(app: &TestApp, mentor: &mut Client, case_id: i64, alt_text: &str) -> i64 {
    upload_photo(app, mentor, case_id, ("p.jpg", (400, 300)), alt_text).await
}

async fn record_consent(app: &TestApp, mentor: &mut Client, case_id: i64) {
    app.record_consent(mentor, Consent::on_file(case_id))
        .await
        .ok();
}

const PHONE_NOTE: &str = r#"[{"shape":{"type":"label","x":0.1,"y":0.1},"text":"Lesion","note":"Call relative on 98450 12345"}]"#;
const CLEAN_NOTE: &str =
    r#"[{"shape":{"type":"label","x":0.1,"y":0.1},"text":"Lesion","note":"Apical pleural line"}]"#;

#[sqlx::test(migrations = "../migrations")]
async fn image_texts_added_to_a_published_case_pass_the_privacy_guard(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, _) = app
        .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let case_id = app
        .create_case(
            &mut mentor,
            CaseForm::publish("Pneumothorax", "Tracheal deviation."),
        )
        .await;
    record_consent(&app, &mut mentor, case_id).await;

    // A script gets the findings, as when publishing; nothing is stored.
    let photo = jpeg_with_exif(400, 300);
    let err = app
        .upload(
            &mut mentor,
            case_id,
            ("p.jpg", "image/jpeg", &photo),
            "Chest X-ray; patient's son 98450 12345",
            true,
        )
        .await
        .error();
    let AppError::PrivacyBlocked {
        case_id: blocked,
        findings,
    } = err
    else {
        panic!("expected a privacy block, got {err:?}");
    };
    assert_eq!(blocked, case_id);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].field, "alt_text");
    assert_eq!(findings[0].kind, FindingKind::Phone);
    assert_eq!(image_count(&pool).await, 0);

    // Without JavaScript: back to the form, the problem beside the field, the number not in the
    // URL.
    let reply = app
        .upload(
            &mut mentor,
            case_id,
            ("p.jpg", "image/jpeg", &photo),
            "Chest X-ray; patient's son 98450 12345",
            false,
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let location = reply.headers["location"].to_str().unwrap();
    let refused = RefusedForm::from_location(location);
    assert_eq!(
        refused.page,
        format!("/cases/{case_id}/images"),
        "{location}"
    );
    let message = refused
        .field("alt_text")
        .expect("message beside the description");
    assert!(message.contains("Phone number"), "{message}");
    assert!(!refused.query.contains("98450"), "{location}");
    assert!(
        !format!("{:?}", refused.error).contains("98450"),
        "{location}"
    );
    assert_eq!(image_count(&pool).await, 0);

    // A clean image is added; then its annotations pass the guard too.
    let image_id = upload(&app, &mut mentor, case_id, "Chest X-ray, PA view").await;
    let err = app
        .save_annotations(&mut mentor, image_id, PHONE_NOTE)
        .await
        .error();
    let AppError::PrivacyBlocked { findings, .. } = err else {
        panic!("expected a privacy block, got {err:?}");
    };
    assert_eq!(findings[0].field, "annotations");
    assert_eq!(findings[0].kind, FindingKind::Phone);
    let stored: serde_json::Value =
        sqlx::query_scalar("select annotations from case_images where id = $1")
            .bind(image_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored, serde_json::json!([]));
    app.save_annotations(&mut mentor, image_id, CLEAN_NOTE)
        .await
        .ok();

    // A draft is checked when it is published, not while it is written.
    let draft = app
        .create_case(&mut mentor, CaseForm::draft("Draft case", "Notes."))
        .await;
    let draft_image = upload(&app, &mut mentor, draft, "Scan; ward phone 98450 12345").await;
    app.save_annotations(&mut mentor, draft_image, PHONE_NOTE)
        .await
        .ok();
}

#[sqlx::test(migrations = "../migrations")]
async fn an_image_added_without_consent_waits_until_consent_is_recorded(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, _) = app
        .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    // Published without images, so no consent was needed.
    let case_id = app
        .create_case(
            &mut mentor,
            CaseForm::publish("Pneumothorax", "Tracheal deviation."),
        )
        .await;
    let image_id = upload(&app, &mut mentor, case_id, "Chest X-ray, PA view").await;

    // Readers see neither the file nor the image on the case; the author sees both.
    for size in ["display", "thumb"] {
        let (status, _, _) = app
            .get_bytes(&resident, &format!("/media/images/{image_id}/{size}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let detail: CaseDetail = app.case(&mut resident, case_id).await.json();
    assert!(detail.images.is_empty());
    let err = app.case_image(&mut resident, image_id).await.error();
    assert_eq!(err, AppError::NotFound);
    let page = app.get(&mut resident, &format!("/cases/{case_id}")).await;
    assert!(!page.body.contains(&format!("/media/images/{image_id}/")));

    let (status, _, _) = app
        .get_bytes(&mentor, &format!("/media/images/{image_id}/display"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let detail: CaseDetail = app.case(&mut mentor, case_id).await.json();
    assert_eq!(detail.images.len(), 1);

    // Consent recorded: readers get it.
    record_consent(&app, &mut mentor, case_id).await;
    let (status, headers, _) = app
        .get_bytes(&resident, &format!("/media/images/{image_id}/display"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "private, no-cache");
    let detail: CaseDetail = app.case(&mut resident, case_id).await.json();
    assert_eq!(detail.images.len(), 1);
    app.case_image(&mut resident, image_id).await.ok();
}

#[sqlx::test(migrations = "../migrations")]
async fn a_change_after_peer_approval_sends_the_case_back_to_review(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let surgery = department(&pool, "KEM Hospital", "Surgery").await;
    sqlx::query("update departments set peer_review = true where id = $1")
        .bind(surgery)
        .execute(&pool)
        .await
        .unwrap();
    let (mut author, author_id) = app
        .user_with_role("a@example.in", "Dr. Author", Role::Mentor)
        .await;
    let (mut reviewer, reviewer_id) = app
        .user_with_role("r@example.in", "Dr. Reviewer", Role::Mentor)
        .await;
    let (mut resident, resident_id) = app.register("res@example.in", "Dr. Resident").await;
    for user in [author_id, reviewer_id, resident_id] {
        place(&pool, user, surgery).await;
    }
    let case_id = app
        .create_case(
            &mut author,
            CaseForm::publish("Sigmoid volvulus", "Coffee-bean sign."),
        )
        .await;
    assert_eq!(review_status(&pool, case_id).await, "pending");
    app.approve_case(&mut reviewer, case_id).await.ok();
    assert_eq!(review_status(&pool, case_id).await, "approved");
    app.case(&mut resident, case_id).await.ok();

    // The author edits the published text: it waits for review again, hidden from readers.
    let edit = CaseForm {
        id: Some(case_id),
        ..CaseForm::publish("Sigmoid volvulus", "Coffee-bean sign; decompress first.")
    };
    app.save_case(&mut author, edit).await.ok();
    assert_eq!(review_status(&pool, case_id).await, "pending");
    let err = app.case(&mut resident, case_id).await.error();
    assert_eq!(err, AppError::NotFound);
    let detail: CaseDetail = app.case(&mut reviewer, case_id).await.json();
    assert!(detail.review.pending && detail.review.can_approve);
    assert_eq!(detail.review.approved_by, None);
    app.approve_case(&mut reviewer, case_id).await.ok();
    let detail: CaseDetail = app.case(&mut resident, case_id).await.json();
    assert!(detail.body_md.contains("decompress first"));

    // An image, or new annotations, change what readers see too.
    record_consent(&app, &mut author, case_id).await;
    let image_id = upload(&app, &mut author, case_id, "Abdominal X-ray").await;
    assert_eq!(review_status(&pool, case_id).await, "pending");
    app.approve_case(&mut reviewer, case_id).await.ok();
    app.save_annotations(&mut author, image_id, CLEAN_NOTE)
        .await
        .ok();
    assert_eq!(review_status(&pool, case_id).await, "pending");

    // A case waiting for its first review stays waiting (not approved by an edit).
    let edit = CaseForm {
        id: Some(case_id),
        ..CaseForm::publish("Sigmoid volvulus", "Coffee-bean sign.")
    };
    app.save_case(&mut author, edit).await.ok();
    assert_eq!(review_status(&pool, case_id).await, "pending");
}
