use crate::cases::MentorProfile;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::auth::AuthUser;
use leptos::prelude::*;

#[server(endpoint = "mentor")]
#[tracing::instrument(skip_all, fields(mentor_id = id))]
pub async fn get_mentor_profile(id: i64) -> Result<MentorProfile, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let viewer = AuthUser::require(&pool).await?;
    let mentor = crate::accounts::db::public_user(&pool, id)
        .await?
        .filter(|u| u.role.can_author())
        .ok_or(AppError::NotFound)?;
    let is_self = viewer.id == id;
    Ok(MentorProfile {
        cases: crate::cases::db::by_author(&pool, id, viewer.id, 50).await?,
        followers: crate::cases::db::follows::follower_count(&pool, id).await?,
        is_following: crate::cases::db::follows::is_following(&pool, viewer.id, id).await?,
        is_self,
        mentor,
    })
}

/// Follows (`follow = true`) or unfollows a mentor. Repeating either is harmless.
#[server(endpoint = "follow")]
#[tracing::instrument(skip_all, fields(mentor_id, follow))]
pub async fn set_following(mentor_id: i64, follow: bool) -> Result<(), AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    if follow {
        if mentor_id == user.id {
            return Err(AppError::field("mentor_id", "You cannot follow yourself."));
        }
        let is_mentor = crate::accounts::db::public_user(&pool, mentor_id)
            .await?
            .is_some_and(|u| u.role.can_author());
        if !is_mentor {
            return Err(AppError::NotFound);
        }
        crate::cases::db::follows::follow(&pool, user.id, mentor_id).await
    } else {
        crate::cases::db::follows::unfollow(&pool, user.id, mentor_id).await
    }
}

/// Follows or unfollows a specialty. Repeating either is harmless.
#[server(endpoint = "follow-specialty")]
#[tracing::instrument(skip_all)]
pub async fn set_specialty_following(specialty: String, follow: bool) -> Result<(), AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    // Also answers "not found" for an unknown specialty.
    crate::cases::db::follows::specialty_page(&pool, user.id, &specialty).await?;
    if follow {
        crate::cases::db::follows::follow_specialty(&pool, user.id, &specialty).await
    } else {
        crate::cases::db::follows::unfollow_specialty(&pool, user.id, &specialty).await
    }
}

#[server(endpoint = "specialty")]
#[tracing::instrument(skip_all)]
pub async fn get_specialty(slug: String) -> Result<crate::cases::SpecialtyPage, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    crate::cases::db::follows::specialty_page(&pool, user.id, &slug).await
}
