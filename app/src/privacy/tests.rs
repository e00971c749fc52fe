use super::*;

fn kinds(text: &str) -> Vec<(FindingKind, &str)> {
    scan(text)
        .into_iter()
        .map(|f| (f.kind, &text[f.start..f.end]))
        .collect()
}

/// A valid Aadhaar-like number: 11 digits plus their Verhoeff check digit.
fn aadhaar(first11: &str) -> String {
    let digits: Vec<u8> = first11.bytes().map(|b| b - b'0').collect();
    format!("{first11}{}", verhoeff_check_digit(&digits))
}

#[test]
fn verhoeff_known_values() {
    assert!(verhoeff_valid(&[2, 3, 6, 3]));
    assert!(!verhoeff_valid(&[2, 3, 6, 4]));
    assert_eq!(verhoeff_check_digit(&[2, 3, 6]), 3);
    assert_eq!(verhoeff_check_digit(&[1, 2, 3, 4, 5]), 1);
}

#[test]
fn aadhaar_with_and_without_separators() {
    let n = aadhaar("49731823456");
    let spaced = format!("{} {} {}", &n[..4], &n[4..8], &n[8..]);
    let hyphened = format!("{}-{}-{}", &n[..4], &n[4..8], &n[8..]);
    for text in [
        format!("Aadhaar {n} noted"),
        format!("UID: {spaced}."),
        format!("({hyphened})"),
    ] {
        let found = kinds(&text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert_eq!(found[0].0, FindingKind::Aadhaar, "{text}");
    }
}

#[test]
fn aadhaar_rules_are_checked() {
    let n = aadhaar("49731823456");
    let mut bad_checksum = n.clone().into_bytes();
    bad_checksum[11] = b'0' + (bad_checksum[11] - b'0' + 1) % 10;
    let bad_checksum = String::from_utf8(bad_checksum).unwrap();
    assert!(kinds(&bad_checksum)
        .iter()
        .all(|(k, _)| *k != FindingKind::Aadhaar));
    let starts_with_1 = aadhaar("19731823456");
    assert!(kinds(&starts_with_1)
        .iter()
        .all(|(k, _)| *k != FindingKind::Aadhaar));
    // Part of a longer number is not an Aadhaar.
    assert!(kinds(&format!("{n}7")).is_empty());
}

#[test]
fn abha_number_and_address() {
    let found = kinds("ABHA 91-2345-6789-0123 linked; address ramesh.k@abdm");
    assert_eq!(
        found,
        vec![
            (FindingKind::Abha, "91-2345-6789-0123"),
            (FindingKind::AbhaAddress, "ramesh.k@abdm")
        ]
    );
}

#[test]
fn pan_numbers() {
    assert_eq!(
        kinds("PAN ABCPE1234F on file"),
        vec![(FindingKind::Pan, "ABCPE1234F")]
    );
    // The fourth letter must be a holder type; lower case and embedded codes are not PANs.
    assert!(kinds("ABCXE1234F").is_empty());
    assert!(kinds("abcpe1234f").is_empty());
    assert!(kinds("XABCPE1234F").is_empty());
}

#[test]
fn phone_numbers() {
    for (text, number) in [
        ("call +91 98765 43210 today", "+91 98765 43210"),
        ("mob: +91-9876543210", "+91-9876543210"),
        ("ph 09876543210", "09876543210"),
        ("contact 9876543210.", "9876543210"),
        ("son's number 98765-43210", "98765-43210"),
        ("landline 020-2612 3456", "020-2612 3456"),
    ] {
        assert_eq!(kinds(text), vec![(FindingKind::Phone, number)], "{text}");
    }
}

#[test]
fn email_addresses() {
    assert_eq!(
        kinds("mailed to ramesh.kumar88@gmail.com."),
        vec![(FindingKind::Email, "ramesh.kumar88@gmail.com")]
    );
    assert!(kinds("@mention and a@b").is_empty());
}

#[test]
fn full_dates() {
    for (text, date) in [
        ("DOB 12/03/1984", "12/03/1984"),
        ("born 12-3-1984.", "12-3-1984"),
        ("dob: 1984-03-12", "1984-03-12"),
        ("born on 12th March 1984", "12th March 1984"),
        ("DOB March 12, 1984", "March 12, 1984"),
        ("admitted 3 Jan 2024", "3 Jan 2024"),
        ("date 12.03.1984", "12.03.1984"),
    ] {
        assert_eq!(kinds(text), vec![(FindingKind::Dob, date)], "{text}");
    }
}

#[test]
fn relational_names() {
    assert_eq!(
        kinds("Patient S/o Ramesh Kumar presented with fever"),
        vec![(FindingKind::RelationalName, "S/o Ramesh Kumar")]
    );
    assert_eq!(
        kinds("W/O. Suresh"),
        vec![(FindingKind::RelationalName, "W/O. Suresh")]
    );
    assert_eq!(
        kinds("d/o Lakshmi and"),
        vec![(FindingKind::RelationalName, "d/o Lakshmi")]
    );
    assert!(kinds("s/o").is_empty());
}

#[test]
fn record_numbers() {
    for (text, found) in [
        ("UHID: 2024/001234", "UHID: 2024/001234"),
        ("MRN 8812345", "MRN 8812345"),
        ("IPD No. 45678", "IPD No. 45678"),
        ("CR No. 2023-7788", "CR No. 2023-7788"),
        ("ip no 778899", "ip no 778899"),
    ] {
        assert_eq!(
            kinds(text),
            vec![(FindingKind::RecordNumber, found)],
            "{text}"
        );
    }
    let custom = scan_with("PID-77812 admitted", &["PID".to_owned()]);
    assert_eq!(custom.len(), 1);
    assert_eq!(custom[0].kind, FindingKind::RecordNumber);
    assert_eq!(custom[0].text, "PID-77812");
}

#[test]
fn clinical_text_is_not_flagged() {
    let text = "A 54-year-old man, diabetic for 12 years, presented in 2019 with chest pain. \
        BP 130/80 mmHg, pulse 96/min, SpO2 94%. Hb 11.2 g/dL, TLC 12,400/mm3, platelets 2.1 lakh, \
        creatinine 1.4 mg/dL, HbA1c 8.2%. Troponin I 0.45 ng/mL. ECG: ST elevation in V1-V4. \
        Given aspirin 325 mg, clopidogrel 600 mg, heparin 5000 IU, atorvastatin 80 mg. \
        Door-to-balloon 68 minutes; EF 40%. Follow-up at 6 weeks, 3 months and 12/24. \
        Stent 3.0 x 28 mm. Potassium 4.2, sodium 138. Weight 72 kg, height 168 cm. \
        Day 3: afebrile. Gravida 2 para 1, 30 weeks. Dose 0.5 mg/kg/day for 14 days. \
        Platelets 150000-450000 reference. Ward 7, bed 12. ICD-10 I21.0.";
    assert_eq!(kinds(text), vec![], "clinical numbers must pass");
}

#[test]
fn offsets_are_byte_offsets() {
    let text = "रोगी — contact 9876543210";
    let f = &scan(text)[0];
    assert_eq!(&text[f.start..f.end], "9876543210");
    assert_eq!(f.text, "9876543210");
}
