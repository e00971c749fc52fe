//! Removing members, deactivating accounts, checking registration numbers.

use super::*;

/// Removes someone from the department (e.g. they left the hospital without saying so).
#[server(endpoint = "department/remove-member")]
#[tracing::instrument(skip_all, fields(user_id))]
pub async fn remove_member(user_id: i64, reason: Option<String>) -> Result<(), AppError> {
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    use crate::ssr::pool;
    let pool = pool()?;
    let admin = AuthUser::require(&pool).await?;
    if !matches!(
        admin.role,
        crate::accounts::Role::SiteAdmin | crate::accounts::Role::DepartmentAdmin
    ) {
        return Err(AppError::Forbidden);
    }
    managed_member(&pool, &admin, user_id).await?;
    let reason = reason
        .unwrap_or_default()
        .trim()
        .chars()
        .take(500)
        .collect::<String>();
    let mut tx = pool.begin().await?;
    let department = crate::department::db::end_membership(
        &mut tx,
        user_id,
        admin.id,
        Some(&reason).filter(|r| !r.is_empty()).map(String::as_str),
    )
    .await?;
    audit::record(
        &mut *tx,
        Event::new("membership.removed")
            .actor(admin.id)
            .subject(user_id)
            .department(Some(department))
            .detail(reason),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivates (`active` = "false") or reactivates an account. Deactivation ends its sessions
/// at once and refuses sign-in; what the person wrote and earned stays.
#[server(endpoint = "set-account-active")]
#[tracing::instrument(skip_all, fields(user_id))]
pub async fn set_account_active(
    user_id: i64,
    active: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    use crate::ssr::pool;
    let pool = pool()?;
    let admin = AuthUser::require(&pool).await?;
    if !matches!(
        admin.role,
        crate::accounts::Role::SiteAdmin | crate::accounts::Role::DepartmentAdmin
    ) {
        return Err(AppError::Forbidden);
    }
    let target = managed_member(&pool, &admin, user_id).await?;
    let active = match active.as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(AppError::BadRequest),
    };
    let reason = reason
        .unwrap_or_default()
        .trim()
        .chars()
        .take(500)
        .collect::<String>();
    if !active && reason.is_empty() {
        return Err(AppError::field(
            "reason",
            "Say why the account is deactivated (e.g. \"left the hospital in March\").",
        ));
    }
    let mut tx = pool.begin().await?;
    crate::department::db::set_active(
        &mut tx,
        user_id,
        active,
        admin.id,
        Some(&reason).filter(|r| !r.is_empty()).map(String::as_str),
    )
    .await?;
    audit::record(
        &mut *tx,
        Event::new(if active {
            "account.reactivated"
        } else {
            "account.deactivated"
        })
        .actor(admin.id)
        .subject(user_id)
        .department(target.department_id)
        .detail(reason),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Marks a member's council registration number as checked by the department.
#[server(endpoint = "department/verify-registration")]
#[tracing::instrument(skip_all, fields(user_id))]
pub async fn verify_registration(user_id: i64) -> Result<(), AppError> {
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    use crate::ssr::pool;
    let pool = pool()?;
    let admin = AuthUser::require(&pool).await?;
    if !matches!(
        admin.role,
        crate::accounts::Role::SiteAdmin | crate::accounts::Role::DepartmentAdmin
    ) {
        return Err(AppError::Forbidden);
    }
    let target = managed_member(&pool, &admin, user_id).await?;
    let mut tx = pool.begin().await?;
    crate::department::db::verify_registration(&mut tx, user_id, admin.id).await?;
    audit::record(
        &mut *tx,
        Event::new("account.registration_verified")
            .actor(admin.id)
            .subject(user_id)
            .department(target.department_id),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
