//! Signed Open Badges: one signing key per installation, credentials that verify against the
//! published JWK Set, and revocation that flips the certificate's bit in the status list.

use crate::common::fixtures::{place_registered, take, world, World};
use crate::common::{Client, Evaluation, Reply, TestApp};
use app::cme::badge::jwt;
use axum::http::StatusCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;
use sqlx::PgPool;
use std::io::Read;

async fn fetch(app: &TestApp, path: &str) -> Reply {
    app.get(&mut Client::default(), path).await
}

/// The JWK in the published set that `token`'s header names.
async fn signer_of(app: &TestApp, token: &str) -> Value {
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    let set: Value = fetch(app, "/issuer/jwks.json").await.json();
    set["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .unwrap_or_else(|| panic!("no key {} in {set}", header["kid"]))
        .clone()
}

/// Fetches `/status/1`, verifies it and returns its bitstring.
async fn status_bits(app: &TestApp) -> Vec<u8> {
    let reply = fetch(app, "/status/1").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers["content-type"], "application/vc+jwt");
    let jwk = signer_of(app, &reply.body).await;
    let (_, list) = jwt::verify(&reply.body, &jwk).expect("the status list is signed");
    assert_eq!(list["type"][1], "BitstringStatusListCredential");
    assert_eq!(list["credentialSubject"]["type"], "BitstringStatusList");
    let encoded = list["credentialSubject"]["encodedList"].as_str().unwrap();
    let gzip = URL_SAFE_NO_PAD
        .decode(encoded.strip_prefix('u').expect("multibase base64url"))
        .unwrap();
    let mut bits = Vec::new();
    flate2::read::GzDecoder::new(&gzip[..])
        .read_to_end(&mut bits)
        .unwrap();
    assert_eq!(bits.len(), 16_384);
    bits
}

fn bit(bits: &[u8], index: usize) -> bool {
    bits[index / 8] & (0x80 >> (index % 8)) != 0
}

/// A resident passes the world's module and evaluates it: their certificate's id.
async fn earn(app: &TestApp, client: &mut Client, case_id: i64) -> String {
    let (attempt, passed) = take(app, client, case_id, true).await;
    assert!(passed);
    let certificate: Option<String> = app
        .evaluate_activity(client, Evaluation::of(attempt))
        .await
        .json();
    certificate.expect("a certificate")
}

#[sqlx::test(migrations = "../migrations")]
async fn one_signing_key_is_made_at_first_start_and_kept_across_restarts(pool: PgPool) {
    // Two servers starting together on a fresh database, then a restart.
    let (first, second) = tokio::join!(TestApp::new(pool.clone()), TestApp::new(pool.clone()));
    let keys: i64 = sqlx::query_scalar("select count(*) from signing_keys")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(keys, 1, "one key, whoever started first");
    let restarted = TestApp::new(pool.clone()).await;
    let published = fetch(&first, "/issuer/jwks.json").await;
    assert_eq!(published.status, StatusCode::OK);
    assert_eq!(
        published.headers["content-type"],
        "application/jwk-set+json"
    );
    assert_eq!(
        published.body,
        fetch(&second, "/issuer/jwks.json").await.body
    );
    assert_eq!(
        published.body,
        fetch(&restarted, "/issuer/jwks.json").await.body
    );
    let set: Value = published.json();
    let jwk = &set["keys"][0];
    assert_eq!(set["keys"].as_array().unwrap().len(), 1);
    assert_eq!(
        (&jwk["kty"], &jwk["crv"]),
        (&"OKP".into(), &"Ed25519".into())
    );
    assert!(jwk["kid"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}/issuer#key-", first.public_url)));

    // The secret is nowhere in what is published.
    let secret: Vec<u8> = sqlx::query_scalar("select secret from signing_keys")
        .fetch_one(&pool)
        .await
        .unwrap();
    let profile = fetch(&first, "/issuer").await;
    assert_eq!(profile.status, StatusCode::OK);
    let profile_json: Value = profile.json();
    assert_eq!(profile_json["type"][0], "Profile");
    assert_eq!(profile_json["id"], format!("{}/issuer", first.public_url));
    assert_eq!(
        profile_json["verificationMethod"][0]["publicKeyJwk"]["x"],
        jwk["x"]
    );
    assert_eq!(profile_json["verificationMethod"][0]["id"], jwk["kid"]);
    let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
    for text in [&profile.body, &published.body] {
        assert!(!text.contains(&URL_SAFE_NO_PAD.encode(&secret)));
        assert!(!text.contains(&base64::engine::general_purpose::STANDARD.encode(&secret)));
        assert!(!text.contains(&hex));
        assert!(!text.contains("\"d\""), "no private JWK member: {text}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_badge_verifies_against_the_published_keys_and_revoking_flips_its_bit(pool: PgPool) {
    let World {
        app,
        case_id,
        mut resident,
        mut admin,
        dept,
        ..
    } = world(pool.clone()).await;
    let certificate = earn(&app, &mut resident, case_id).await;
    let (mut other, other_id) = app.register("kept@example.in", "Dr. Kept Valid").await;
    place_registered(&pool, other_id, dept).await;
    let kept = earn(&app, &mut other, case_id).await;

    // Anyone fetches the signed credential; it verifies with the published key.
    let reply = fetch(&app, &format!("/certificates/{certificate}/badge.jwt")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers["content-type"], "application/vc+jwt");
    assert_eq!(reply.headers["access-control-allow-origin"], "*");
    let token = reply.body.clone();
    let jwk = signer_of(&app, &token).await;
    let (header, credential) = jwt::verify(&token, &jwk).expect("the badge verifies");
    assert_eq!(header["alg"], "EdDSA");
    assert_eq!(header["typ"], "vc+jwt");
    assert_eq!(credential["type"][1], "OpenBadgeCredential");
    assert_eq!(credential["credentialSubject"]["name"], "Dr. Priya Menon");
    assert_eq!(
        credential["issuer"]["id"],
        format!("{}/issuer", app.public_url)
    );
    // badge.json is the same credential, unsigned, and points to the signed one.
    let json = fetch(&app, &format!("/certificates/{certificate}/badge.json")).await;
    assert_eq!(json.json::<Value>(), credential);
    assert!(json.headers["link"]
        .to_str()
        .unwrap()
        .contains(&format!("/certificates/{certificate}/badge.jwt>")));

    // One byte of the payload changed, and the signature no longer matches.
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload = URL_SAFE_NO_PAD.decode(parts[1]).unwrap();
    let at = payload.windows(5).position(|w| w == b"Priya").unwrap();
    payload[at] = b'Q';
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(&payload),
        parts[2]
    );
    assert_eq!(jwt::verify(&forged, &jwk), Err(jwt::Invalid::Signature));

    // The status entry names the list and the certificate's bit, clear while it stands.
    let status = &credential["credentialStatus"];
    assert_eq!(status["type"], "BitstringStatusListEntry");
    assert_eq!(status["statusPurpose"], "revocation");
    assert_eq!(
        status["statusListCredential"],
        format!("{}/status/1", app.public_url)
    );
    let index: usize = status["statusListIndex"].as_str().unwrap().parse().unwrap();
    let kept_credential: Value = fetch(&app, &format!("/certificates/{kept}/badge.json"))
        .await
        .json();
    let kept_index: usize = kept_credential["credentialStatus"]["statusListIndex"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(index, kept_index);
    let bits = status_bits(&app).await;
    assert!(!bit(&bits, index) && !bit(&bits, kept_index));

    // The department admin revokes it (the existing flow): its bit is set, the other's not.
    app.revoke_certificate(&mut admin, &certificate, "Awarded in error")
        .await
        .ok();
    let bits = status_bits(&app).await;
    assert!(bit(&bits, index), "the revoked certificate's bit is set");
    assert!(!bit(&bits, kept_index), "the valid one's is not");
    assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 1);
    // The unsigned list says the same.
    let unsigned: Value = fetch(&app, "/status/1.json").await.json();
    let signed = fetch(&app, "/status/1").await;
    let (_, signed) = jwt::verify(&signed.body, &jwk).unwrap();
    assert_eq!(
        unsigned["credentialSubject"]["encodedList"],
        signed["credentialSubject"]["encodedList"]
    );
    // The revoked credential still verifies as signed: revocation is the list's to say.
    let again = fetch(&app, &format!("/certificates/{certificate}/badge.jwt")).await;
    assert!(jwt::verify(&again.body, &jwk).is_ok());
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_certificates_and_lists_are_not_found(pool: PgPool) {
    let app = TestApp::new(pool).await;
    for path in [
        "/certificates/0000000000000000000000000000dead/badge.jwt",
        "/certificates/0000000000000000000000000000dead/badge.json",
        "/status/0",
        "/status/2",
        "/status/01",
        "/status/one",
        "/status/2.json",
    ] {
        assert_eq!(
            fetch(&app, path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    // The first list exists before any certificate, all clear.
    assert!(status_bits(&app).await.iter().all(|b| *b == 0));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_verification_page_links_the_signed_credential_and_the_issuer(pool: PgPool) {
    let World {
        app,
        case_id,
        mut resident,
        ..
    } = world(pool).await;
    let certificate = earn(&app, &mut resident, case_id).await;
    let page = fetch(&app, &format!("/verify/{certificate}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains(&format!("href=\"/certificates/{certificate}/badge.jwt\"")));
    assert!(page.body.contains("href=\"/issuer\""));
    assert!(
        page.body.contains("verified by the department") || page.body.contains("self-declared")
    );
}
