//! A consult's images in PostgreSQL. Who may see the files is `consult_readable`, as for the
//! consult itself; who may add one is checked again in the insert, against the consult as it is
//! at that moment.

use crate::consults::ConsultImage;
use crate::error::AppError;
use sqlx::{PgConnection, PgPool};

/// What the upload handler stores about a new image.
pub struct NewConsultImage<'a> {
    pub consult_id: i64,
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

/// Adds the image if the uploader still wrote the consult and it is still a draft or waiting
/// for information (it may have been sent or cancelled while the picture was being re-encoded);
/// `None` when it is not.
pub async fn insert(pool: &PgPool, image: &NewConsultImage<'_>) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        insert into consult_images (consult_id, alt_text, caption, content_type, width, height,
                                    display_key, thumb_key, display_bytes, uploaded_by)
        select c.id, $2, $3, $4, $5, $6, $7, $8, $9, $10
        from consults c
        where c.id = $1 and c.requester_id = $10 and c.state in ('draft', 'info_requested')
          and c.purged_at is null
        returning id
        "#,
        image.consult_id,
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
    .fetch_optional(pool)
    .await?)
}

/// The consult's images still on file, in upload order.
pub async fn for_consult(pool: &PgPool, consult_id: i64) -> Result<Vec<ConsultImage>, AppError> {
    Ok(sqlx::query_as!(
        ConsultImage,
        r#"select id, alt_text, caption, width, height from consult_images
           where consult_id = $1 and purged_at is null order by id"#,
        consult_id
    )
    .fetch_all(pool)
    .await?)
}

/// The stored object and its type, for serving a rendition to `viewer`, who must be able to
/// read the consult (`consult_readable`); `None` for everyone else, and after the purge.
pub async fn rendition(
    pool: &PgPool,
    image_id: i64,
    viewer: i64,
    thumb: bool,
) -> Result<Option<(String, String)>, AppError> {
    Ok(sqlx::query!(
        r#"
        select case when $3 then i.thumb_key else i.display_key end as "key!", i.content_type
        from consult_images i join consults c on c.id = i.consult_id
        where i.id = $1 and i.purged_at is null and consult_readable(c, $2)
        "#,
        image_id,
        viewer,
        thumb
    )
    .fetch_optional(pool)
    .await?
    .map(|r| (r.key, r.content_type)))
}

/// The descriptions and captions of the consult's images as one text, for the privacy guard
/// (which reads them with the consult's own fields).
pub async fn texts(pool: &PgPool, consult_id: i64) -> Result<String, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select coalesce(string_agg(alt_text || E'\n' || caption, E'\n' order by id), '') as "texts!"
           from consult_images where consult_id = $1 and purged_at is null"#,
        consult_id
    )
    .fetch_one(pool)
    .await?)
}

/// The object-store keys of the consult's images not yet purged.
pub async fn keys(pool: &PgPool, consult_id: i64) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query!(
        r#"select display_key as "display_key!", thumb_key as "thumb_key!" from consult_images
           where consult_id = $1 and purged_at is null"#,
        consult_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .flat_map(|r| [r.display_key, r.thumb_key])
    .collect())
}

/// Empties the consult's image rows (description, caption, keys) at the retention purge; the rows
/// stay as the record that images were attached, by whom and when.
pub async fn purge(tx: &mut PgConnection, consult_id: i64) -> Result<u64, AppError> {
    Ok(sqlx::query!(
        r#"update consult_images set alt_text = '', caption = '', display_key = null,
                  thumb_key = null, purged_at = now()
           where consult_id = $1 and purged_at is null"#,
        consult_id
    )
    .execute(tx)
    .await?
    .rows_affected())
}
