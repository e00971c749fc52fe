//! Deactivation, registration checks, password resets, member lists.

use super::*;

/// Deactivates or reactivates an account. Deactivation ends every session at once.
pub async fn set_active(
    tx: &mut sqlx::PgConnection,
    user_id: i64,
    active: bool,
    actor: i64,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let done = if active {
        sqlx::query!(
            r#"
            update users set deactivated_at = null, deactivated_by = null, deactivation_reason = null
            where id = $1 and deactivated_at is not null
            "#,
            user_id
        )
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query!(
            r#"
            update users set deactivated_at = now(), deactivated_by = $2, deactivation_reason = $3,
                   session_epoch = session_epoch + 1
            where id = $1 and deactivated_at is null
            "#,
            user_id,
            actor,
            reason
        )
        .execute(&mut *tx)
        .await?
    };
    crate::ssr::db::changed(done, || {
        AppError::conflict(if active {
            "This account is already active."
        } else {
            "This account is already deactivated."
        })
    })
}

/// Records that a department admin checked the council registration number.
pub async fn verify_registration(
    tx: &mut sqlx::PgConnection,
    user_id: i64,
    actor: i64,
) -> Result<(), AppError> {
    let done = sqlx::query!(
        r#"
        update users set registration_verified_at = now(), registration_verified_by = $2
        where id = $1 and registration_number is not null
        "#,
        user_id,
        actor
    )
    .execute(&mut *tx)
    .await?;
    crate::ssr::db::changed(done, || {
        AppError::conflict("This person has not given a registration number yet.")
    })
}

/// Sets a new password and ends every session of the account (the caller starts a fresh one).
/// Following the reset link also proves the address.
pub async fn reset_password(
    tx: &mut sqlx::PgConnection,
    user_id: i64,
    password_hash: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        update users set password_hash = $2, session_epoch = session_epoch + 1,
               email_verified_at = coalesce(email_verified_at, now())
        where id = $1
        "#,
        user_id,
        password_hash
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Members of a department, a page at a time (by name), with what an admin needs to see.
pub async fn members(
    pool: &PgPool,
    department: i64,
    after_name: Option<(&str, i64)>,
    limit: i64,
) -> Result<Vec<Member>, AppError> {
    let (after, after_id) = after_name.unzip();
    Ok(sqlx::query_as!(
        Member,
        r#"
        select u.id, u.full_name, u.email, u.role as "role: crate::accounts::Role",
               u.designation, u.medical_council, u.registration_number,
               u.registration_verified_at as "registration_verified_at: DateTime<Utc>",
               u.deactivated_at as "deactivated_at: DateTime<Utc>"
        from users u
        where u.department_id = $1
          and ($2::text is null or (u.full_name, u.id) > ($2, $3))
        order by u.full_name, u.id
        limit $4
        "#,
        department,
        after,
        after_id.unwrap_or(0),
        limit
    )
    .fetch_all(pool)
    .await?)
}
