//! Revocation as a W3C Bitstring Status List: every certificate has a bit, numbered at issue;
//! list `n` holds bits `[LIST_BITS (n - 1), LIST_BITS n)`. A set bit means revoked. The list is
//! made from the `certificates` table when asked for, so revoking (which stamps `revoked_at`)
//! flips the bit with no second write.

use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::{json, Value};
use std::io::Write;

/// Bits in one list: the specification's minimum of 16 KB, which hides which few are set
/// among many.
pub const LIST_BITS: i64 = 131_072;

/// The list a certificate's bit is in (numbered from 1), and its place there.
pub fn place(status_index: i64) -> (i64, i64) {
    (
        status_index.div_euclid(LIST_BITS) + 1,
        status_index.rem_euclid(LIST_BITS),
    )
}

/// The status list's address: what `statusListCredential` names and a verifier fetches.
pub fn list_url(base: &str, list: i64) -> String {
    format!("{base}/status/{list}")
}

/// A credential's `credentialStatus`.
pub fn entry(base: &str, status_index: i64) -> Value {
    let (list, index) = place(status_index);
    let url = list_url(base, list);
    json!({
        "id": format!("{url}#{index}"),
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": index.to_string(),
        "statusListCredential": url,
    })
}

/// The bitstring with the bits at `set` (places within the list) on: bit 0 is the most
/// significant bit of the first byte.
pub fn bitstring(set: impl IntoIterator<Item = i64>) -> Vec<u8> {
    let mut bits = vec![0u8; (LIST_BITS / 8) as usize];
    for index in set {
        if (0..LIST_BITS).contains(&index) {
            bits[(index / 8) as usize] |= 0x80 >> (index % 8);
        }
    }
    bits
}

/// `encodedList`: the GZIP-compressed bitstring, base64url without padding, with the multibase
/// prefix `u`.
pub fn encoded_list(set: impl IntoIterator<Item = i64>) -> String {
    let mut gzip = GzEncoder::new(Vec::new(), Compression::default());
    gzip.write_all(&bitstring(set))
        .expect("writing to memory does not fail");
    let compressed = gzip.finish().expect("writing to memory does not fail");
    format!("u{}", super::jwt::b64(&compressed))
}

/// The status list credential (`BitstringStatusListCredential`), valid from `now`.
pub fn credential(
    base: &str,
    list: i64,
    revoked: impl IntoIterator<Item = i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> Value {
    let url = list_url(base, list);
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": super::issuer_url(base),
        "validFrom": now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use std::io::Read;

    fn decode(encoded: &str) -> Vec<u8> {
        let compressed = URL_SAFE_NO_PAD
            .decode(encoded.strip_prefix('u').expect("multibase base64url"))
            .unwrap();
        let mut bits = Vec::new();
        flate2::read::GzDecoder::new(&compressed[..])
            .read_to_end(&mut bits)
            .unwrap();
        bits
    }

    #[test]
    fn the_list_sets_the_bits_of_the_revoked_from_the_left() {
        let bits = decode(&encoded_list([0, 9, LIST_BITS - 1]));
        assert_eq!(bits.len(), 16_384, "the specification's minimum size");
        assert_eq!(bits[0], 0b1000_0000, "index 0 is the first byte's high bit");
        assert_eq!(
            bits[1], 0b0100_0000,
            "index 9 is the second byte's second bit"
        );
        assert_eq!(bits[16_383], 0b0000_0001);
        assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 3);
        assert!(decode(&encoded_list([])).iter().all(|b| *b == 0));
    }

    #[test]
    fn certificates_past_the_first_list_go_to_the_next() {
        assert_eq!(place(0), (1, 0));
        assert_eq!(place(LIST_BITS - 1), (1, LIST_BITS - 1));
        assert_eq!(place(LIST_BITS), (2, 0));
        // A bit outside the list is never set into it.
        assert!(bitstring([LIST_BITS, -1]).iter().all(|b| *b == 0));
    }

    #[test]
    fn the_status_list_credential_says_what_it_is() {
        let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap();
        let json = credential("https://corridor.example", 1, [5], now);
        assert_eq!(json["type"][1], "BitstringStatusListCredential");
        assert_eq!(json["id"], "https://corridor.example/status/1");
        assert_eq!(json["issuer"], "https://corridor.example/issuer");
        assert_eq!(json["credentialSubject"]["type"], "BitstringStatusList");
        assert_eq!(json["credentialSubject"]["statusPurpose"], "revocation");
        let bits = decode(json["credentialSubject"]["encodedList"].as_str().unwrap());
        assert_eq!(bits[0], 0b0000_0100);
    }
}
