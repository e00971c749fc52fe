use crate::error::AppError;
use crate::model::AdminUser;
use leptos::prelude::*;

#[server(endpoint = "admin/users")]
#[tracing::instrument(skip_all)]
pub async fn admin_users() -> Result<Vec<AdminUser>, AppError> {
    use crate::model::Role;
    use crate::ssr::{auth, db, pool};
    let pool = pool()?;
    auth::require_role(&pool, &[Role::SiteAdmin]).await?;
    db::users::list_for_admin(&pool).await
}

/// A site admin makes a user a resident, mentor or department admin. Site admins are created
/// only from the command line (`server create-admin`), and nobody changes their own role.
#[server(endpoint = "admin/set-role")]
#[tracing::instrument(skip_all, fields(user_id))]
pub async fn set_user_role(user_id: i64, role: String) -> Result<(), AppError> {
    use crate::model::Role;
    use crate::ssr::{auth, db, pool};
    let pool = pool()?;
    let admin = auth::require_role(&pool, &[Role::SiteAdmin]).await?;
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
    let target = db::users::session_user(&pool, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if target.role == Role::SiteAdmin {
        return Err(AppError::field(
            "role",
            "Site admins are managed from the command line.",
        ));
    }
    db::users::set_role(&pool, user_id, role).await?;
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
    use crate::model::Role;
    use crate::ssr::{auth, db, pool};
    let pool = pool()?;
    auth::require_role(&pool, &[Role::SiteAdmin]).await?;
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
    db::users::add_department(&pool, institution, city, department).await?;
    Ok(())
}
