//! Signing in and out, registering, confirming an address, resetting a password.

// A registration form has many fields, and a server function takes one argument per field.
#![allow(clippy::too_many_arguments)]

use crate::accounts::{FormChoices, SessionUser};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::auth::AuthUser;
use leptos::prelude::*;

/// The signed-in user, or `None`.
#[server(endpoint = "me")]
#[tracing::instrument(skip_all)]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let pool = crate::ssr::pool()?;
    crate::ssr::auth::AuthUser::current(&pool).await
}

#[server(endpoint = "login")]
#[tracing::instrument(skip_all)]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::ssr::{auth, state};
    let state = state()?;
    let ip = auth::client_ip(&state.login_limits);
    let (user_id, epoch) =
        auth::authenticate(&state.pool, &state.login_limits, &email, &password, &ip).await?;
    auth::start_session(&auth::session().await?, user_id, epoch).await?;
    tracing::info!(user_id, "signed in");
    leptos_axum::redirect(&crate::util::safe_next(next.as_deref()));
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

/// Registrations allowed per address and hour: enough for a ward's shared computer, too few to
/// script account creation.
#[cfg(feature = "ssr")]
const REGISTRATIONS_PER_HOUR: i64 = 10;

/// Creates a resident account and signs it in. The address is confirmed by a mailed link; the
/// department chosen is a request until the institution's domain or the department admin
/// confirms it. With an `invite` token (from a department admin's invitation) the account joins
/// that department at once. Mentor and admin roles are granted by a site admin.
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
    invite: Option<String>,
) -> Result<(), AppError> {
    use crate::accounts::{NewUser, RegistrationInput};
    use crate::department::{self as m, Purpose};
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    use crate::ssr::{auth, state};
    let state = state()?;
    let pool = &state.pool;
    let input = RegistrationInput {
        email: &email,
        password: &password,
        full_name: &full_name,
        designation: &designation,
        specialty: &specialty,
        department_id: &department_id,
        medical_council: &medical_council,
        registration_number: &registration_number,
    };
    let new_user = NewUser::parse(input)?;
    // Checked before the expensive hash, so a taken address costs no Argon2 work.
    if crate::accounts::db::email_taken(pool, &new_user.email).await? {
        return Err(crate::accounts::db::email_taken_error(&new_user));
    }
    // Counted once the form is valid (a person correcting a typo is not a bot), and before the
    // expensive hash.
    let ip = auth::client_ip(&state.login_limits);
    m::limit(pool, "register", &ip, REGISTRATIONS_PER_HOUR, 60).await?;
    let invitation = match invite.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(token) => Some((
            token.to_owned(),
            m::peek_token(pool, Purpose::Invite, token).await?,
        )),
        None => None,
    };
    if let Some((_, grant)) = &invitation {
        if grant.email != new_user.email {
            return Err(AppError::field(
                "email",
                "This invitation was sent to another address. Register with the invited address.",
            ));
        }
    }
    let hash = auth::hash_password(new_user.password.clone()).await?;
    let mut tx = pool.begin().await?;
    let user_id = crate::accounts::db::insert(&mut tx, &new_user, &hash).await?;
    audit::record(
        &mut *tx,
        Event::new("account.registered")
            .actor(user_id)
            .subject(user_id),
    )
    .await?;
    match &invitation {
        Some((token, _)) => {
            let grant = m::take_token(&mut tx, Purpose::Invite, token).await?;
            let department = grant.department_id.ok_or(AppError::NotFound)?;
            m::join_by_invitation(&mut tx, user_id, department, None).await?;
            audit::record(
                &mut *tx,
                Event::new("membership.joined_by_invitation")
                    .actor(user_id)
                    .subject(user_id)
                    .department(Some(department)),
            )
            .await?;
        }
        None => {
            if let Some(department) = new_user.department_id {
                m::add_event(
                    &mut tx,
                    Some(user_id),
                    department,
                    m::EventKind::Requested,
                    None,
                    Some(user_id),
                )
                .await?;
                audit::record(
                    &mut *tx,
                    Event::new("membership.requested")
                        .actor(user_id)
                        .subject(user_id)
                        .department(Some(department)),
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    if invitation.is_none() {
        send_verification(&state, user_id, &new_user.email, &new_user.full_name).await?;
    }
    auth::start_session(&auth::session().await?, user_id, 0).await?;
    tracing::info!(user_id, "registered");
    leptos_axum::redirect("/");
    Ok(())
}

#[cfg(feature = "ssr")]
async fn send_verification(
    state: &crate::ssr::AppState,
    user_id: i64,
    email: &str,
    name: &str,
) -> Result<(), AppError> {
    use crate::department::{self as m, Purpose};
    let token = m::create_token(
        &state.pool,
        Purpose::Verify,
        Some(user_id),
        email,
        None,
        None,
    )
    .await?;
    let link = format!("{}/verify-email?token={token}", state.public_url);
    state
        .mailer
        .send_later(crate::ssr::mail::messages::verify(email, name, &link));
    Ok(())
}

/// Sends a new confirmation link to the signed-in person's address.
#[server(endpoint = "resend-verification")]
#[tracing::instrument(skip_all)]
pub async fn resend_verification() -> Result<(), AppError> {
    use crate::ssr::state;
    let state = state()?;
    let user = AuthUser::require(&state.pool).await?;
    if user.email_verified {
        return Err(AppError::conflict("Your address is already confirmed."));
    }
    crate::department::limit(&state.pool, "verify-mail", &user.id.to_string(), 5, 60).await?;
    let standing = crate::department::standing(&state.pool, user.id).await?;
    send_verification(&state, user.id, &standing.email, &standing.full_name).await?;
    crate::ssr::respond::back_with("resent", "1");
    Ok(())
}

/// What confirming an address led to, for the page to say.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Confirmed {
    /// The address is confirmed.
    Address,
    /// … and the person joined this department through the institution's domain.
    Joined(String),
    /// … and their request for this department waits for its admin.
    Waiting(String),
}

/// Confirms an address from the mailed link. Works signed in or not (the link is the proof).
#[server(endpoint = "verify-email")]
#[tracing::instrument(skip_all)]
pub async fn verify_email(token: String) -> Result<Confirmed, AppError> {
    use crate::department::{self as m, Purpose, Verified};
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    let pool = crate::ssr::pool()?;
    let mut tx = pool.begin().await?;
    let grant = m::take_token(&mut tx, Purpose::Verify, &token).await?;
    let user_id = grant.user_id.ok_or(AppError::NotFound)?;
    let outcome = m::verify_email(&mut tx, user_id).await?;
    let department = match outcome {
        Verified::Joined(d) | Verified::Waiting(d) => Some(d),
        Verified::Address => None,
    };
    audit::record(
        &mut *tx,
        Event::new("account.email_verified")
            .actor(user_id)
            .subject(user_id)
            .department(department),
    )
    .await?;
    if let Verified::Joined(d) = outcome {
        audit::record(
            &mut *tx,
            Event::new("membership.joined_by_domain")
                .actor(user_id)
                .subject(user_id)
                .department(Some(d)),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(match outcome {
        Verified::Address => Confirmed::Address,
        Verified::Joined(d) => Confirmed::Joined(m::department_name(&pool, d).await?),
        Verified::Waiting(d) => Confirmed::Waiting(m::department_name(&pool, d).await?),
    })
}

/// Mails a password-reset link. The answer is the same whether or not the address has an
/// account, so the form cannot be used to find out who is registered.
#[server(endpoint = "forgot-password")]
#[tracing::instrument(skip_all)]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use crate::department::{self as m, Purpose};
    use crate::ssr::{auth, state};
    let state = state()?;
    let email = email.trim().to_lowercase();
    if !crate::accounts::is_plausible_email(&email) {
        let mut errors = crate::error::FieldErrors::new();
        errors.add("email", "Enter the e-mail address you registered with.");
        return Err(AppError::Invalid(errors.with_values(&[("email", &email)])));
    }
    let ip = auth::client_ip(&state.login_limits);
    m::limit(&state.pool, "reset-ip", &ip, 20, 60).await?;
    m::limit(&state.pool, "reset-email", &email, 3, 60).await?;
    if let Some(c) = crate::accounts::db::find_credentials(&state.pool, &email).await? {
        if c.active {
            let standing = m::standing(&state.pool, c.id).await?;
            let token =
                m::create_token(&state.pool, Purpose::Reset, Some(c.id), &email, None, None)
                    .await?;
            let link = format!("{}/reset-password?token={token}", state.public_url);
            state.mailer.send_later(crate::ssr::mail::messages::reset(
                &email,
                &standing.full_name,
                &link,
            ));
        }
    }
    leptos_axum::redirect("/forgot-password?sent=1");
    Ok(())
}

/// Sets a new password from a mailed link, ends every other session of the account and signs
/// this browser in.
#[server(endpoint = "reset-password")]
#[tracing::instrument(skip_all)]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::department::{self as m, Purpose};
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    use crate::ssr::{auth, pool};
    let pool = pool()?;
    crate::accounts::check_password(&password)?;
    let hash = auth::hash_password(password).await?;
    let mut tx = pool.begin().await?;
    let grant = m::take_token(&mut tx, Purpose::Reset, &token).await?;
    let user_id = grant.user_id.ok_or(AppError::NotFound)?;
    m::reset_password(&mut tx, user_id, &hash).await?;
    // Any other reset link still open for this account is void now.
    sqlx::query!(
        "update email_tokens set used_at = now() where user_id = $1 and purpose = 'reset' and used_at is null",
        user_id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Event::new("account.password_reset")
            .actor(user_id)
            .subject(user_id),
    )
    .await?;
    tx.commit().await?;
    let standing = m::standing(&pool, user_id).await?;
    if !standing.active {
        return Err(AppError::Deactivated);
    }
    let epoch = sqlx::query_scalar!("select session_epoch from users where id = $1", user_id)
        .fetch_one(&pool)
        .await?;
    auth::start_session(&auth::session().await?, user_id, epoch).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Departments, specialties and councils for the forms. Public: the registration form needs it.
#[server(endpoint = "form-choices")]
#[tracing::instrument(skip_all)]
pub async fn get_form_choices() -> Result<FormChoices, AppError> {
    let pool = crate::ssr::pool()?;
    crate::accounts::db::form_choices(&pool).await
}
