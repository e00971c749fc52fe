//! Consult images: re-encoded without their metadata like a case's, seen by the consult's
//! readers only, added by its requester only while writing it or when asked for more, read by
//! the privacy guard, and deleted by the retention purge.

use super::{aadhaar_like, scene};
use crate::common::{ConsultConsent, RefusedForm, To};
use app::consults::chores;
use app::error::AppError;
use app::media::store::fixtures::jpeg_with_exif;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use image::{ImageEncoder, Rgba, RgbaImage};
use sqlx::PgPool;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A transparent PNG of a wound photograph carrying a `tEXt` chunk with a location and a
/// name, as some phone apps write.
fn png_with_text() -> Vec<u8> {
    let picture = RgbaImage::from_fn(800, 600, |x, y| {
        Rgba([(x % 256) as u8, (y % 256) as u8, 120, 200])
    });
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(picture.as_raw(), 800, 600, image::ExtendedColorType::Rgba8)
        .unwrap();
    // After the signature (8 bytes) and IHDR (4 + 4 + 13 + 4 bytes).
    let data = b"Comment\0GPS 17.9N 73.9E patient Ramesh";
    let mut chunk = Vec::new();
    chunk.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut typed = b"tEXt".to_vec();
    typed.extend_from_slice(data);
    chunk.extend_from_slice(&typed);
    chunk.extend_from_slice(&crc32(&typed).to_be_bytes());
    png.splice(33..33, chunk);
    png
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

async fn keys(pool: &PgPool, image: i64) -> (Option<String>, Option<String>) {
    sqlx::query_as("select display_key, thumb_key from consult_images where id = $1")
        .bind(image)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn image_count(pool: &PgPool) -> i64 {
    sqlx::query_scalar("select count(*) from consult_images")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_requesters_images_are_stripped_and_seen_by_the_consults_readers_only(pool: PgPool) {
    let mut s = scene(pool.clone()).await;
    let id = s.draft(To::Pool(s.cardiology)).await;
    let app = &s.app;
    let png = png_with_text();
    assert!(contains(&png, b"tEXt") && contains(&png, b"Ramesh"));
    let reply = app
        .consult_image(
            &mut s.gp,
            id,
            ("wound.png", "image/png", &png),
            "Leg ulcer, medial malleolus",
            "Day 10 of dressings",
            true,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let png_id = reply.created_id();
    let jpeg = jpeg_with_exif(1200, 900);
    let reply = app
        .consult_image(
            &mut s.gp,
            id,
            ("ecg.jpg", "image/jpeg", &jpeg),
            "12-lead ECG",
            "",
            true,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let jpeg_id = reply.created_id();

    // What is stored is re-encoded: no text chunk, no EXIF, no camera serial.
    for image in [png_id, jpeg_id] {
        let (display, thumb) = keys(&pool, image).await;
        for key in [display.unwrap(), thumb.unwrap()] {
            assert!(key.starts_with(&format!("consults/{id}/")), "{key}");
            let stored = app.media.get(&key).await.expect("stored");
            for needle in [&b"tEXt"[..], b"Ramesh", b"Exif\0\0", b"SN12345"] {
                assert!(!contains(&stored, needle), "metadata left in {key}");
            }
        }
    }

    let display = format!("/media/consult-images/{png_id}/display");
    let thumb = format!("/media/consult-images/{png_id}/thumb");
    // A draft is its writer's alone.
    let (status, headers, body) = app.get_bytes(&s.gp, &display).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["cache-control"], "private, no-cache");
    assert_eq!(image::load_from_memory(&body).unwrap().width(), 800);
    assert_eq!(
        app.get_bytes(&s.r1, &display).await.0,
        StatusCode::NOT_FOUND
    );
    // The page shows the figures and, to its writer, the form.
    let page = app.get(&mut s.gp, &format!("/consults/{id}")).await;
    assert!(page.body.contains(&thumb) && page.body.contains(&display));
    assert!(page.body.contains("Day 10 of dressings"));
    assert!(page.body.contains("Add the image"));

    app.submit_consult(&mut s.gp, id, ConsultConsent::verbal())
        .await
        .ok();
    // Waiting in the pool: its responders and its admin read it; nobody else.
    for reader in [&s.r1, &s.r2, &s.admin] {
        assert_eq!(app.get_bytes(reader, &display).await.0, StatusCode::OK);
        let (status, _, body) = app.get_bytes(reader, &thumb).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(image::load_from_memory(&body).unwrap().width(), 360);
    }
    assert_eq!(
        app.get_bytes(&s.third, &display).await.0,
        StatusCode::NOT_FOUND
    );
    let anonymous = crate::common::Client::default();
    assert_eq!(
        app.get_bytes(&anonymous, &display).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get_bytes(&s.r1, &format!("/media/consult-images/{png_id}/original"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let detail = app.consult_detail(&mut s.r1, id).await;
    assert_eq!(
        detail
            .images
            .iter()
            .map(|i| (i.id, i.alt_text.as_str(), i.caption.as_str()))
            .collect::<Vec<_>>(),
        [
            (png_id, "Leg ulcer, medial malleolus", "Day 10 of dressings"),
            (jpeg_id, "12-lead ECG", "")
        ]
    );
    let page = app.get(&mut s.r1, &format!("/consults/{id}")).await;
    assert!(page.body.contains(&thumb));
    assert!(
        !page.body.contains("Add the image"),
        "the responder adds none"
    );

    // Once a colleague took it, the other responder is nobody to it.
    app.accept_consult(&mut s.r2, id).await.ok();
    assert_eq!(app.get_bytes(&s.r2, &display).await.0, StatusCode::OK);
    assert_eq!(
        app.get_bytes(&s.r1, &display).await.0,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn only_the_requester_adds_images_while_writing_or_when_asked(pool: PgPool) {
    let mut s = scene(pool.clone()).await;
    let id = s.draft(To::Pool(s.cardiology)).await;
    let photo = jpeg_with_exif(300, 200);
    let file = ("p.jpg", "image/jpeg", &photo[..]);
    let app = &s.app;
    for someone in [&mut s.third, &mut s.r1] {
        let reply = app.consult_image(someone, id, file, "ECG", "", true).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "a draft is hidden");
    }
    let anonymous = &mut crate::common::Client::default();
    let reply = app
        .consult_image(anonymous, id, file, "ECG", "", true)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);

    app.submit_consult(&mut s.gp, id, ConsultConsent::verbal())
        .await
        .ok();
    let reply = app
        .consult_image(&mut s.r1, id, file, "ECG", "", true)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::FORBIDDEN,
        "a reader, not its writer"
    );
    let reply = app
        .consult_image(&mut s.gp, id, file, "ECG", "", true)
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "sent: too late");
    assert_eq!(image_count(&pool).await, 0);

    // The responder asks for more: the requester may add a picture again, also without
    // JavaScript (back to the consult).
    app.accept_consult(&mut s.r1, id).await.ok();
    app.consult_message(&mut s.r1, "consults/request-info", id, "The ECG, please.")
        .await
        .ok();
    let reply = app
        .consult_image(&mut s.gp, id, file, "ECG from last year", "", false)
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(
        reply.headers["location"],
        format!("/consults/{id}#images").as_str()
    );
    assert_eq!(image_count(&pool).await, 1);
    let reply = app
        .consult_image(&mut s.r1, id, file, "ECG", "", true)
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_identifier_in_a_caption_is_refused_beside_the_field_and_nothing_is_stored(
    pool: PgPool,
) {
    let mut s = scene(pool.clone()).await;
    let id = s.draft(To::Pool(s.cardiology)).await;
    let photo = jpeg_with_exif(300, 200);
    let file = ("p.jpg", "image/jpeg", &photo[..]);
    let caption = format!("Aadhaar {}", aadhaar_like());
    let app = &s.app;
    let err = app
        .consult_image(&mut s.gp, id, file, "Rash on the forearm", &caption, true)
        .await
        .error();
    let message = err
        .field_errors()
        .and_then(|f| f.get("caption"))
        .expect("a message beside the caption")
        .to_owned();
    assert!(message.contains("Aadhaar"), "{message}");
    assert!(
        !message.contains(&aadhaar_like()),
        "the number is not repeated"
    );

    // Without JavaScript: back to the consult, the message beside the caption, and neither
    // the number nor what was typed in the address.
    let reply = app
        .consult_image(&mut s.gp, id, file, "Rash on the forearm", &caption, false)
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let location = reply.headers["location"].to_str().unwrap().to_owned();
    assert!(!location.contains(&aadhaar_like()[..6]), "{location}");
    let refused = RefusedForm::from_location(&location);
    assert_eq!(refused.page, format!("/consults/{id}"));
    assert_eq!(refused.action, format!("/consults/{id}/images"));
    assert!(refused.field("caption").is_some(), "{location}");
    let page = app.get(&mut s.gp, &location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("consult-caption-error"));
    assert!(page.body.contains("This may identify the patient"));

    // Nothing stored: no row, no file.
    assert_eq!(image_count(&pool).await, 0);
    let dir = app.media.store.to_string();
    let mut listing = app
        .media
        .store
        .list(Some(&object_store::path::Path::from(format!(
            "consults/{id}"
        ))));
    use futures_util::StreamExt;
    assert!(listing.next().await.is_none(), "no file in {dir}");

    // An image whose caption the guard reads as an identifier only later (say a label added
    // since) blocks sending, and is overridden by finding like the request's text.
    let reply = app
        .consult_image(&mut s.gp, id, file, "Rash on the forearm", "Ward 7", true)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    sqlx::query("update consult_images set caption = $1 where consult_id = $2")
        .bind(&caption)
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let err = app
        .submit_consult(&mut s.gp, id, ConsultConsent::verbal())
        .await
        .error();
    let AppError::ConsultPrivacyBlocked { findings, .. } = err else {
        panic!("blocked by the guard, got {err:?}");
    };
    let finding = findings
        .iter()
        .find(|f| f.field == "images")
        .expect("found in the images");
    let (kind, text) = (finding.kind.as_str().to_owned(), finding.text.clone());
    app.override_consult_finding(
        &mut s.gp,
        id,
        &kind,
        &text,
        "The consent form's reference printed on the photo, not the patient's.",
    )
    .await
    .ok();
    app.submit_consult(&mut s.gp, id, ConsultConsent::verbal())
        .await
        .ok();
    assert_eq!(s.state(id).await, app::consults::State::Submitted);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_retention_purge_deletes_a_consults_image_files(pool: PgPool) {
    let mut s = scene(pool.clone()).await;
    let id = s.draft(To::Pool(s.cardiology)).await;
    let photo = jpeg_with_exif(600, 400);
    let app = &s.app;
    let image = app
        .consult_image(
            &mut s.gp,
            id,
            ("p.jpg", "image/jpeg", &photo),
            "Chest X-ray, PA view",
            "Right lower zone shadowing",
            true,
        )
        .await
        .created_id();
    app.submit_consult(&mut s.gp, id, ConsultConsent::verbal())
        .await
        .ok();
    app.cancel_consult(&mut s.gp, id).await.ok();
    let (display, thumb) = keys(&pool, image).await;
    let (display, thumb) = (display.unwrap(), thumb.unwrap());
    assert!(app.media.get(&display).await.is_ok());

    let t0 = Utc::now();
    assert_eq!(
        chores::purge(&pool, &app.media, t0 + Duration::days(1096), 1095)
            .await
            .unwrap(),
        1
    );
    for key in [&display, &thumb] {
        assert!(app.media.get(key).await.is_err(), "{key} deleted");
    }
    // The record that an image was attached stays, emptied of its text and files.
    let (alt, caption, width, purged): (String, String, i32, bool) = sqlx::query_as(
        "select alt_text, caption, width, purged_at is not null from consult_images where id = $1",
    )
    .bind(image)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (alt.as_str(), caption.as_str(), width, purged),
        ("", "", 600, true)
    );
    assert_eq!(keys(&pool, image).await, (None, None));
    let detail = app.consult_detail(&mut s.gp, id).await;
    assert!(detail.purged && detail.images.is_empty());
    let (status, _, _) = app
        .get_bytes(&s.gp, &format!("/media/consult-images/{image}/display"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_teaching_case_carries_copies_of_the_consults_images_past_the_purge(pool: PgPool) {
    let mut s = scene(pool.clone()).await;
    let id = s.draft(To::Colleague(s.r1_id)).await;
    let photo = jpeg_with_exif(640, 480);
    let image = s
        .app
        .consult_image(
            &mut s.gp,
            id,
            ("ecg.jpg", "image/jpeg", &photo),
            "Twelve-lead ECG at presentation",
            "ST elevation in V2 to V4",
            true,
        )
        .await
        .created_id();
    s.app
        .submit_consult(&mut s.gp, id, ConsultConsent::verbal())
        .await
        .ok();
    s.answered(id).await;
    s.app
        .close_consult(&mut s.gp, id, 5, 4, "referral_avoided")
        .await
        .ok();
    s.app.propose_teaching(&mut s.gp, id).await.ok();
    let case_id: i64 = s.app.agree_teaching(&mut s.r1, id).await.json();

    // The draft has the image, under its own files, with the consult's description.
    let copies: Vec<(i64, String, String, String, String, i32)> = sqlx::query_as(
        "select id, alt_text, caption, display_key, thumb_key, width from case_images
         where case_id = $1",
    )
    .bind(case_id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let (copy, alt, caption, display, thumb, width) = copies[0].clone();
    assert_eq!(
        (alt.as_str(), caption.as_str(), width),
        (
            "Twelve-lead ECG at presentation",
            "ST elevation in V2 to V4",
            640
        )
    );
    let (original_display, original_thumb) = keys(&pool, image).await;
    let original_display = original_display.unwrap();
    assert!(
        display.starts_with(&format!("cases/{case_id}/")),
        "{display}"
    );
    assert_ne!(Some(thumb.clone()), original_thumb);
    assert_eq!(
        s.app.media.get(&display).await.unwrap(),
        s.app.media.get(&original_display).await.unwrap(),
        "the same picture"
    );
    // Both authors see it on their draft; nobody else does.
    for author in [&s.gp, &s.r1] {
        let (status, _, bytes) = s
            .app
            .get_bytes(author, &format!("/media/images/{copy}/display"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(!bytes.is_empty());
    }
    let (status, _, _) = s
        .app
        .get_bytes(&s.third, &format!("/media/images/{copy}/display"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The consult's retention purge deletes the consult's files, not the case's.
    let later = Utc::now() + Duration::days(1096);
    assert_eq!(
        chores::purge(&pool, &s.app.media, later, 1095)
            .await
            .unwrap(),
        1
    );
    assert!(s.app.media.get(&original_display).await.is_err());
    for key in [&display, &thumb] {
        assert!(s.app.media.get(key).await.is_ok(), "{key} kept");
    }
}
