//! Hospital record numbers: a label that Indian hospitals print on case sheets, OPD slips,
//! discharge summaries and lab reports, followed by a number. The label decides; a number alone
//! (a dose, a lab value, a year, a bed) is not a record number.
//!
//! A label is written here in words (`"IP No"`); in the text each word may be spelt with dots
//! (`I.P.`), the words may be joined or split by spaces, dots, hyphens or nothing (`IPNo`,
//! `IP-No`, `X-Ray`, `Xray`), case does not matter, and a `No` word stands for `No`, `No.`,
//! `Number`, `Num`, `Nr` or `#`. Between the label and the number come any of ` .:#-=`.

use super::digits::{boundary_after, boundary_before};
use super::FindingKind;

/// One label: its words, what it identifies, and whether a mark (`:`, `#`, `-`, `=` or a `No`
/// word) must separate it from the number, for labels that are also ordinary words or clinical
/// abbreviations (`PID` is pelvic inflammatory disease, `SIN` a word).
pub(super) struct Label {
    pub words: &'static str,
    pub kind: FindingKind,
    pub needs_mark: bool,
}

const fn record(words: &'static str) -> Label {
    Label {
        words,
        kind: FindingKind::RecordNumber,
        needs_mark: false,
    }
}

const fn marked(words: &'static str) -> Label {
    Label {
        words,
        kind: FindingKind::RecordNumber,
        needs_mark: true,
    }
}

const fn aadhaar(words: &'static str) -> Label {
    Label {
        words,
        kind: FindingKind::Aadhaar,
        needs_mark: false,
    }
}

const fn abha(words: &'static str) -> Label {
    Label {
        words,
        kind: FindingKind::Abha,
        needs_mark: false,
    }
}

/// The built-in labels. Bed, ward and unit numbers are deliberately absent: they say where a
/// patient lay, not who the patient is.
pub(super) const LABELS: &[Label] = &[
    // Registration: the hospital's lifelong number for the patient.
    record("UHID"),
    record("UHN"),
    record("Unique Health ID"),
    record("Reg No"),
    record("Regn No"),
    record("Regd No"),
    record("Registration No"),
    record("Registration ID"),
    record("CR No"),
    record("CRN"),
    record("Central Registration No"),
    record("Hospital No"),
    record("Hosp No"),
    record("Hospital ID"),
    record("Patient ID"),
    record("Patient No"),
    record("Pt ID"),
    marked("PID"),
    record("Visit ID"),
    // Outpatient.
    record("OPD No"),
    record("OP No"),
    record("OPD ID"),
    record("OP ID"),
    record("OPD Reg No"),
    record("OPD Registration No"),
    record("OPD Card No"),
    record("OPD Slip No"),
    record("Case Paper No"),
    // Inpatient.
    record("IPD"),
    record("IP No"),
    record("IP ID"),
    record("In Patient No"),
    record("Admission No"),
    record("Adm No"),
    record("Admission ID"),
    record("BHT No"),
    record("Bed Head Ticket No"),
    record("Indoor No"),
    record("Indoor Reg No"),
    record("Discharge No"),
    // Medical records.
    record("MRN"),
    record("MR No"),
    record("MRD No"),
    record("MRD ID"),
    record("Medical Record No"),
    record("Medical Records No"),
    record("Case Sheet No"),
    record("File No"),
    // Laboratory, pathology, blood bank.
    record("Lab No"),
    record("Lab ID"),
    record("Lab Ref No"),
    record("Lab Reg No"),
    record("Sample No"),
    record("Sample ID"),
    record("Specimen No"),
    record("Specimen ID"),
    record("Accession No"),
    record("Barcode No"),
    marked("SIN"),
    record("SRF ID"),
    record("ICMR ID"),
    record("HPE No"),
    record("Biopsy No"),
    record("Histo No"),
    record("Cytology No"),
    record("FNAC No"),
    // Radiology.
    record("X Ray No"),
    record("CT No"),
    record("CT Scan No"),
    record("MRI No"),
    record("USG No"),
    record("Radiology No"),
    record("Film No"),
    record("Study ID"),
    // Billing and insurance (a bill or receipt number leads to the patient).
    record("Bill No"),
    record("Receipt No"),
    record("Invoice No"),
    record("Claim No"),
    record("Policy No"),
    record("PM JAY ID"),
    record("PMJAY No"),
    record("Ayushman Card No"),
    record("Golden Card No"),
    record("ESIC"),
    record("ESIC Card No"),
    record("ESI No"),
    record("Insurance No"),
    record("CGHS"),
    record("CGHS Card No"),
    record("Ration Card No"),
    record("Voter ID"),
    record("EPIC No"),
    record("Passport No"),
    // Medico-legal.
    record("MLC"),
    record("MLR No"),
    record("Medico Legal Case No"),
    record("Medico Legal No"),
    record("FIR No"),
    record("GD No"),
    record("GD Entry No"),
    record("Police Case No"),
    record("PM No"),
    record("Post Mortem No"),
    record("Autopsy No"),
    // National identities: reported as what they are, the number alone highlighted.
    aadhaar("Aadhaar"),
    aadhaar("Aadhar"),
    aadhaar("Adhaar"),
    aadhaar("UID No"),
    marked("UID").with_kind(FindingKind::Aadhaar),
    abha("ABHA"),
    abha("ABHA ID"),
    abha("Health ID"),
    // Hindi, as printed on government hospital slips.
    record("पंजीकरण संख्या"),
    record("पंजीकरण क्रमांक"),
    record("पंजीकरण नं"),
    record("पंजीयन संख्या"),
    record("पंजीयन क्रमांक"),
    record("रजिस्ट्रेशन नं"),
    record("ओपीडी नं"),
    record("ओपीडी संख्या"),
    record("ओपीडी क्रमांक"),
    record("आईपीडी नं"),
    record("आईपीडी संख्या"),
    record("आईपीडी क्रमांक"),
    record("भर्ती संख्या"),
    record("भर्ती क्रमांक"),
    record("यूएचआईडी"),
    aadhaar("आधार"),
];

impl Label {
    const fn with_kind(self, kind: FindingKind) -> Label {
        Label { kind, ..self }
    }
}

/// What stands for a `No` word in the text: its end, if one starts at `j`.
fn number_word(bytes: &[u8], j: usize) -> Option<usize> {
    if bytes.get(j) == Some(&b'#') {
        return Some(j + 1);
    }
    const WORDS: [&[u8]; 5] = [b"numbers", b"number", b"num", b"nr", b"no"];
    WORDS.iter().find_map(|w| {
        let end = j + w.len();
        (bytes.len() >= end && bytes[j..end].eq_ignore_ascii_case(w) && boundary_after(bytes, end))
            .then_some(end)
    })
}

fn is_break(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'.' | b'-' | b'_')
}

/// Whether the label word at `k` of `label` is `No`.
fn no_word_at(label: &[u8], k: usize) -> bool {
    label.len() >= k + 2
        && label[k..k + 2].eq_ignore_ascii_case(b"no")
        && (k == 0 || label[k - 1] == b' ')
        && (k + 2 == label.len() || label[k + 2] == b' ')
}

/// Where the label ends in the text, if it starts at `i`.
fn match_label(bytes: &[u8], i: usize, label: &[u8]) -> Option<usize> {
    let (mut j, mut k) = (i, 0);
    while k < label.len() {
        let c = label[k];
        if c == b' ' {
            while j < bytes.len() && is_break(bytes[j]) {
                j += 1;
            }
            k += 1;
            continue;
        }
        if no_word_at(label, k) {
            j = number_word(bytes, j)?;
            k += 2;
            continue;
        }
        if bytes.get(j)?.eq_ignore_ascii_case(&c) {
            j += 1;
            k += 1;
            // The letters of an abbreviation may carry dots: "I.P.", "M.R.D.", "U. H. I. D."
            if c.is_ascii_alphabetic()
                && label.get(k).is_some_and(u8::is_ascii_alphabetic)
                && bytes.get(j) == Some(&b'.')
            {
                j += 1;
                if bytes.get(j) == Some(&b' ') {
                    j += 1;
                }
            }
            continue;
        }
        return None;
    }
    Some(j)
}

/// A Devanagari digit (U+0966..U+096F) at `j`.
fn devanagari_digit(bytes: &[u8], j: usize) -> bool {
    bytes.len() >= j + 3
        && bytes[j] == 0xE0
        && bytes[j + 1] == 0xA5
        && (0xA6..=0xAF).contains(&bytes[j + 2])
}

/// The longest number read after a label. Record numbers are short; without a bound,
/// `MRN-MRN-MRN-…-1` would make every label read the rest of the text.
const VALUE_MAX: usize = 48;

/// The number after a label: letters and digits, with `/` or `-` inside, and groups of digits
/// separated by single spaces (an Aadhaar written 4-4-4). Its end, if it has a digit and at
/// least three characters.
fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut j = start;
    let mut has_digit = false;
    while j - start < VALUE_MAX {
        if devanagari_digit(bytes, j) {
            has_digit = true;
            j += 3;
        } else if bytes.get(j).is_some_and(u8::is_ascii_alphanumeric) {
            has_digit |= bytes[j].is_ascii_digit();
            j += 1;
        } else if j > start
            && ((bytes.get(j).is_some_and(|b| matches!(b, b'/' | b'-'))
                && bytes.get(j + 1).is_some_and(u8::is_ascii_alphanumeric))
                || (bytes[j - 1].is_ascii_digit()
                    && bytes.get(j) == Some(&b' ')
                    && bytes.get(j + 1).is_some_and(u8::is_ascii_digit)))
        {
            // `/` or `-` inside the number, or a space between groups of digits.
            j += 1;
        } else {
            break;
        }
    }
    (has_digit && j - start >= 3).then_some(j)
}

/// Labelled numbers: the built-in labels and `extra` (an institution's own, as record numbers).
/// A record number's finding includes its label; an Aadhaar's or an ABHA number's is the
/// number alone, as when it is found without a label.
pub(super) fn record_numbers(bytes: &[u8], extra: &[&str]) -> Vec<(FindingKind, usize, usize)> {
    let labels: Vec<(&[u8], FindingKind, bool)> = LABELS
        .iter()
        .map(|l| (l.words.as_bytes(), l.kind, l.needs_mark))
        .chain(
            extra
                .iter()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty())
                .map(|l| (l.as_bytes(), FindingKind::RecordNumber, false)),
        )
        .collect();
    // Which bytes can start a label, so most positions are passed over at once.
    let mut starts = [false; 256];
    for (words, _, _) in &labels {
        starts[usize::from(words[0].to_ascii_lowercase())] = true;
        starts[usize::from(words[0].to_ascii_uppercase())] = true;
    }
    let mut out = Vec::new();
    for i in 0..bytes.len() {
        if !starts[usize::from(bytes[i])] || !boundary_before(bytes, i) {
            continue;
        }
        for &(words, kind, needs_mark) in &labels {
            if !bytes[i].eq_ignore_ascii_case(&words[0]) {
                continue;
            }
            let Some(end) = match_label(bytes, i, words) else {
                continue;
            };
            if !boundary_after(bytes, end) && !bytes[end - 1].is_ascii_punctuation() {
                continue;
            }
            let mut j = end;
            let mut mark = no_word_at(words, words.len().saturating_sub(2));
            loop {
                while j < bytes.len()
                    && matches!(bytes[j], b' ' | b'\t' | b'.' | b':' | b'#' | b'-' | b'=')
                {
                    mark |= !matches!(bytes[j], b' ' | b'\t' | b'.');
                    j += 1;
                }
                match number_word(bytes, j) {
                    Some(after) => {
                        mark = true;
                        j = after;
                    }
                    None => break,
                }
            }
            if needs_mark && !mark {
                continue;
            }
            let Some(value_end) = value_end(bytes, j) else {
                continue;
            };
            let start = if kind == FindingKind::RecordNumber {
                i
            } else {
                j
            };
            out.push((kind, start, value_end));
        }
    }
    out
}
