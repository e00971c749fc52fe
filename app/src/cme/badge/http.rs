//! The public documents of signed badges: a certificate's credential (JSON and VC-JWT), the
//! issuer profile, its JWK Set and the revocation status lists. Anyone may read them, signed
//! in or not, from any site (verifiers run in browsers too), so each says so in its headers.

use super::{db, jwt, keys, status};
use crate::error::AppError;
use crate::ssr::AppState;
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/certificates/{id}/badge.json", get(badge_json))
        .route("/certificates/{id}/badge.jwt", get(badge_jwt))
        .route("/issuer", get(issuer))
        .route("/issuer/jwks.json", get(jwks))
        .route("/status/{list}", get(status_list))
}

/// A public document of `content_type`, which caches may keep for `max_age` seconds.
fn public(body: String, content_type: &'static str, max_age: u32) -> Response {
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("public, max-age={max_age}")) {
        h.insert(header::CACHE_CONTROL, v);
    }
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// The credential as JSON (unsigned: what `badge.jwt` signs), pointing to the signed form.
async fn badge_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let base = state.public_url.as_str();
    let (cert, index) = db::certificate(&state.pool, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let credential = super::credential(&cert, base, index);
    let mut response = public(credential.to_string(), "application/ld+json", 300);
    let link = format!(
        "<{base}/certificates/{}/badge.jwt>; rel=\"alternate\"; type=\"{}\"",
        cert.id,
        jwt::MEDIA_TYPE
    );
    if let Ok(v) = HeaderValue::from_str(&link) {
        response.headers_mut().insert(header::LINK, v);
    }
    Ok(response)
}

/// The credential signed with the installation's key (VC-JWT).
async fn badge_jwt(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let base = state.public_url.as_str();
    let (cert, index) = db::certificate(&state.pool, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let key = keys::current(&state.pool).await?;
    let token = key.sign(base, &super::credential(&cert, base, index));
    Ok(public(token, jwt::MEDIA_TYPE, 300))
}

/// The issuer profile with its public keys.
async fn issuer(State(state): State<AppState>) -> Result<Response, AppError> {
    let keys = published(&state).await?;
    let profile = super::profile(state.public_url.as_str(), &keys);
    Ok(public(profile.to_string(), "application/ld+json", 300))
}

/// The public keys as a JWK Set.
async fn jwks(State(state): State<AppState>) -> Result<Response, AppError> {
    let keys = published(&state).await?;
    let set = super::jwk_set(state.public_url.as_str(), &keys);
    Ok(public(set.to_string(), "application/jwk-set+json", 300))
}

/// Every published key; on a database where none was made yet (no start since the
/// migration), the current one is made first.
async fn published(state: &AppState) -> Result<Vec<keys::PublishedKey>, AppError> {
    let keys = keys::published(&state.pool).await?;
    if !keys.is_empty() {
        return Ok(keys);
    }
    keys::current(&state.pool).await?;
    keys::published(&state.pool).await
}

/// A revocation status list: `/status/1` is the signed status list credential (VC-JWT, what
/// credentials' `statusListCredential` names), `/status/1.json` the same credential unsigned,
/// to read. Caches keep it a minute: a revocation shows within one.
async fn status_list(
    State(state): State<AppState>,
    Path(list): Path<String>,
) -> Result<Response, AppError> {
    let (number, as_json) = match list.strip_suffix(".json") {
        Some(number) => (number, true),
        None => (list.as_str(), false),
    };
    let list = number
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 1 && n.to_string() == number)
        .ok_or(AppError::NotFound)?;
    if !db::list_exists(&state.pool, list).await? {
        return Err(AppError::NotFound);
    }
    let base = state.public_url.as_str();
    let revoked = db::revoked_in(&state.pool, list).await?;
    let credential = status::credential(base, list, revoked, chrono::Utc::now());
    if as_json {
        return Ok(public(credential.to_string(), "application/ld+json", 60));
    }
    let key = keys::current(&state.pool).await?;
    Ok(public(key.sign(base, &credential), jwt::MEDIA_TYPE, 60))
}
