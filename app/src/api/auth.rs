// A registration form has many fields, and a server function takes one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::{FormChoices, SessionUser};
use leptos::prelude::*;

/// The signed-in user, or `None`.
#[server(endpoint = "me")]
#[tracing::instrument(skip_all)]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let pool = crate::ssr::pool()?;
    crate::ssr::auth::current_user(&pool).await
}

#[server(endpoint = "login")]
#[tracing::instrument(skip_all)]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::ssr::{auth, state};
    let state = state()?;
    let ip = auth::client_ip(&state.login_limits);
    let user_id =
        auth::authenticate(&state.pool, &state.login_limits, &email, &password, &ip).await?;
    auth::start_session(&auth::session().await?, user_id).await?;
    tracing::info!(user_id, "signed in");
    leptos_axum::redirect(&super::safe_next(next.as_deref()));
    Ok(())
}

#[server(endpoint = "logout")]
#[tracing::instrument(skip_all)]
pub async fn logout() -> Result<(), AppError> {
    use crate::ssr::auth;
    auth::end_session(&auth::session().await?).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Creates a resident account and signs it in. Mentor and admin roles are granted by a site admin.
#[server(endpoint = "register")]
#[tracing::instrument(skip_all)]
pub async fn register(
    email: String,
    password: String,
    full_name: String,
    designation: String,
    specialty: String,
    department_id: String,
    medical_council: String,
    registration_number: String,
) -> Result<(), AppError> {
    use crate::model::{NewUser, RegistrationInput};
    use crate::ssr::{auth, db, pool};
    let pool = pool()?;
    let new_user = NewUser::parse(RegistrationInput {
        email: &email,
        password: &password,
        full_name: &full_name,
        designation: &designation,
        specialty: &specialty,
        department_id: &department_id,
        medical_council: &medical_council,
        registration_number: &registration_number,
    })?;
    let hash = auth::hash_password(new_user.password.clone()).await?;
    let user_id = db::users::insert(&pool, &new_user, &hash).await?;
    auth::start_session(&auth::session().await?, user_id).await?;
    tracing::info!(user_id, "registered");
    leptos_axum::redirect("/");
    Ok(())
}

/// Departments, specialties and councils for the forms. Public: the registration form needs it.
#[server(endpoint = "form-choices")]
#[tracing::instrument(skip_all)]
pub async fn get_form_choices() -> Result<FormChoices, AppError> {
    let pool = crate::ssr::pool()?;
    crate::ssr::db::users::form_choices(&pool).await
}
