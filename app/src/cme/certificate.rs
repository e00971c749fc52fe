//! CME certificates: a one-page PDF (made with krilla: Noto fonts bundled in `app/fonts`,
//! embedded and subset, so a name in any Indian script prints and copies as itself; a QR code
//! drawn as squares). The same facts as a signed Open Badge are `cme::badge`'s.

use crate::cme::pdf::{self, Weight};
use crate::cme::Certificate;
use crate::error::AppError;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::Document;
use qrcode::{Color, QrCode};

const PAGE_WIDTH: f32 = 842.0; // A4 landscape, in points
const PAGE_HEIGHT: f32 = 595.0;
const MARGIN: f32 = 60.0;
const QR_SIZE: f32 = 150.0;
const INK: (u8, u8, u8) = (0x1f, 0x29, 0x33);
const ACCENT: (u8, u8, u8) = (0x0b, 0x5e, 0x6b);
const ALERT: (u8, u8, u8) = (0xb0, 0x1c, 0x1c);

fn fill(surface: &mut krilla::surface::Surface, (r, g, b): (u8, u8, u8)) {
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        ..Default::default()
    }));
}

/// Writes `text` from the left margin below `*y` (the top of its first line), wrapped into at most `max_lines` lines
/// (shrinking the size when it must), and moves `*y` below it. Lines above the QR code (bottom
/// right) may use the full width; lines beside it stop short of it.
fn block(
    surface: &mut krilla::surface::Surface,
    y: &mut f32,
    text: &str,
    (weight, size): (Weight, f32),
    max_lines: usize,
    gap_after: f32,
) {
    let full = PAGE_WIDTH - 2.0 * MARGIN;
    let qr_top = PAGE_HEIGHT - MARGIN - QR_SIZE;
    let max_width = if *y + size * 1.3 * (max_lines as f32) < qr_top {
        full
    } else {
        full - QR_SIZE - 30.0
    };
    let (size, lines) = pdf::fit(text, weight, size, size * 0.6, max_width, max_lines);
    for line in lines {
        *y += size;
        pdf::line(surface, MARGIN, *y, &line, weight, size);
        *y += size * 0.35;
    }
    *y += gap_after;
}

/// The certificate as a PDF (A4 landscape). `verify_url` is printed and encoded in the QR code.
pub fn pdf(cert: &Certificate, verify_url: &str) -> Result<Vec<u8>, AppError> {
    let mut document = Document::new();
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| AppError::internal("page size"))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();

    // A frame in the accent colour.
    if let Some(frame) = Rect::from_xywh(24.0, 24.0, PAGE_WIDTH - 48.0, PAGE_HEIGHT - 48.0) {
        let mut path = PathBuilder::new();
        path.push_rect(frame);
        if let Some(path) = path.finish() {
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                paint: rgb::Color::new(ACCENT.0, ACCENT.1, ACCENT.2).into(),
                width: 2.0,
                ..Default::default()
            }));
            surface.draw_path(&path);
            surface.set_stroke(None);
        }
    }

    let mut y = 62.0;
    fill(&mut surface, ACCENT);
    block(
        &mut surface,
        &mut y,
        "Certificate of CME credit",
        (Weight::Bold, 30.0),
        1,
        0.0,
    );
    fill(&mut surface, INK);
    block(
        &mut surface,
        &mut y,
        &format!("Issued by {} through Corridor", cert.issuer),
        (Weight::Regular, 13.0),
        2,
        22.0,
    );
    block(
        &mut surface,
        &mut y,
        "This certifies that",
        (Weight::Regular, 14.0),
        1,
        6.0,
    );
    block(
        &mut surface,
        &mut y,
        &cert.recipient_name,
        (Weight::Bold, 24.0),
        2,
        0.0,
    );
    if let Some(reg) = cert
        .registration_number
        .as_deref()
        .filter(|r| !r.is_empty())
    {
        let state = if cert.registration_verified {
            "verified by the department"
        } else {
            "self-declared"
        };
        block(
            &mut surface,
            &mut y,
            &format!("Registration number: {reg}, {state}"),
            (Weight::Regular, 13.0),
            1,
            0.0,
        );
    }
    y += 16.0;
    block(
        &mut surface,
        &mut y,
        "completed the activity",
        (Weight::Regular, 14.0),
        1,
        6.0,
    );
    block(
        &mut surface,
        &mut y,
        &cert.activity,
        (Weight::Bold, 18.0),
        3,
        8.0,
    );
    block(
        &mut surface,
        &mut y,
        &format!(
            "and was awarded {} CME {} on {}.",
            cert.amount,
            cert.credit_type,
            cert.issued_on.format("%-d %B %Y")
        ),
        (Weight::Regular, 14.0),
        2,
        12.0,
    );
    if cert.revoked {
        fill(&mut surface, ALERT);
        block(
            &mut surface,
            &mut y,
            "REVOKED",
            (Weight::Bold, 20.0),
            1,
            0.0,
        );
        fill(&mut surface, INK);
    }
    let footer = PAGE_HEIGHT - MARGIN - 16.0;
    pdf::line(
        &mut surface,
        MARGIN,
        footer,
        &format!("Certificate id: {}", cert.id),
        Weight::Regular,
        11.0,
    );
    let beside_qr = PAGE_WIDTH - 2.0 * MARGIN - QR_SIZE - 30.0;
    let (size, url) = pdf::fit(
        &format!("Verify at {verify_url}"),
        Weight::Regular,
        11.0,
        7.0,
        beside_qr,
        1,
    );
    if let Some(url) = url.first() {
        pdf::line(
            &mut surface,
            MARGIN,
            footer + 16.0,
            url,
            Weight::Regular,
            size,
        );
    }

    // The QR code, bottom right: one filled square per dark module.
    if let Ok(code) = QrCode::new(verify_url.as_bytes()) {
        let width = code.width();
        let module = QR_SIZE / (width as f32 + 8.0);
        let (x0, y0) = (
            PAGE_WIDTH - MARGIN - QR_SIZE,
            PAGE_HEIGHT - MARGIN - QR_SIZE,
        );
        let mut path = PathBuilder::new();
        for (i, color) in code.to_colors().iter().enumerate() {
            if *color == Color::Dark {
                let (col, row) = (i % width, i / width);
                let x = x0 + (col as f32 + 4.0) * module;
                let y = y0 + (row as f32 + 4.0) * module;
                if let Some(square) = Rect::from_xywh(x, y, module, module) {
                    path.push_rect(square);
                }
            }
        }
        if let Some(path) = path.finish() {
            fill(&mut surface, (0, 0, 0));
            surface.draw_path(&path);
        }
    }

    surface.finish();
    page.finish();
    document.set_metadata(
        Metadata::new()
            .title(format!("Certificate of CME credit: {}", cert.activity))
            .authors(vec![cert.issuer.clone()])
            .language("en".to_owned()),
    );
    document
        .finish()
        .map_err(|e| AppError::internal(format!("writing the certificate PDF: {e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cme::badge::tests::cert;

    /// The PDF's text layer as `pdftotext` (poppler, installed by the test command) reads it,
    /// with runs of white space made single spaces.
    fn text_layer(bytes: &[u8]) -> String {
        let path = std::env::temp_dir().join(format!(
            "corridor-certificate-{}-{:?}.pdf",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&path, bytes).unwrap();
        let out = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) is installed by the test command");
        std::fs::remove_file(&path).ok();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_pdf_carries_the_facts_in_its_text_layer() {
        let bytes = pdf(&cert(), "https://corridor.example/verify/3f2a9c").unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = text_layer(&bytes);
        for fact in [
            "Certificate of CME credit",
            "Dr. Priya Menon",
            "Registration number: MMC-2019-04411, verified by the department",
            "Painless jaundice (case module)",
            "25 November 2026",
            "Certificate id: 3f2a9c",
            "Verify at https://corridor.example/verify/3f2a9c",
            "Sahyadri Medical College & Hospital",
        ] {
            assert!(text.contains(fact), "{fact} in {text}");
        }
        assert!(!text.contains("REVOKED"));

        let revoked = Certificate {
            revoked: true,
            registration_verified: false,
            ..cert()
        };
        let text = text_layer(&pdf(&revoked, "https://corridor.example/verify/3f2a9c").unwrap());
        assert!(text.contains("REVOKED"), "{text}");
        assert!(text.contains("self-declared"), "{text}");
    }

    #[test]
    fn names_and_titles_in_every_indian_script_print_as_themselves() {
        let mut failures = Vec::new();
        for (script, name) in [
            ("Devanagari", "डॉ. प्रिया मेनन"),
            ("Bengali", "ডাঃ প্রিয়া মেনন"),
            ("Gurmukhi", "ਡਾ. ਪ੍ਰਿਆ ਮੇਨਨ"),
            ("Gujarati", "ડૉ. પ્રિયા મેનન"),
            ("Oriya", "ଡା. ପ୍ରିୟା ମେନନ"),
            ("Tamil", "டாக்டர் பிரியா மேனன்"),
            ("Telugu", "డా. ప్రియా మేనన్"),
            ("Kannada", "ಡಾ. ಪ್ರಿಯಾ ಮೆನನ್"),
            ("Malayalam", "ഡോ. പ്രിയ മേനോൻ"),
        ] {
            let certificate = Certificate {
                recipient_name: name.into(),
                activity: format!("पीलिया ({script})"),
                ..cert()
            };
            let text =
                text_layer(&pdf(&certificate, "https://corridor.example/verify/3f2a9c").unwrap());
            // pdftotext guesses word gaps from glyph positions and puts one inside the Oriya
            // name (before ୟା), so the name is compared without spaces: every character, in
            // order.
            let squash = |s: &str| s.split_whitespace().collect::<String>();
            if !squash(&text).contains(&squash(name))
                || !text.contains(&format!("पीलिया ({script})"))
            {
                failures.push(format!("{script}: {name} not in {text}"));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
        // Latin and Devanagari in one name.
        let mixed = Certificate {
            recipient_name: "Dr. प्रिया Menon".into(),
            ..cert()
        };
        let text = text_layer(&pdf(&mixed, "https://corridor.example/verify/3f2a9c").unwrap());
        assert!(text.contains("Dr. प्रिया Menon"), "{text}");
    }

    #[test]
    fn a_long_title_wraps_instead_of_running_off_the_page() {
        let long = "Painless obstructive jaundice with weight loss in a fifty-eight year old farmer from a rural district: workup, staging and the first conversation with the family";
        let certificate = Certificate {
            activity: long.into(),
            ..cert()
        };
        let text =
            text_layer(&pdf(&certificate, "https://corridor.example/verify/3f2a9c").unwrap());
        assert!(text.contains(long), "{text}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]

        /// Whatever a clinician's name, a case's title and an institution are called (any
        /// script, emoji, control characters, very long), the certificate is made.
        #[test]
        fn any_names_and_titles_make_a_certificate(
            name in "\\PC{0,80}",
            title in "(\\PC|\u{0}|\n){0,300}",
            issuer in "\\PC{0,120}",
            registration in proptest::option::of("\\PC{0,40}"),
        ) {
            let certificate = Certificate {
                recipient_name: name,
                activity: title,
                issuer,
                registration_number: registration,
                ..cert()
            };
            let bytes = pdf(&certificate, "https://corridor.example/verify/3f2a9c");
            proptest::prop_assert!(bytes.as_ref().is_ok_and(|b| b.starts_with(b"%PDF-")), "{:?}", bytes.err());
        }
    }
}
