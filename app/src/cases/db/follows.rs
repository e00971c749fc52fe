use crate::error::AppError;
use sqlx::PgPool;

/// Follows a mentor. Following twice is the same as following once.
pub async fn follow(pool: &PgPool, follower: i64, mentor: i64) -> Result<(), AppError> {
    sqlx::query!(
        "insert into follows (follower_id, mentor_id) values ($1, $2) on conflict do nothing",
        follower,
        mentor
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Stops following. Unfollowing someone not followed is not an error.
pub async fn unfollow(pool: &PgPool, follower: i64, mentor: i64) -> Result<(), AppError> {
    sqlx::query!(
        "delete from follows where follower_id = $1 and mentor_id = $2",
        follower,
        mentor
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn is_following(pool: &PgPool, follower: i64, mentor: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select exists(select 1 from follows where follower_id = $1 and mentor_id = $2) as "e!""#,
        follower,
        mentor
    )
    .fetch_one(pool)
    .await?)
}

pub async fn follower_count(pool: &PgPool, mentor: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select count(*) as "n!" from follows where mentor_id = $1"#,
        mentor
    )
    .fetch_one(pool)
    .await?)
}

pub async fn follow_specialty(pool: &PgPool, user: i64, specialty: &str) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into specialty_follows (user_id, specialty)
        select $1, slug from specialties where slug = $2
        on conflict do nothing
        "#,
        user,
        specialty
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn unfollow_specialty(pool: &PgPool, user: i64, specialty: &str) -> Result<(), AppError> {
    sqlx::query!(
        "delete from specialty_follows where user_id = $1 and specialty = $2",
        user,
        specialty
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn specialty_page(
    pool: &PgPool,
    user: i64,
    slug: &str,
) -> Result<crate::cases::SpecialtyPage, AppError> {
    let row = sqlx::query!(
        r#"
        select s.slug, s.name,
               exists(select 1 from specialty_follows f where f.specialty = s.slug and f.user_id = $2) as "following!",
               (select count(*) from specialty_follows f where f.specialty = s.slug) as "followers!"
        from specialties s where s.slug = $1
        "#,
        slug,
        user
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(crate::cases::SpecialtyPage {
        slug: row.slug,
        name: row.name,
        following: row.following,
        followers: row.followers,
    })
}
