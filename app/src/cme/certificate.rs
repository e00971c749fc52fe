//! CME certificates: a one-page PDF (written directly: text in the standard Helvetica font and a
//! QR code drawn as squares, so no font files or renderers are needed) and the same facts as an
//! Open Badges 3.0 `OpenBadgeCredential`.

use crate::cme::Certificate;
use qrcode::{Color, QrCode};

/// Text for a PDF string in WinAnsi (Latin-1): characters outside it become '?', and the
/// string delimiters are escaped.
fn pdf_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '–' | '—' => out.push('-'),
            '‘' | '’' => out.push('\''),
            '“' | '”' => out.push('"'),
            c if (c as u32) < 0x20 => out.push(' '),
            c if (c as u32) < 0x7F => out.push(c),
            c if (0xA0..=0xFF).contains(&(c as u32)) => {
                out.push_str(&format!("\\{:03o}", c as u32));
            }
            _ => out.push('?'),
        }
    }
    out
}

/// The certificate as a PDF (A4 landscape). `verify_url` is printed and encoded in the QR code.
pub fn pdf(cert: &Certificate, verify_url: &str) -> Vec<u8> {
    let mut content = String::new();
    let mut text = |font: &str, size: f64, x: f64, y: f64, s: &str| {
        content.push_str(&format!(
            "BT /{font} {size} Tf {x:.1} {y:.1} Td ({}) Tj ET\n",
            pdf_text(s)
        ));
    };
    text("F2", 30.0, 60.0, 500.0, "Certificate of CME credit");
    text(
        "F1",
        13.0,
        60.0,
        470.0,
        &format!("Issued by {} through Corridor", cert.issuer),
    );
    text("F1", 14.0, 60.0, 420.0, "This certifies that");
    text("F2", 24.0, 60.0, 390.0, &cert.recipient_name);
    if let Some(reg) = cert
        .registration_number
        .as_deref()
        .filter(|r| !r.is_empty())
    {
        text(
            "F1",
            13.0,
            60.0,
            366.0,
            &format!(
                "Registration number: {reg}, {}",
                if cert.registration_verified {
                    "verified by the department"
                } else {
                    "self-declared"
                }
            ),
        );
    }
    text("F1", 14.0, 60.0, 330.0, "completed the activity");
    text("F2", 18.0, 60.0, 304.0, &cert.activity);
    text(
        "F1",
        14.0,
        60.0,
        270.0,
        &format!(
            "and was awarded {} CME {} on {}.",
            cert.amount,
            cert.credit_type,
            cert.issued_on.format("%-d %B %Y")
        ),
    );
    text(
        "F1",
        11.0,
        60.0,
        120.0,
        &format!("Certificate id: {}", cert.id),
    );
    text("F1", 11.0, 60.0, 104.0, &format!("Verify at {verify_url}"));
    if cert.revoked {
        text("F2", 20.0, 60.0, 200.0, "REVOKED");
    }

    // The QR code, bottom right: one filled square per dark module.
    if let Ok(code) = QrCode::new(verify_url.as_bytes()) {
        let width = code.width();
        let module = 150.0 / (width as f64 + 8.0);
        let (x0, y0) = (842.0 - 60.0 - 150.0, 60.0);
        content.push_str("0 0 0 rg\n");
        for (i, color) in code.to_colors().iter().enumerate() {
            if *color == Color::Dark {
                let (col, row) = (i % width, i / width);
                let x = x0 + (col as f64 + 4.0) * module;
                let y = y0 + 150.0 - (row as f64 + 5.0) * module;
                content.push_str(&format!("{x:.2} {y:.2} {module:.2} {module:.2} re f\n"));
            }
        }
    }

    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>".to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
    ];
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// The certificate as an Open Badges 3.0 credential (unsigned JSON).
pub fn open_badge(cert: &Certificate, base_url: &str) -> serde_json::Value {
    let verify = format!("{base_url}/verify/{}", cert.id);
    serde_json::json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": format!("{base_url}/certificates/{}/badge.json", cert.id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": format!("CME credit: {}", cert.activity),
        "issuer": {
            "id": base_url,
            "type": ["Profile"],
            "name": cert.issuer,
        },
        "validFrom": format!("{}T00:00:00Z", cert.issued_on.format("%Y-%m-%d")),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": cert.recipient_name,
            "identifier": cert.registration_number.as_ref().map(|r| serde_json::json!([{
                "type": "IdentityObject",
                "identityType": "identifier",
                "hashed": false,
                "identityHash": r,
            }])),
            "achievement": {
                "id": format!("{verify}#achievement"),
                "type": ["Achievement"],
                "name": cert.activity,
                "description": format!("{} CME {} awarded for completing {}.", cert.amount, cert.credit_type, cert.activity),
                "criteria": { "narrative": "Passed the case module and completed its activity evaluation." },
                "creditsAvailable": cert.amount,
            },
            "creditsEarned": cert.amount,
        },
        "credentialStatus": {
            "id": verify,
            "type": "CorridorVerificationPage",
            "revoked": cert.revoked,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn cert() -> Certificate {
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
    fn the_pdf_is_well_formed_and_carries_the_facts_and_a_qr_code() {
        let bytes = pdf(&cert(), "https://corridor.example/verify/3f2a9c");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("%PDF-1.4"));
        assert!(text.trim_end().ends_with("%%EOF"));
        for fact in [
            "Dr. Priya Menon",
            "MMC-2019-04411",
            "Painless jaundice \\(case module\\)",
            "25 November 2026",
            "3f2a9c",
        ] {
            assert!(text.contains(fact), "{fact}");
        }
        assert!(
            text.matches(" re f").count() > 100,
            "a QR code of many modules"
        );
        // The xref offsets point at the objects.
        let xref_at: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            bytes[xref_at..].starts_with(b"xref"),
            "startxref points at the table"
        );
        assert!(!text.contains("REVOKED"));
    }

    #[test]
    fn text_outside_latin1_does_not_break_the_pdf() {
        assert_eq!(
            pdf_text("Dr. (Mrs) Meera — Pune"),
            "Dr. \\(Mrs\\) Meera - Pune"
        );
        assert_eq!(pdf_text("é"), "\\351");
        assert_eq!(pdf_text("प्रिया"), "??????");
    }

    #[test]
    fn open_badge_json_is_an_open_badge_credential() {
        let json = open_badge(&cert(), "https://corridor.example");
        assert_eq!(json["type"][1], "OpenBadgeCredential");
        assert_eq!(
            json["credentialSubject"]["achievement"]["type"][0],
            "Achievement"
        );
        assert_eq!(json["credentialSubject"]["name"], "Dr. Priya Menon");
        assert_eq!(json["validFrom"], "2026-11-25T00:00:00Z");
        assert_eq!(json["credentialStatus"]["revoked"], false);
    }
}
