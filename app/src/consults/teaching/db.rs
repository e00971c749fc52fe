//! The teaching-case proposal in PostgreSQL (`consult_teaching`), its events in the consult's
//! history, and the draft made on agreement. Agreeing runs in one transaction holding the
//! proposal's and the consult's rows, so two agreements at once (or an agreement racing the
//! retention purge) make one case or none.

use super::TeachingProposal;
use crate::consults::{Action, Answer, State};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// The proposal about consult `id`, if one was made.
pub async fn proposal(pool: &PgPool, id: i64) -> Result<Option<TeachingProposal>, AppError> {
    Ok(sqlx::query_as!(
        TeachingProposal,
        r#"
        select t.proposed_by, u.full_name as proposed_by_name,
               t.proposed_at as "proposed_at: DateTime<Utc>",
               t.agreed_at as "agreed_at: DateTime<Utc>",
               t.declined_at as "declined_at: DateTime<Utc>", t.case_id
        from consult_teaching t join users u on u.id = t.proposed_by
        where t.consult_id = $1
        "#,
        id
    )
    .fetch_optional(pool)
    .await?)
}

/// Whether case `case_id` was made from a consult (and so needs its own teaching consent).
pub async fn case_from_consult(pool: &PgPool, case_id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select exists (select 1 from consult_teaching where case_id = $1) as "made!""#,
        case_id
    )
    .fetch_one(pool)
    .await?)
}

/// The proposal and the consult, locked for the rest of `tx`.
pub struct Locked {
    pub state: State,
    pub purged: bool,
    pub proposal: Option<LockedProposal>,
}

pub struct LockedProposal {
    pub proposed_by: i64,
    pub agreed: bool,
    pub declined: bool,
    pub case_id: Option<i64>,
}

/// Locks consult `id` (against the purge and other steps) and its proposal, if any.
pub async fn lock(tx: &mut PgConnection, id: i64) -> Result<Locked, AppError> {
    let consult = sqlx::query!(
        r#"select state as "state: State", purged_at is not null as "purged!"
           from consults where id = $1 for update"#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    let proposal = sqlx::query!(
        r#"select proposed_by, agreed_at is not null as "agreed!",
                  declined_at is not null as "declined!", case_id
           from consult_teaching where consult_id = $1 for update"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| LockedProposal {
        proposed_by: r.proposed_by,
        agreed: r.agreed,
        declined: r.declined,
        case_id: r.case_id,
    });
    Ok(Locked {
        state: consult.state,
        purged: consult.purged,
        proposal,
    })
}

/// Records a proposal by `by`; a declined one is made afresh.
pub async fn propose(
    tx: &mut PgConnection,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into consult_teaching (consult_id, proposed_by, proposed_at) values ($1, $2, $3)
        on conflict (consult_id) do update
           set proposed_by = excluded.proposed_by, proposed_at = excluded.proposed_at,
               declined_at = null
        "#,
        id,
        by,
        now
    )
    .execute(&mut *tx)
    .await?;
    event(
        tx,
        id,
        by,
        now,
        Action::ProposeTeaching,
        "proposed a teaching case",
    )
    .await
}

pub async fn decline(
    tx: &mut PgConnection,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query!(
        "update consult_teaching set declined_at = $2 where consult_id = $1",
        id,
        now
    )
    .execute(&mut *tx)
    .await?;
    event(
        tx,
        id,
        by,
        now,
        Action::DeclineTeaching,
        "declined the teaching case",
    )
    .await
}

/// Records the agreement and the draft it made.
pub async fn agree(
    tx: &mut PgConnection,
    id: i64,
    by: i64,
    case_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query!(
        "update consult_teaching set agreed_by = $2, agreed_at = $3, case_id = $4
         where consult_id = $1",
        id,
        by,
        now,
        case_id
    )
    .execute(&mut *tx)
    .await?;
    let detail = format!("agreed: teaching case #{case_id} drafted");
    event(tx, id, by, now, Action::AgreeTeaching, &detail).await
}

/// A teaching step in the consult's history: the consult stays closed.
async fn event(
    tx: &mut PgConnection,
    id: i64,
    actor: i64,
    now: DateTime<Utc>,
    action: Action,
    detail: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into consult_events (consult_id, actor_id, at, from_state, to_state, action, detail)
        values ($1, $2, $3, 'closed', 'closed', $4, $5)
        "#,
        id,
        actor,
        now,
        action as Action,
        detail
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The structured answer a closed consult carries (none only if something is amiss).
pub async fn answer(tx: &mut PgConnection, id: i64) -> Result<Option<Answer>, AppError> {
    Ok(sqlx::query_as!(
        Answer,
        r#"select impression, recommendations, red_flags, referral as "referral: _",
                  investigations, citations, free_text
           from consult_answers where consult_id = $1"#,
        id
    )
    .fetch_optional(&mut *tx)
    .await?)
}

/// The consult's images, copied onto the new case: each rendition is copied to a key under the
/// case (`cases/{case_id}/…`) and a `case_images` row made for it, so the consult's retention
/// purge (which deletes the consult's files) never takes a teaching case's pictures with it.
/// Annotations start empty; the authors add them in the editor as for any image.
///
/// Returns the keys written, for the caller to delete should its transaction not commit.
pub async fn copy_images(
    tx: &mut PgConnection,
    media: &crate::media::store::Media,
    consult_id: i64,
    case_id: i64,
) -> Result<Vec<String>, AppError> {
    let images = sqlx::query!(
        r#"select alt_text, caption, content_type, width, height,
                  display_key as "display_key!", thumb_key as "thumb_key!", display_bytes,
                  uploaded_by
           from consult_images
           where consult_id = $1 and purged_at is null
           order by id"#,
        consult_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut written = Vec::new();
    let copied: Result<(), AppError> = async {
        for image in images {
            let extension = image.display_key.rsplit('.').next().unwrap_or("jpg");
            let token = format!("{:016x}", rand::random::<u64>());
            let (display_key, thumb_key) =
                crate::media::store::keys(&format!("cases/{case_id}"), &token, extension);
            for (from, to) in [
                (&image.display_key, &display_key),
                (&image.thumb_key, &thumb_key),
            ] {
                let bytes = media.get(from).await.map_err(|error| {
                    tracing::error!(%error, key = from, "consult image missing while copying");
                    AppError::internal("image store unavailable")
                })?;
                crate::media::upload::put(media, to, bytes.to_vec()).await?;
                written.push(to.clone());
            }
            sqlx::query!(
                r#"insert into case_images (case_id, alt_text, caption, content_type, width,
                                            height, display_key, thumb_key, display_bytes,
                                            uploaded_by)
                   values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
                case_id,
                image.alt_text,
                image.caption,
                image.content_type,
                image.width,
                image.height,
                display_key,
                thumb_key,
                image.display_bytes,
                image.uploaded_by
            )
            .execute(&mut *tx)
            .await?;
        }
        Ok(())
    }
    .await;
    match copied {
        Ok(()) => Ok(written),
        Err(error) => {
            discard(media, &written).await;
            Err(error)
        }
    }
}

/// Deletes copied files nothing refers to (the agreement's transaction did not commit).
pub async fn discard(media: &crate::media::store::Media, keys: &[String]) {
    for key in keys {
        if let Err(error) = media.delete(key).await {
            tracing::warn!(%error, key, "could not delete an orphaned image copy");
        }
    }
}
