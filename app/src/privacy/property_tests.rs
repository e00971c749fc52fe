//! The scanner on arbitrary and adversarial text: it never panics, its findings are ordered,
//! apart and on character boundaries, a labelled number is found wherever it is put, and no
//! input takes it more than linear time.

use super::*;
use proptest::prelude::*;
use std::time::{Duration, Instant};

/// Pieces that reach every detector's corners: labels, separators, digits in groups, `@`,
/// relatives' markers, month names, Devanagari letters and digits.
const PIECES: &[&str] = &[
    "UHID",
    "I.P.",
    "No",
    "no.",
    "Number",
    ":",
    "-",
    "/",
    ".",
    " ",
    "  ",
    "#",
    "=",
    "@",
    "abdm",
    "sbx",
    "gmail.com",
    "S/o",
    "D/O.",
    "W/o",
    "March",
    "12th",
    "1984",
    "2019",
    "12",
    "03",
    "9876",
    "543210",
    "+91",
    "91",
    "1234",
    "5678",
    "9012",
    "ABCPE1234F",
    "आधार",
    "पंजीकरण संख्या",
    "१२३",
    "MRN",
    "X-Ray",
    "PM-JAY ID",
    "ABHA",
    "Aadhaar",
    "PID",
    "\n",
    "\t",
    "é",
    "😀",
    "ﬀ",
];

fn pieced() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 0..80).prop_map(|p| p.concat())
}

fn check_findings(text: &str, labels: &[String]) -> Result<(), TestCaseError> {
    let found = scan_with(text, labels);
    let mut last_end = 0;
    for f in &found {
        prop_assert!(f.start < f.end, "{f:?}");
        prop_assert!(f.start >= last_end, "overlap: {found:?}");
        prop_assert_eq!(text.get(f.start..f.end), Some(f.text.as_str()));
        last_end = f.end;
    }
    let fields = PrivacyFinding::scan_fields_with(&[("body", text)], labels);
    prop_assert_eq!(fields.len(), found.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_scans_without_panicking(text in "\\PC{0,300}") {
        check_findings(&text, &[])?;
    }

    #[test]
    fn text_made_of_identifier_pieces_scans_cleanly(
        text in pieced(),
        label in "[A-Za-z .]{0,8}",
    ) {
        check_findings(&text, &[label])?;
    }

    /// A labelled number in any surrounding sentence is found, with its label.
    #[test]
    fn a_labelled_number_is_found_wherever_it_stands(
        before in "[a-z ,.;()]{0,40}",
        label in proptest::sample::select(&[
            "UHID:", "Reg. No.", "CR No", "IP No -", "I.P.No:", "OPD No.", "MRD No.", "Lab ID",
            "Sample No.", "BHT No.", "X-Ray No.", "MLC No.", "Bill No.", "Adm. No.", "Hosp No",
        ][..]),
        number in "[A-Z]{0,2}[0-9]{3,8}(/[0-9]{2,4})?",
        after in "[a-z ,.;()]{0,40}",
    ) {
        let text = format!("{before}; {label} {number}; {after}");
        let wanted = format!("{label} {number}");
        let found = scan(&text);
        prop_assert!(
            found.iter().any(|f| f.kind == FindingKind::RecordNumber && f.text == wanted),
            "{text}: {found:?}"
        );
    }

    /// Clinical numbers without a label are never a record number.
    #[test]
    fn unlabelled_clinical_numbers_are_not_record_numbers(
        value in 1u32..100_000,
        unit in proptest::sample::select(&[
            "mg", "g/dL", "mmHg", "/min", "days", "years", "mEq/L", "%", "cells/cumm", "IU",
        ][..]),
        lead in proptest::sample::select(&[
            "Hb", "dose", "platelets", "bed", "ward", "GCS", "BP", "age", "weight", "day",
        ][..]),
    ) {
        let text = format!("{lead} {value} {unit} on admission.");
        prop_assert!(
            scan(&text).iter().all(|f| f.kind != FindingKind::RecordNumber),
            "{text}"
        );
    }
}

/// Inputs built to make a careless scanner quadratic: every one is scanned at 200 KB well
/// within a generous bound (a quadratic scan takes hours on these).
#[test]
fn adversarial_input_scans_in_linear_time() {
    const SIZE: usize = 200 * 1024;
    let patterns = [
        "MRN-",
        "UHID ",
        "I.P.",
        "1 ",
        "1-",
        "@",
        "a.",
        "a@a.",
        "S/o A ",
        "12/03/",
        "No No ",
        "आधार ",
        "१",
        "ABCPE1234F",
    ];
    for pattern in patterns {
        let mut text = pattern.repeat(SIZE / pattern.len());
        text.push_str(" 1234");
        let started = Instant::now();
        let found = scan_with(&text, &["MRN".to_owned()]);
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(10),
            "{pattern:?} x {}: {took:?} ({} findings)",
            SIZE / pattern.len(),
            found.len()
        );
    }
}

/// Found by the adversarial test: a value ran on through `MRN-MRN-…-1`, so every label re-read
/// the rest of the text. A record number is short; the value stops after a few dozen bytes.
#[test]
fn a_record_number_value_is_bounded_in_length() {
    let text = format!("MRN {}", "7".repeat(500));
    let found = scan(&text);
    assert_eq!(found.len(), 1);
    assert!(found[0].text.len() < 80, "{}", found[0].text.len());
}
