//! Case images, their annotations, and the consent record that publishing them requires.

use crate::error::AppError;
use crate::media::annotations::Annotation;
use crate::media::{CaseImage, Consent};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use sqlx::PgPool;

/// What the upload handler stores about a new image.
pub struct NewImage<'a> {
    pub case_id: i64,
    pub alt_text: &'a str,
    pub caption: &'a str,
    pub content_type: &'a str,
    pub width: i32,
    pub height: i32,
    pub display_key: &'a str,
    pub thumb_key: &'a str,
    pub display_bytes: i64,
    pub uploaded_by: i64,
}

pub async fn insert(pool: &PgPool, image: &NewImage<'_>) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        insert into case_images (case_id, alt_text, caption, content_type, width, height,
                                 display_key, thumb_key, display_bytes, uploaded_by)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        returning id
        "#,
        image.case_id,
        image.alt_text,
        image.caption,
        image.content_type,
        image.width,
        image.height,
        image.display_key,
        image.thumb_key,
        image.display_bytes,
        image.uploaded_by
    )
    .fetch_one(pool)
    .await?)
}

/// A case's images in upload order.
pub async fn for_case(pool: &PgPool, case_id: i64) -> Result<Vec<CaseImage>, AppError> {
    let rows = sqlx::query!(
        r#"
        select id, case_id, alt_text, caption, width, height,
               annotations as "annotations: Json<Vec<Annotation>>"
        from case_images where case_id = $1 order by id
        "#,
        case_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CaseImage {
            id: r.id,
            case_id: r.case_id,
            alt_text: r.alt_text,
            caption: r.caption,
            width: r.width,
            height: r.height,
            annotations: r.annotations.0,
        })
        .collect())
}

pub async fn count_for_case(pool: &PgPool, case_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "n!" from case_images where case_id = $1"#,
        case_id
    )
    .fetch_one(pool)
    .await?)
}

/// One image with the case it belongs to, if `viewer` may read that case. Images of a case
/// without a consent record (added after it was published) wait, shown to its author only,
/// until consent is recorded.
pub async fn readable(
    pool: &PgPool,
    image_id: i64,
    viewer: i64,
) -> Result<Option<(CaseImage, String)>, AppError> {
    let row = sqlx::query!(
        r#"
        select i.id, i.case_id, i.alt_text, i.caption, i.width, i.height,
               i.annotations as "annotations: Json<Vec<Annotation>>", c.title
        from case_images i join cases c on c.id = i.case_id
        where i.id = $1 and case_readable(c, $2)
          and (c.author_id = $2 or co_author_of(c.id, $2)
               or exists (select 1 from case_consents k where k.case_id = c.id))
        "#,
        image_id,
        viewer
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        (
            CaseImage {
                id: r.id,
                case_id: r.case_id,
                alt_text: r.alt_text,
                caption: r.caption,
                width: r.width,
                height: r.height,
                annotations: r.annotations.0,
            },
            r.title,
        )
    }))
}

/// The stored object and its type, for serving a rendition to `viewer` (who must be able to
/// read the case; for readers other than its author, the case must have consent on file).
pub async fn rendition(
    pool: &PgPool,
    image_id: i64,
    viewer: i64,
    thumb: bool,
) -> Result<Option<(String, String)>, AppError> {
    let row = sqlx::query!(
        r#"
        select i.display_key, i.thumb_key, i.content_type
        from case_images i join cases c on c.id = i.case_id
        where i.id = $1 and case_readable(c, $2)
          and (c.author_id = $2 or co_author_of(c.id, $2)
               or exists (select 1 from case_consents k where k.case_id = c.id))
        "#,
        image_id,
        viewer
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        (
            if thumb { r.thumb_key } else { r.display_key },
            r.content_type,
        )
    }))
}

/// The case an image belongs to and that case's author.
pub async fn owner(pool: &PgPool, image_id: i64) -> Result<Option<(i64, i64)>, AppError> {
    let row = sqlx::query!(
        r#"
        select i.case_id, c.author_id
        from case_images i join cases c on c.id = i.case_id where i.id = $1
        "#,
        image_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.case_id, r.author_id)))
}

pub async fn save_annotations(
    pool: &PgPool,
    image_id: i64,
    annotations: &[Annotation],
) -> Result<(), AppError> {
    sqlx::query!(
        "update case_images set annotations = $2, annotated_at = now() where id = $1",
        image_id,
        Json(annotations) as _
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Deletes an image's row; returns its object keys so the caller can delete the files.
pub async fn delete(pool: &PgPool, image_id: i64) -> Result<Option<(String, String)>, AppError> {
    let row = sqlx::query!(
        "delete from case_images where id = $1 returning display_key, thumb_key",
        image_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.display_key, r.thumb_key)))
}

/// Texts written into a case's annotations (labels and notes), for the privacy guard.
pub async fn annotation_texts(pool: &PgPool, case_id: i64) -> Result<String, AppError> {
    let images = for_case(pool, case_id).await?;
    let mut out = String::new();
    for image in images {
        for text in [&image.alt_text, &image.caption] {
            if !text.is_empty() {
                out.push_str(text);
                out.push('\n');
            }
        }
        for a in image.annotations {
            for text in [a.text, a.note] {
                if !text.is_empty() {
                    out.push_str(&text);
                    out.push('\n');
                }
            }
        }
    }
    Ok(out)
}

pub async fn consent(pool: &PgPool, case_id: i64) -> Result<Option<Consent>, AppError> {
    Ok(sqlx::query_as!(
        Consent,
        r#"
        select k.form_reference, k.consent_date as "consent_date: NaiveDate",
               u.full_name as recorded_by, k.recorded_at as "recorded_at: DateTime<Utc>"
        from case_consents k join users u on u.id = k.recorded_by
        where k.case_id = $1
        "#,
        case_id
    )
    .fetch_optional(pool)
    .await?)
}

/// Records (or corrects) the consent for a case's images.
pub async fn record_consent(
    pool: &PgPool,
    case_id: i64,
    form_reference: &str,
    consent_date: NaiveDate,
    recorded_by: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into case_consents (case_id, obtained, form_reference, consent_date, recorded_by)
        values ($1, true, $2, $3, $4)
        on conflict (case_id) do update
        set form_reference = excluded.form_reference, consent_date = excluded.consent_date,
            recorded_by = excluded.recorded_by, recorded_at = now()
        "#,
        case_id,
        form_reference,
        consent_date as _,
        recorded_by
    )
    .execute(pool)
    .await?;
    Ok(())
}
