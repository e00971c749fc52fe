//! Compact JWS with Ed25519 (`alg: EdDSA`, RFC 8037), the form of a VC-JWT: the protected
//! header names the key (`kid`) and says the payload is a credential (`typ: vc+jwt`,
//! `cty: vc`); the payload is the credential's JSON.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_json::{json, Value};

/// The media type of a credential secured this way.
pub const MEDIA_TYPE: &str = "application/vc+jwt";

/// base64url without padding, as JOSE writes every part.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Signs `payload` with `key`, named `kid` in the header.
pub fn sign(key: &SigningKey, kid: &str, payload: &Value) -> String {
    let header = json!({ "alg": "EdDSA", "kid": kid, "typ": "vc+jwt", "cty": "vc" });
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(payload.to_string().as_bytes())
    );
    let signature = key.sign(input.as_bytes());
    format!("{input}.{}", b64(&signature.to_bytes()))
}

/// Why a token does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("not a compact JWS of three base64url parts with JSON header and payload")]
    Malformed,
    #[error("the header does not say EdDSA")]
    Algorithm,
    #[error("the key is not an Ed25519 public JWK")]
    Key,
    #[error("the signature does not match")]
    Signature,
}

/// The Ed25519 public key of an OKP JWK (`{"kty":"OKP","crv":"Ed25519","x":…}`).
pub fn public_key(jwk: &Value) -> Result<VerifyingKey, Invalid> {
    if jwk["kty"] != "OKP" || jwk["crv"] != "Ed25519" {
        return Err(Invalid::Key);
    }
    let x = jwk["x"].as_str().ok_or(Invalid::Key)?;
    let bytes: [u8; 32] = URL_SAFE_NO_PAD
        .decode(x)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(Invalid::Key)?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| Invalid::Key)
}

/// The header and payload of `token` if `jwk` signed it (strict Ed25519 verification).
pub fn verify(token: &str, jwk: &Value) -> Result<(Value, Value), Invalid> {
    let key = public_key(jwk)?;
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return Err(Invalid::Malformed);
    };
    let json = |part: &str| -> Result<Value, Invalid> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| Invalid::Malformed)?;
        serde_json::from_slice(&bytes).map_err(|_| Invalid::Malformed)
    };
    let header_json = json(header)?;
    if header_json["alg"] != "EdDSA" {
        return Err(Invalid::Algorithm);
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .ok()
        .and_then(|s| Signature::from_slice(&s).ok())
        .ok_or(Invalid::Malformed)?;
    key.verify_strict(format!("{header}.{payload}").as_bytes(), &signature)
        .map_err(|_| Invalid::Signature)?;
    Ok((header_json, json(payload)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cme::badge::keys::{tests::key, PublishedKey};

    fn jwk(key: &SigningKey) -> Value {
        PublishedKey::of(1, &key.verifying_key()).public_jwk()
    }

    #[test]
    fn a_signed_token_decodes_and_verifies_with_the_public_key() {
        let key = key(1);
        let payload = json!({ "type": ["VerifiableCredential"], "name": "Dr. Priya Menon" });
        let token = sign(&key, "https://corridor.example/issuer#key-1", &payload);
        let (header, decoded) = verify(&token, &jwk(&key)).expect("verifies");
        assert_eq!(decoded, payload);
        assert_eq!(
            header,
            json!({
                "alg": "EdDSA",
                "kid": "https://corridor.example/issuer#key-1",
                "typ": "vc+jwt",
                "cty": "vc"
            })
        );
        // Ed25519 is deterministic: the same credential gives the same token.
        assert_eq!(
            token,
            sign(&key, "https://corridor.example/issuer#key-1", &payload)
        );
    }

    #[test]
    fn a_changed_payload_byte_or_another_key_fails() {
        let key = key(1);
        let token = sign(&key, "k", &json!({ "name": "Dr. Priya Menon" }));
        let parts: Vec<&str> = token.split('.').collect();
        let mut payload = URL_SAFE_NO_PAD.decode(parts[1]).unwrap();
        let at = payload.iter().position(|b| *b == b'P').unwrap();
        payload[at] = b'Q';
        let forged = format!("{}.{}.{}", parts[0], b64(&payload), parts[2]);
        assert_eq!(verify(&forged, &jwk(&key)), Err(Invalid::Signature));
        assert_eq!(verify(&token, &jwk(&self::key(2))), Err(Invalid::Signature));
        assert_eq!(verify("a.b", &jwk(&key)), Err(Invalid::Malformed));
        let none = format!("{}.{}.{}", b64(br#"{"alg":"none"}"#), parts[1], parts[2]);
        assert_eq!(verify(&none, &jwk(&key)), Err(Invalid::Algorithm));
        assert_eq!(verify(&token, &json!({"kty": "RSA"})), Err(Invalid::Key));
    }
}
