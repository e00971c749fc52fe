use crate::admin::AdminUser;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::auth::AuthUser;
use leptos::prelude::*;

#[server(endpoint = "admin/users")]
#[tracing::instrument(skip_all)]
pub async fn admin_users() -> Result<Vec<AdminUser>, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    AuthUser::site_admin(&pool).await?;
    crate::accounts::db::list_for_admin(&pool).await
}

/// A site admin makes a user a resident, mentor or department admin. Site admins are created
/// only from the command line (`server create-admin`), and nobody changes their own role.
#[server(endpoint = "admin/set-role")]
#[tracing::instrument(skip_all, fields(user_id))]
pub async fn set_user_role(user_id: i64, role: String) -> Result<(), AppError> {
    use crate::accounts::Role;
    use crate::ssr::pool;
    let pool = pool()?;
    let admin = AuthUser::site_admin(&pool).await?;
    let role = match Role::parse(&role) {
        Some(r @ (Role::Resident | Role::Mentor | Role::DepartmentAdmin)) => r,
        _ => {
            return Err(AppError::field(
                "role",
                "Choose resident, mentor or department admin.",
            ))
        }
    };
    if user_id == admin.id {
        return Err(AppError::field("role", "You cannot change your own role."));
    }
    let (target, _, _) = crate::accounts::db::session_user(&pool, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if target.role == Role::SiteAdmin {
        return Err(AppError::field(
            "role",
            "Site admins are managed from the command line.",
        ));
    }
    crate::accounts::db::set_role(&pool, user_id, role).await?;
    crate::ssr::audit::record(
        &pool,
        crate::ssr::audit::Event::new("account.role_changed")
            .actor(admin.id)
            .subject(user_id)
            .department(target.department_id)
            .detail(format!("{} → {}", target.role.as_str(), role.as_str())),
    )
    .await?;
    tracing::info!(
        user_id,
        role = role.as_str(),
        admin = admin.id,
        "role changed"
    );
    Ok(())
}

/// A site admin adds a department (and, the first time it is named, its institution), so people
/// can choose it when they register.
#[server(endpoint = "admin/add-department")]
#[tracing::instrument(skip_all)]
pub async fn add_department(
    institution: String,
    city: String,
    department: String,
) -> Result<(), AppError> {
    use crate::error::FieldErrors;
    use crate::ssr::pool;
    let pool = pool()?;
    AuthUser::site_admin(&pool).await?;
    let (institution, city, department) = (institution.trim(), city.trim(), department.trim());
    let mut errors = FieldErrors::new();
    if institution.is_empty() || institution.chars().count() > 150 {
        errors.add(
            "institution",
            "Name the institution (at most 150 characters).",
        );
    }
    if city.chars().count() > 80 {
        errors.add("city", "Keep the city to 80 characters.");
    }
    if department.is_empty() || department.chars().count() > 100 {
        errors.add(
            "department",
            "Name the department (at most 100 characters).",
        );
    }
    errors
        .with_values(&[
            ("institution", institution),
            ("city", city),
            ("department", department),
        ])
        .into_result()?;
    let city = (!city.is_empty()).then_some(city);
    crate::accounts::db::add_department(&pool, institution, city, department).await?;
    Ok(())
}

/// Institution and department settings: a site admin sees every institution, a department admin
/// their own department.
#[server(endpoint = "admin/settings")]
#[tracing::instrument(skip_all)]
pub async fn get_settings() -> Result<
    (
        crate::accounts::Role,
        Vec<crate::admin::InstitutionSettings>,
    ),
    AppError,
> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::admin(&pool).await?;
    let only = crate::ssr::guard::overseen_department(&user)?;
    Ok((user.role, crate::admin::db::settings(&pool, only).await?))
}

/// Switches peer review for a department: its site admin or its own department admin.
#[server(endpoint = "admin/peer-review")]
#[tracing::instrument(skip_all, fields(department_id))]
pub async fn set_peer_review(department_id: i64, enabled: Option<String>) -> Result<(), AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::admin(&pool).await?;
    crate::ssr::guard::admin_of_department(&user, department_id)?;
    let enabled = matches!(enabled.as_deref(), Some("on" | "true" | "yes"));
    if !crate::admin::db::set_peer_review(&pool, department_id, enabled).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(
        department_id,
        enabled,
        user_id = user.id,
        "peer review switched"
    );
    Ok(())
}

/// A site admin adds a record-number label an institution uses (e.g. "PID"), which the
/// privacy guard then treats like UHID or MRN in cases written there.
#[server(endpoint = "admin/add-record-label")]
#[tracing::instrument(skip_all, fields(institution_id))]
pub async fn add_record_label(institution_id: i64, label: String) -> Result<(), AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::site_admin(&pool).await?;
    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
    let valid = label
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && label.chars().count() <= 24
        && label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " ./-".contains(c));
    if !valid {
        return Err(AppError::Invalid(
            crate::error::FieldErrors {
                errors: vec![(
                    "label".into(),
                    "A label starts with a letter and uses letters, digits, spaces, dots, slashes or hyphens (at most 24), e.g. PID or Hosp No.".into(),
                )],
                values: vec![("label".into(), label.clone())],
            },
        ));
    }
    if !crate::admin::db::add_label(&pool, institution_id, &label, user.id).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(institution_id, label, "record-number label added");
    Ok(())
}

#[server(endpoint = "admin/remove-record-label")]
#[tracing::instrument(skip_all, fields(institution_id))]
pub async fn remove_record_label(institution_id: i64, label: String) -> Result<(), AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    AuthUser::site_admin(&pool).await?;
    crate::admin::db::remove_label(&pool, institution_id, &label).await?;
    tracing::info!(institution_id, label, "record-number label removed");
    Ok(())
}
