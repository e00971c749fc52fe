//! Signed Open Badges 3.0: a certificate as an `OpenBadgeCredential` (VC Data Model 2.0),
//! secured as a VC-JWT (W3C "Securing Verifiable Credentials using JOSE and COSE": a compact
//! JWS, `alg: EdDSA`, `typ: vc+jwt`, whose payload is the credential itself) with the
//! installation's Ed25519 key, and revocable through a W3C Bitstring Status List.
//!
//! Everything a verifier needs is public and lives under `CORRIDOR_PUBLIC_URL`: the issuer
//! profile (`/issuer`, naming its keys), a JWK Set (`/issuer/jwks.json`) for standard JOSE
//! tools, and the status list (`/status/{n}`). No part of it depends on Corridor's code.

pub mod db;
pub mod http;
pub mod jwt;
pub mod keys;
pub mod status;

use crate::cme::Certificate;
use serde_json::{json, Value};

/// The issuer profile's address; credentials name it as `issuer.id`.
pub fn issuer_url(base: &str) -> String {
    format!("{base}/issuer")
}

/// What an Open Badges 3.0 credential's `@context` starts with.
const CONTEXT: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];

/// The certificate as an Open Badges 3.0 credential: what `badge.json` shows and `badge.jwt`
/// signs. `status_index` is the certificate's bit in the revocation status list. The issuer is
/// the installation's profile; its `name` is the institution the certificate was issued for.
pub fn credential(cert: &Certificate, base: &str, status_index: i64) -> Value {
    let verify = format!("{base}/verify/{}", cert.id);
    json!({
        "@context": CONTEXT,
        "id": format!("{base}/certificates/{}/badge.json", cert.id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": format!("CME credit: {}", cert.activity),
        "issuer": {
            "id": issuer_url(base),
            "type": ["Profile"],
            "name": cert.issuer,
            "url": base,
        },
        "validFrom": format!("{}T00:00:00Z", cert.issued_on.format("%Y-%m-%d")),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": cert.recipient_name,
            "identifier": cert.registration_number.as_ref().map(|r| json!([{
                "type": "IdentityObject",
                "identityType": "identifier",
                "hashed": false,
                "identityHash": r,
            }])),
            "achievement": {
                "id": format!("{verify}#achievement"),
                "type": ["Achievement"],
                "name": cert.activity,
                "description": format!(
                    "{} CME {} awarded for completing {}.",
                    cert.amount, cert.credit_type, cert.activity
                ),
                "criteria": {
                    "narrative": "Passed the case module and completed its activity evaluation."
                },
                "creditsAvailable": cert.amount,
            },
            "creditsEarned": cert.amount,
        },
        "credentialStatus": status::entry(base, status_index),
        // For people: the same facts, and whether it still stands, on a page.
        "evidence": [{
            "id": verify,
            "type": ["Evidence"],
            "name": "Corridor verification page",
        }],
    })
}

/// The installation's issuer profile (Open Badges `Profile`) with every key that signed or
/// signs its credentials, current and retired, as `JsonWebKey` verification methods.
pub fn profile(base: &str, keys: &[keys::PublishedKey]) -> Value {
    let issuer = issuer_url(base);
    let host = url::Url::parse(base)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| base.to_owned());
    let methods: Vec<Value> = keys
        .iter()
        .map(|k| {
            json!({
                "id": k.kid(base),
                "type": "JsonWebKey",
                "controller": issuer,
                "publicKeyJwk": k.public_jwk(),
            })
        })
        .collect();
    json!({
        "@context": [CONTEXT[0], CONTEXT[1], "https://www.w3.org/ns/cid/v1"],
        "id": issuer,
        "type": ["Profile"],
        "name": format!("Corridor ({host})"),
        "url": base,
        "description": "Corridor issues CME certificates for the institutions whose clinicians \
                        learn here; each credential names its institution. Credentials are \
                        VC-JWTs signed with the keys below, revocation is published as a \
                        Bitstring Status List.",
        "verificationMethod": methods,
        "assertionMethod": keys.iter().map(|k| k.kid(base)).collect::<Vec<_>>(),
        "jwks": format!("{issuer}/jwks.json"),
    })
}

/// The keys as a standard JWK Set (RFC 7517), current and retired: what JOSE libraries fetch.
pub fn jwk_set(base: &str, keys: &[keys::PublishedKey]) -> Value {
    json!({ "keys": keys.iter().map(|k| k.jwk(base)).collect::<Vec<_>>() })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// A certificate for the CME tests (badges and the PDF).
    pub(crate) fn cert() -> Certificate {
        Certificate {
            id: "3f2a9c".into(),
            recipient_name: "Dr. Priya Menon".into(),
            registration_number: Some("MMC-2019-04411".into()),
            registration_verified: true,
            activity: "Painless jaundice (case module)".into(),
            amount: 1.0,
            credit_type: crate::cme::CreditType::Points,
            issued_on: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            issuer: "Sahyadri Medical College & Hospital".into(),
            revoked: false,
            revoked_reason: None,
        }
    }

    #[test]
    fn the_credential_is_an_open_badge_with_a_status_list_entry() {
        let json = credential(&cert(), "https://corridor.example", 131_075);
        assert_eq!(json["type"][1], "OpenBadgeCredential");
        assert_eq!(json["@context"][0], "https://www.w3.org/ns/credentials/v2");
        assert_eq!(json["issuer"]["id"], "https://corridor.example/issuer");
        assert_eq!(
            json["issuer"]["name"],
            "Sahyadri Medical College & Hospital"
        );
        assert_eq!(json["credentialSubject"]["name"], "Dr. Priya Menon");
        assert_eq!(
            json["credentialSubject"]["achievement"]["type"][0],
            "Achievement"
        );
        assert_eq!(json["validFrom"], "2026-11-25T00:00:00Z");
        let status = &json["credentialStatus"];
        assert_eq!(status["type"], "BitstringStatusListEntry");
        assert_eq!(status["statusPurpose"], "revocation");
        // The second list, third bit: indexes are per list, and a string.
        assert_eq!(status["statusListIndex"], "3");
        assert_eq!(
            status["statusListCredential"],
            "https://corridor.example/status/2"
        );
        assert_eq!(status["id"], "https://corridor.example/status/2#3");
    }

    #[test]
    fn the_profile_and_jwk_set_publish_public_keys_only() {
        let key = keys::tests::key(7);
        let published = [keys::PublishedKey::of(4, &key.verifying_key())];
        let profile = profile("https://corridor.example", &published);
        assert_eq!(profile["id"], "https://corridor.example/issuer");
        assert_eq!(profile["name"], "Corridor (corridor.example)");
        assert_eq!(
            profile["verificationMethod"][0]["id"],
            "https://corridor.example/issuer#key-4"
        );
        assert_eq!(
            profile["verificationMethod"][0]["publicKeyJwk"]["crv"],
            "Ed25519"
        );
        let set = jwk_set("https://corridor.example", &published);
        let jwk = &set["keys"][0];
        assert_eq!(jwk["kty"], "OKP");
        assert_eq!(jwk["kid"], "https://corridor.example/issuer#key-4");
        assert!(jwk.get("d").is_none(), "no private part");
        let text = format!("{profile}{set}");
        let secret = jwt::b64(&key.to_bytes());
        assert!(!text.contains(&secret));
    }
}
