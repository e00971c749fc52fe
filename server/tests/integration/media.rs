//! Image uploads, image files, annotations and consent, through the real router and store.

use crate::common::fixtures::upload_photo;
use crate::common::{CaseForm, Client, Consent, RefusedForm, TestApp};
use app::accounts::Role;
use app::cases::CaseDetail;
use app::error::AppError;
use app::media::store::fixtures::jpeg_with_exif;
use axum::http::StatusCode;
use sqlx::PgPool;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn keys(pool: &PgPool, image_id: i64) -> (String, String) {
    sqlx::query_as("select display_key, thumb_key from case_images where id = $1")
        .bind(image_id)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn image_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from case_images")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A mentor with a draft case and one uploaded photograph; returns (mentor, case, image).
async fn case_with_image(app: &TestApp) -> (Client, i64, i64) {
    let (mut mentor, _) = app
        .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let case_id = app
        .create_case(
            &mut mentor,
            CaseForm::draft("Tension pneumothorax", "Tracheal deviation."),
        )
        .await;
    let id = upload_photo(
        app,
        &mut mentor,
        case_id,
        ("xray.jpg", (1200, 900)),
        "Chest X-ray, PA view",
    )
    .await;
    (mentor, case_id, id)
}

#[sqlx::test(migrations = "../migrations")]
async fn an_uploaded_photo_is_stored_without_its_exif_gps_tags(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let original = jpeg_with_exif(1200, 900);
    assert!(contains(&original, b"Exif\0\0") && contains(&original, b"SN12345"));
    let (mentor, _, image_id) = case_with_image(&app).await;

    let (display_key, thumb_key) = keys(&pool, image_id).await;
    for key in [&display_key, &thumb_key] {
        // Read the stored bytes back from the object store itself.
        let stored = app.media.get(key).await.expect("stored");
        assert!(stored.starts_with(&[0xFF, 0xD8]), "a JPEG");
        assert!(!contains(&stored, b"Exif\0\0"), "EXIF block in {key}");
        assert!(!contains(&stored, b"SN12345"), "camera serial in {key}");
        let mut decoder =
            image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(&stored[..])).unwrap();
        use image::ImageDecoder;
        assert_eq!(decoder.exif_metadata().unwrap(), None);
    }
    let (width, height): (i32, i32) =
        sqlx::query_as("select width, height from case_images where id = $1")
            .bind(image_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((width, height), (1200, 900));

    // The author gets the file with its type; the stored bytes are what is served.
    let (status, headers, body) = app
        .get_bytes(&mentor, &format!("/media/images/{image_id}/display"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/jpeg");
    // Shared ward computers keep no usable copy: the browser asks again every time.
    assert_eq!(headers["cache-control"], "private, no-cache");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(body, app.media.get(&display_key).await.unwrap().to_vec());
    let (status, _, thumb) = app
        .get_bytes(&mentor, &format!("/media/images/{image_id}/thumb"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(image::load_from_memory(&thumb).unwrap().width(), 360);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_non_image_renamed_jpg_is_refused_and_nothing_is_stored(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, _) = app
        .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let case_id = app
        .create_case(&mut mentor, CaseForm::draft("Case", "Body."))
        .await;
    let fake = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n".repeat(20);
    let err = app
        .upload(
            &mut mentor,
            case_id,
            ("scan.jpg", "image/jpeg", &fake),
            "A scan",
            true,
        )
        .await
        .error();
    let errors = err.field_errors().expect("a field error");
    assert_eq!(
        errors.get("image"),
        Some("Only JPEG, PNG or WebP images can be uploaded.")
    );
    // A real JPEG cut short is "damaged", not silently accepted.
    let mut broken = jpeg_with_exif(64, 64);
    broken.truncate(broken.len() / 3);
    let err = app
        .upload(
            &mut mentor,
            case_id,
            ("x.jpg", "image/jpeg", &broken),
            "X",
            true,
        )
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("image")
        .unwrap()
        .contains("damaged"));
    // A description is required.
    let photo = jpeg_with_exif(100, 100);
    let err = app
        .upload(
            &mut mentor,
            case_id,
            ("x.jpg", "image/jpeg", &photo),
            "  ",
            true,
        )
        .await
        .error();
    assert!(err.field_errors().unwrap().get("alt_text").is_some());
    assert_eq!(image_count(&pool).await, 0);
    use futures_util::StreamExt;
    let stored: Vec<_> = app.media.store.list(None).collect().await;
    assert!(stored.is_empty(), "no files left behind: {stored:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn oversize_uploads_are_refused_with_the_limit(pool: PgPool) {
    let mut settings = server::Settings::new("target/site", false, true);
    settings.media.max_bytes = 64 * 1024;
    let app = TestApp::with_settings(pool.clone(), settings).await;
    let (mut mentor, _) = app
        .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let case_id = app
        .create_case(&mut mentor, CaseForm::draft("Case", "Body."))
        .await;
    // Just over the limit (read to the end, refused) and far over it (cut off by the body limit).
    for size in [64 * 1024 + 10, 2 * 1024 * 1024] {
        let big = vec![0xAB; size];
        let err = app
            .upload(
                &mut mentor,
                case_id,
                ("big.jpg", "image/jpeg", &big),
                "Big",
                true,
            )
            .await
            .error();
        assert_eq!(
            err.field_errors().and_then(|e| e.get("image")),
            Some("The image is larger than 1 MB; export it smaller and try again."),
            "size {size}"
        );
    }
    assert_eq!(image_count(&pool).await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn without_javascript_the_form_redirects_to_the_editor_or_back_with_the_error(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, _) = app
        .user_with_role("mentor@example.in", "Dr. Mentor", Role::Mentor)
        .await;
    let case_id = app
        .create_case(&mut mentor, CaseForm::draft("Case", "Body."))
        .await;
    let photo = jpeg_with_exif(300, 200);
    let reply = app
        .upload(
            &mut mentor,
            case_id,
            ("p.jpg", "image/jpeg", &photo),
            "ECG strip",
            false,
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let image_id: i64 = sqlx::query_scalar("select id from case_images")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        reply.headers["location"],
        format!("/cases/{case_id}/images/{image_id}").as_str()
    );

    let reply = app
        .upload(
            &mut mentor,
            case_id,
            ("p.jpg", "image/jpeg", b"not an image"),
            "My text",
            false,
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let location = reply.headers["location"].to_str().unwrap().to_owned();
    let refused = RefusedForm::from_location(&location);
    assert_eq!(refused.page, format!("/cases/{case_id}/images"));
    assert_eq!(refused.action, format!("/cases/{case_id}/images"));
    assert!(refused.field("image").is_some(), "{location}");
    assert_eq!(refused.value("alt_text"), Some("My text"), "{location}");
    // The images page shows the message next to the file field, and keeps the description.
    let page = app.get(&mut mentor, &location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("Only JPEG, PNG or WebP images can be uploaded."));
    assert!(page.body.contains("value=\"My text\""), "description kept");
}

#[sqlx::test(migrations = "../migrations")]
async fn only_the_author_uploads_changes_or_deletes_and_only_readers_see_files(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id, image_id) = case_with_image(&app).await;
    let (mut other_mentor, _) = app
        .user_with_role("other@example.in", "Dr. Other", Role::Mentor)
        .await;
    let (mut resident, _) = app.register("res@example.in", "Dr. Resident").await;
    let photo = jpeg_with_exif(100, 100);

    for client in [&mut other_mentor, &mut resident] {
        let err = app
            .upload(client, case_id, ("p.jpg", "image/jpeg", &photo), "X", true)
            .await
            .error();
        assert_eq!(err, AppError::Forbidden);
        let err = app.save_annotations(client, image_id, "[]").await.error();
        assert!(matches!(err, AppError::Forbidden), "{err:?}");
        let err = app.delete_image(client, image_id).await.error();
        assert!(matches!(err, AppError::Forbidden), "{err:?}");
        // The case is a draft: its image does not exist for anyone but the author.
        let (status, _, _) = app
            .get_bytes(client, &format!("/media/images/{image_id}/display"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let err = app.case_media(client, case_id).await.error();
        assert!(matches!(err, AppError::Forbidden), "{err:?}");
    }
    let mut anonymous = Client::default();
    let err = app
        .upload(
            &mut anonymous,
            case_id,
            ("p.jpg", "image/jpeg", &photo),
            "X",
            true,
        )
        .await
        .error();
    assert_eq!(err, AppError::Unauthenticated);
    let (status, _, _) = app
        .get_bytes(&anonymous, &format!("/media/images/{image_id}/display"))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Once published (with consent), readers get the file.
    app.record_consent(&mut mentor, Consent::on_file(case_id))
        .await
        .ok();
    app.publish_case(&mut mentor, case_id).await.ok();
    let (status, _, _) = app
        .get_bytes(&resident, &format!("/media/images/{image_id}/thumb"))
        .await;
    assert_eq!(status, StatusCode::OK);

    // The author deletes: row and files are gone.
    let (display_key, _) = keys(&pool, image_id).await;
    app.delete_image(&mut mentor, image_id).await.ok();
    assert_eq!(image_count(&pool).await, 0);
    assert!(app.media.get(&display_key).await.is_err());
}

#[sqlx::test(migrations = "../migrations")]
async fn annotations_are_validated_stored_and_rendered_as_svg(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id, image_id) = case_with_image(&app).await;

    let outside = r#"[{"shape":{"type":"rect","x":0.8,"y":0.1,"w":0.5,"h":0.1}}]"#;
    let err = app
        .save_annotations(&mut mentor, image_id, outside)
        .await
        .error();
    assert_eq!(
        err.field_errors().and_then(|e| e.get("annotations")),
        Some("Annotation 1: the rectangle reaches outside the image.")
    );
    let err = app
        .save_annotations(&mut mentor, image_id, "{nope")
        .await
        .error();
    assert!(err
        .field_errors()
        .unwrap()
        .get("annotations")
        .unwrap()
        .contains("could not be read"));

    let good = r#"[
        {"shape":{"type":"arrow","x1":0.2,"y1":0.2,"x2":0.45,"y2":0.4},"note":"Visceral pleural line"},
        {"shape":{"type":"label","x":0.5,"y":0.8},"text":"  Deviated trachea ","note":""}
    ]"#;
    app.save_annotations(&mut mentor, image_id, good).await.ok();
    let stored: serde_json::Value =
        sqlx::query_scalar("select annotations from case_images where id = $1")
            .bind(image_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(stored[0]["shape"]["type"], "arrow");
    assert_eq!(stored[1]["text"], "Deviated trachea", "texts are trimmed");

    let case: CaseDetail = app.case(&mut mentor, case_id).await.json();
    assert_eq!(case.images.len(), 1);
    assert_eq!(case.images[0].annotations.len(), 2);

    // The page draws them on the server: an SVG overlay, numbered, with the legend beside.
    let page = app.get(&mut mentor, &format!("/cases/{case_id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("class=\"overlay\""));
    assert!(page.body.contains("<line"), "the arrow");
    assert!(page.body.contains(">Deviated trachea</text>"), "the label");
    assert!(
        page.body.contains("Visceral pleural line"),
        "the legend note"
    );
    assert!(page.body.contains("Show annotations (2)"), "the toggle");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_case_with_images_needs_a_consent_record_to_be_published(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id, _) = case_with_image(&app).await;
    let err = app.publish_case(&mut mentor, case_id).await.error();
    assert_eq!(err, AppError::ConsentRequired { case_id });

    // Every missing part is named next to its field.
    let err = app
        .record_consent(
            &mut mentor,
            Consent {
                case_id,
                obtained: None,
                form_reference: "",
                consent_date: "2999-01-01",
            },
        )
        .await
        .error();
    let errors = err.field_errors().unwrap();
    assert!(errors.get("obtained").is_some());
    assert!(errors.get("form_reference").is_some());
    assert_eq!(
        errors.get("consent_date"),
        Some("The consent date cannot be in the future.")
    );

    // Someone else cannot record consent for the author's case.
    let (mut other, _) = app
        .user_with_role("other@example.in", "Dr. Other", Role::Mentor)
        .await;
    let err = app
        .record_consent(
            &mut other,
            Consent {
                form_reference: "CF-1",
                ..Consent::on_file(case_id)
            },
        )
        .await
        .error();
    assert_eq!(err, AppError::Forbidden);

    app.record_consent(&mut mentor, Consent::on_file(case_id))
        .await
        .ok();
    let recorded_by: String = sqlx::query_scalar(
        "select u.full_name from case_consents k join users u on u.id = k.recorded_by where k.case_id = $1",
    )
    .bind(case_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(recorded_by, "Dr. Mentor");
    app.publish_case(&mut mentor, case_id).await.ok();
    let page = app.get(&mut mentor, &format!("/cases/{case_id}")).await;
    assert!(page.body.contains("Consent on file"));
}

#[sqlx::test(migrations = "../migrations")]
async fn identifiers_in_annotation_notes_block_publication(pool: PgPool) {
    let app = TestApp::new(pool.clone()).await;
    let (mut mentor, case_id, image_id) = case_with_image(&app).await;
    let consent = Consent {
        form_reference: "CF-7",
        ..Consent::on_file(case_id)
    };
    app.record_consent(&mut mentor, consent).await.ok();
    let notes = r#"[{"shape":{"type":"label","x":0.1,"y":0.1},"text":"Lesion","note":"Call relative on 98450 12345"}]"#;
    app.save_annotations(&mut mentor, image_id, notes)
        .await
        .ok();
    let err = app.publish_case(&mut mentor, case_id).await.error();
    let AppError::PrivacyBlocked { findings, .. } = err else {
        panic!("expected a privacy block, got {err:?}");
    };
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].field, "images");
    assert_eq!(findings[0].kind, app::privacy::FindingKind::Phone);
}
