//! The installation's signing key: an Ed25519 key made on first start, kept in `signing_keys`,
//! its secret read only to sign and never shown (a redacted `Debug`, zeroed copies).
//!
//! Several servers may start together on one database: each inserts a key with `on conflict
//! do nothing` against the one-current-key index, then all read the one that won.

use super::jwt;
use crate::error::AppError;
use ed25519_dalek::{SigningKey, VerifyingKey};
use rand::RngCore;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::fmt;
use zeroize::{Zeroize, Zeroizing};

/// The key that signs now.
pub struct IssuerKey {
    pub id: i64,
    key: SigningKey,
}

impl fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuerKey")
            .field("id", &self.id)
            .field("secret", &"[redacted]")
            .finish()
    }
}

impl IssuerKey {
    /// Signs a credential as a VC-JWT whose `kid` is this key's address under `base`.
    pub fn sign(&self, base: &str, credential: &Value) -> String {
        jwt::sign(&self.key, &kid(base, self.id), credential)
    }
}

/// A key's id in headers, the profile and the JWK Set: the issuer profile's address with a
/// fragment, stable while `CORRIDOR_PUBLIC_URL` is.
pub fn kid(base: &str, id: i64) -> String {
    format!("{}#key-{id}", super::issuer_url(base))
}

/// A key as published: its public half only.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedKey {
    pub id: i64,
    /// `{"kty":"OKP","crv":"Ed25519","x":…}`, as stored.
    jwk: Value,
}

impl PublishedKey {
    pub fn of(id: i64, key: &VerifyingKey) -> Self {
        Self {
            id,
            jwk: json!({ "kty": "OKP", "crv": "Ed25519", "x": jwt::b64(key.as_bytes()) }),
        }
    }

    pub fn kid(&self, base: &str) -> String {
        kid(base, self.id)
    }

    /// The bare public JWK (the profile's `publicKeyJwk`).
    pub fn public_jwk(&self) -> Value {
        self.jwk.clone()
    }

    /// The JWK Set entry: the public JWK with its `kid`, algorithm and use.
    pub fn jwk(&self, base: &str) -> Value {
        let mut jwk = self.jwk.clone();
        jwk["kid"] = json!(self.kid(base));
        jwk["alg"] = json!("EdDSA");
        jwk["use"] = json!("sig");
        jwk
    }
}

/// The current signing key, made (once per installation) if there is none.
pub async fn current(pool: &PgPool) -> Result<IssuerKey, AppError> {
    if let Some(key) = load(pool).await? {
        return Ok(key);
    }
    let mut seed = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(&mut seed[..]);
    let key = SigningKey::from_bytes(&seed);
    let public = PublishedKey::of(0, &key.verifying_key()).jwk;
    let inserted = sqlx::query!(
        r#"
        insert into signing_keys (algorithm, public_jwk, secret) values ('Ed25519', $1, $2)
        on conflict do nothing
        "#,
        public,
        &seed[..]
    )
    .execute(pool)
    .await?
    .rows_affected();
    if inserted == 1 {
        tracing::info!("created the installation's credential signing key");
    }
    load(pool)
        .await?
        .ok_or_else(|| AppError::internal("no current signing key after inserting one"))
}

async fn load(pool: &PgPool) -> Result<Option<IssuerKey>, AppError> {
    let row = sqlx::query!(
        r#"select id, secret from signing_keys where retired_at is null and algorithm = 'Ed25519'"#
    )
    .fetch_optional(pool)
    .await?;
    let Some(mut row) = row else {
        return Ok(None);
    };
    let seed: Option<Zeroizing<[u8; 32]>> =
        row.secret.as_slice().try_into().ok().map(Zeroizing::new);
    row.secret.zeroize();
    let seed = seed.ok_or_else(|| AppError::internal("a signing key's secret is not 32 bytes"))?;
    Ok(Some(IssuerKey {
        id: row.id,
        key: SigningKey::from_bytes(&seed),
    }))
}

/// Every key credentials may name, current and retired, oldest first.
pub async fn published(pool: &PgPool) -> Result<Vec<PublishedKey>, AppError> {
    let rows = sqlx::query!(r#"select id, public_jwk from signing_keys order by id"#)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| PublishedKey {
            id: r.id,
            jwk: r.public_jwk,
        })
        .collect())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A fixed key for tests.
    pub fn key(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let key = IssuerKey { id: 3, key: key(9) };
        let shown = format!("{key:?}");
        assert_eq!(shown, r#"IssuerKey { id: 3, secret: "[redacted]" }"#);
    }

    #[test]
    fn the_kid_is_the_issuer_profile_with_a_fragment() {
        assert_eq!(
            kid("https://corridor.example", 2),
            "https://corridor.example/issuer#key-2"
        );
    }
}
