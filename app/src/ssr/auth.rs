//! Sessions, password hashing and sign-in limits.

use super::{db, LoginLimits};
use crate::error::AppError;
use crate::model::{Role, SessionUser};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use sqlx::PgPool;
use std::sync::OnceLock;
use tower_sessions::Session;

const USER_KEY: &str = "user_id";

/// Hashes a password with Argon2id on the blocking pool: hashing takes tens of milliseconds of
/// CPU and must not stall the async runtime.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

/// Checks a password against a stored hash, also on the blocking pool.
pub async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash)?;
        Ok::<_, argon2::password_hash::Error>(
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
        )
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

/// A hash to verify against when the e-mail is unknown, so that an unknown address takes as
/// long to reject as a wrong password and the two cannot be told apart.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"corridor-timing-equaliser", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(AppError::internal)
}

/// The signed-in user, if any. A session pointing at a deleted user is cleared.
pub async fn current_user(pool: &PgPool) -> Result<Option<SessionUser>, AppError> {
    user_of(pool, &session().await?).await
}

/// The user a session belongs to, for plain axum handlers (uploads, image files) that hold
/// the session themselves.
pub async fn user_of(pool: &PgPool, session: &Session) -> Result<Option<SessionUser>, AppError> {
    let Some(id) = session
        .get::<i64>(USER_KEY)
        .await
        .map_err(AppError::internal)?
    else {
        return Ok(None);
    };
    let user = db::users::session_user(pool, id).await?;
    if user.is_none() {
        session.flush().await.map_err(AppError::internal)?;
    }
    Ok(user)
}

pub async fn require_user(pool: &PgPool) -> Result<SessionUser, AppError> {
    current_user(pool).await?.ok_or(AppError::Unauthenticated)
}

pub async fn require_role(pool: &PgPool, allowed: &[Role]) -> Result<SessionUser, AppError> {
    let user = require_user(pool).await?;
    if allowed.contains(&user.role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Starts a signed-in session under a fresh session id, so an id planted before sign-in is
/// worthless after it (session fixation).
pub async fn start_session(session: &Session, user_id: i64) -> Result<(), AppError> {
    session.cycle_id().await.map_err(AppError::internal)?;
    session
        .insert(USER_KEY, user_id)
        .await
        .map_err(AppError::internal)
}

pub async fn end_session(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(AppError::internal)
}

/// The client's address, for per-address sign-in limits.
pub fn client_ip(limits: &LoginLimits) -> String {
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else {
        return "unknown".into();
    };
    if limits.trust_proxy {
        if let Some(forwarded) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return forwarded.trim().to_owned();
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Checks e-mail and password, applying the per-account and per-address limits first.
/// A wrong password and an unknown e-mail give the same error, after the same amount of work.
pub async fn authenticate(
    pool: &PgPool,
    limits: &LoginLimits,
    email: &str,
    password: &str,
    ip: &str,
) -> Result<i64, AppError> {
    let email = email.trim().to_lowercase();
    let (by_account, by_ip) =
        db::users::recent_failures(pool, &email, ip, limits.window_minutes).await?;
    if by_account >= limits.per_account || by_ip >= limits.per_ip {
        tracing::warn!(%ip, "sign-in rate limit reached");
        return Err(AppError::RateLimited {
            minutes: limits.window_minutes as u32,
        });
    }
    let credentials = db::users::find_credentials(pool, &email).await?;
    let hash = credentials
        .as_ref()
        .map(|(_, hash)| hash.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    let matches = verify_password(password.to_owned(), hash).await?;
    match credentials {
        Some((user_id, _)) if matches => {
            db::users::record_attempt(pool, &email, ip, true).await?;
            db::users::clear_failures(pool, &email).await?;
            Ok(user_id)
        }
        _ => {
            db::users::record_attempt(pool, &email, ip, false).await?;
            Err(AppError::BadCredentials)
        }
    }
}
