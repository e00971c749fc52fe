//! The record-number labels of Indian hospitals, on sentences as case sheets, OPD slips,
//! discharge summaries and lab reports print them; and clinical sentences that carry numbers
//! but no identifier.

use super::*;

fn found(text: &str) -> Vec<(FindingKind, &str)> {
    scan(text)
        .into_iter()
        .map(|f| (f.kind, &text[f.start..f.end]))
        .collect()
}

/// Each sentence must give exactly one finding of `kind` whose text is the given part.
fn flagged(cases: &[(&str, &str)], kind: FindingKind) {
    for (text, part) in cases {
        assert_eq!(found(text), vec![(kind, *part)], "{text}");
    }
}

#[test]
fn registration_numbers() {
    flagged(
        &[
            (
                "Reg. No. 2023/45871, seen in medicine OPD",
                "Reg. No. 2023/45871",
            ),
            ("Regn No: 889123", "Regn No: 889123"),
            ("Registration No.- 24-00981", "Registration No.- 24-00981"),
            ("CR No. 202400123456", "CR No. 202400123456"),
            (
                "Central Registration No 1123345",
                "Central Registration No 1123345",
            ),
            ("C.R. No: 556677", "C.R. No: 556677"),
            ("UHID No: AIIMS-2024-0047831", "UHID No: AIIMS-2024-0047831"),
            ("uhid 00892714 on the wristband", "uhid 00892714"),
            ("U.H.I.D. - 7781234", "U.H.I.D. - 7781234"),
            ("Hosp. No. 45/2391", "Hosp. No. 45/2391"),
            ("Hospital Number: 1200345", "Hospital Number: 1200345"),
            ("Patient ID: P0098812 (old file)", "Patient ID: P0098812"),
            ("PID: 77812", "PID: 77812"),
            ("Pt. ID 55129", "Pt. ID 55129"),
        ],
        FindingKind::RecordNumber,
    );
}

#[test]
fn outpatient_and_inpatient_numbers() {
    flagged(
        &[
            ("OPD No. 4567 dated today", "OPD No. 4567"),
            ("O.P. No: 12/889", "O.P. No: 12/889"),
            ("op no-99812", "op no-99812"),
            ("OPD Reg. No. 2024/77123", "OPD Reg. No. 2024/77123"),
            ("IPD No. 45678", "IPD No. 45678"),
            ("I.P.No:334455 admitted via casualty", "I.P.No:334455"),
            ("IP No - 55/2024", "IP No - 55/2024"),
            ("IPNo 781234", "IPNo 781234"),
            ("Inpatient no. 66123", "Inpatient no. 66123"),
            ("Admission No. A-2291 on day 1", "Admission No. A-2291"),
            ("Adm. No.: 7788", "Adm. No.: 7788"),
            ("B.H.T. No. 1124/23 in the file", "B.H.T. No. 1124/23"),
            ("Bed Head Ticket No 4431", "Bed Head Ticket No 4431"),
            ("Indoor No. 8812", "Indoor No. 8812"),
        ],
        FindingKind::RecordNumber,
    );
}

#[test]
fn medical_record_lab_and_radiology_numbers() {
    flagged(
        &[
            ("MRD No. 12-34567 requested", "MRD No. 12-34567"),
            ("M.R.D. No: 99812", "M.R.D. No: 99812"),
            ("MR No 44512", "MR No 44512"),
            (
                "Medical Record No. 2019/4471",
                "Medical Record No. 2019/4471",
            ),
            ("case sheet no. 7781 was reviewed", "case sheet no. 7781"),
            ("File No.: F-2231", "File No.: F-2231"),
            ("Lab No. 123456 (haematology)", "Lab No. 123456"),
            ("Lab ID: LB24-00981", "Lab ID: LB24-00981"),
            ("Sample ID 2400981123", "Sample ID 2400981123"),
            ("Specimen No. S/24/1123", "Specimen No. S/24/1123"),
            ("Accession No: ACC-88123", "Accession No: ACC-88123"),
            ("SIN: 10045567", "SIN: 10045567"),
            ("SRF ID 2912345678901", "SRF ID 2912345678901"),
            ("HPE No. B-1123/24: adenocarcinoma", "HPE No. B-1123/24"),
            ("X-Ray No. 4512, chest PA view", "X-Ray No. 4512"),
            ("Xray no 7789", "Xray no 7789"),
            ("CT No. 24/5567", "CT No. 24/5567"),
            ("MRI No: M-7781", "MRI No: M-7781"),
            ("USG No 3345", "USG No 3345"),
        ],
        FindingKind::RecordNumber,
    );
}

#[test]
fn billing_insurance_and_medico_legal_numbers() {
    flagged(
        &[
            ("Bill No. 2024/99812 paid", "Bill No. 2024/99812"),
            ("Receipt No: R-77812", "Receipt No: R-77812"),
            ("PM-JAY ID: PXY12345Z", "PM-JAY ID: PXY12345Z"),
            ("PMJAY ID 77AB1234", "PMJAY ID 77AB1234"),
            ("ESIC IP No. 3112345678", "IP No. 3112345678"),
            ("ESIC No: 1122334455", "ESIC No: 1122334455"),
            ("MLC No. 456/2024 registered", "MLC No. 456/2024"),
            ("M.L.C. 1123/24", "M.L.C. 1123/24"),
            (
                "Medico-legal case no. 77/2024",
                "Medico-legal case no. 77/2024",
            ),
            ("FIR No. 0123/2024, PS Kotwali", "FIR No. 0123/2024"),
            ("GD No. 45B", "GD No. 45B"),
            ("PM No. 221/24", "PM No. 221/24"),
        ],
        FindingKind::RecordNumber,
    );
}

#[test]
fn aadhaar_and_abha_after_their_labels_even_with_a_wrong_check_digit() {
    flagged(
        &[
            ("Aadhaar No: 1234 5678 9012", "1234 5678 9012"),
            ("aadhar no. 234567890123", "234567890123"),
            ("UID: 2345-6789-0123", "2345-6789-0123"),
            ("आधार: 2345 6789 0123", "2345 6789 0123"),
        ],
        FindingKind::Aadhaar,
    );
    flagged(
        &[
            ("ABHA No: 91123456789012", "91123456789012"),
            ("ABHA number 91-1234-5678-9012 linked", "91-1234-5678-9012"),
            ("Health ID: 12-3456-7890-1234", "12-3456-7890-1234"),
        ],
        FindingKind::Abha,
    );
}

#[test]
fn abha_addresses_in_production_and_sandbox() {
    flagged(
        &[
            ("ABHA address ramesh.kumar@abdm", "ramesh.kumar@abdm"),
            ("linked as priya_91@sbx yesterday", "priya_91@sbx"),
            ("old PHR address suresh@ndhm", "suresh@ndhm"),
        ],
        FindingKind::AbhaAddress,
    );
}

#[test]
fn hindi_labels_with_latin_or_devanagari_digits() {
    flagged(
        &[
            ("पंजीकरण संख्या: 2024/5567", "पंजीकरण संख्या: 2024/5567"),
            ("पंजीयन क्रमांक १२३४५", "पंजीयन क्रमांक १२३४५"),
            ("ओपीडी नं. 4456", "ओपीडी नं. 4456"),
            ("आईपीडी नं - 7788", "आईपीडी नं - 7788"),
            ("भर्ती संख्या 99812", "भर्ती संख्या 99812"),
        ],
        FindingKind::RecordNumber,
    );
}

#[test]
fn an_institution_adds_its_own_labels() {
    let labels = ["Sahyadri No".to_owned(), "  ".to_owned()];
    let text = "Sahyadri No. 2024-1123 admitted";
    let findings = scan_with(text, &labels);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].text, "Sahyadri No. 2024-1123");
    assert!(scan("Sahyadri No. 2024-1123 admitted").is_empty());
}

#[test]
fn a_label_without_a_number_or_with_a_short_one_is_not_flagged() {
    for text in [
        "Reg No. pending",
        "UHID not generated",
        "IP No. 12",
        "OPD no: -",
        "PID 3 episodes, treated",
        "History of PID in 2019",
        "SIN 2024 was the year",
        "CT no contrast 2 days later",
        "MRI no abnormality",
    ] {
        assert_eq!(found(text), vec![], "{text}");
    }
}

#[test]
fn clinical_sentences_with_numbers_are_not_flagged() {
    for text in [
        "Paracetamol 500 mg 1-0-1 for 5 days; amoxicillin 875 mg BD.",
        "Hb 9.8 g/dL, TLC 11,200/cumm, platelets 1,50,000/cumm, ESR 45 mm/hr.",
        "Platelets 1.5 lakh; INR 1.2; serum sodium 132 mEq/L.",
        "A 45-year-old woman, P2L2, presented in 2019 with fever for 10 days.",
        "Shifted to Ward 7, bed 12; later Bed No. 14 in the ICU, unit 3.",
        "GCS 15/15, APGAR 8/9 at 1 and 5 minutes, BP 120/80 mmHg, pulse 88/min.",
        "MRD 0.01% after induction; IP joint swelling; OP poisoning, atropine 2 mg.",
        "CT chest (2023) and MRI brain were normal; X-ray showed cardiomegaly.",
        "Lab values on day 3: urea 45, creatinine 1.1. Sample sent twice.",
        "Reviewed in OPD at 2 weeks, 3 months and 6 months; IPD stay 12 days.",
        "Admission was for 7 days. Bill paid by the family. ESIC hospital referral.",
        "NYHA class II, EF 35%, QRS 120 ms, CHA2DS2-VASc 3, HAS-BLED 2.",
        "Dose 0.5 mg/kg/day; 2 PM dose skipped; PCR Ct 24.",
        "रोगी को 3 दिन से बुखार है; बीपी 120/80, पल्स 90।",
    ] {
        assert_eq!(found(text), vec![], "{text}");
    }
}
