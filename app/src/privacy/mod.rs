//! The privacy guard: finds patient identifiers common in Indian records in free text, so a case
//! carrying one cannot be published by accident (India's DPDP Act).
//!
//! Plain Rust with no regex engine, so it is cheap to run on every keystroke-preview and small
//! enough for any build. Offsets are byte offsets into the scanned text.

pub mod components;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Aadhaar,
    Abha,
    AbhaAddress,
    Pan,
    Phone,
    Email,
    Dob,
    RelationalName,
    RecordNumber,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Aadhaar => "aadhaar",
            FindingKind::Abha => "abha",
            FindingKind::AbhaAddress => "abha_address",
            FindingKind::Pan => "pan",
            FindingKind::Phone => "phone",
            FindingKind::Email => "email",
            FindingKind::Dob => "dob",
            FindingKind::RelationalName => "relational_name",
            FindingKind::RecordNumber => "record_number",
        }
    }

    /// What a clinician is told the finding is.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::Aadhaar => "Aadhaar number",
            FindingKind::Abha => "ABHA number",
            FindingKind::AbhaAddress => "ABHA address",
            FindingKind::Pan => "PAN",
            FindingKind::Phone => "Phone number",
            FindingKind::Email => "E-mail address",
            FindingKind::Dob => "Full date (possible date of birth)",
            FindingKind::RelationalName => "Relative's name (S/o, D/o, W/o, C/o)",
            FindingKind::RecordNumber => "Hospital record number",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Record-number labels every Indian hospital uses; institutions may add their own.
pub const RECORD_LABELS: [&str; 9] = [
    "UHID", "MRN", "MR No", "IPD", "IP No", "OPD No", "OP No", "CR No", "Reg No",
];

/// Scans `text` with the built-in patterns.
pub fn scan(text: &str) -> Vec<Finding> {
    scan_with(text, &[])
}

/// Scans `text`, also treating each of `extra_labels` (e.g. an institution's "PID") as a
/// record-number label.
pub fn scan_with(text: &str, extra_labels: &[String]) -> Vec<Finding> {
    let bytes = text.as_bytes();
    let mut found: Vec<Finding> = Vec::new();
    let mut push = |kind, start: usize, end: usize| {
        found.push(Finding {
            kind,
            start,
            end,
            text: text[start..end].to_owned(),
        })
    };

    for (start, end) in emails(bytes) {
        let kind = if text[start..end].to_ascii_lowercase().ends_with("@abdm") {
            FindingKind::AbhaAddress
        } else {
            FindingKind::Email
        };
        push(kind, start, end);
    }
    for (kind, start, end) in digit_identifiers(bytes) {
        push(kind, start, end);
    }
    for (start, end) in pans(bytes) {
        push(FindingKind::Pan, start, end);
    }
    for (start, end) in dates(text) {
        push(FindingKind::Dob, start, end);
    }
    for (start, end) in relational_names(bytes) {
        push(FindingKind::RelationalName, start, end);
    }
    let labels: Vec<&str> = RECORD_LABELS
        .iter()
        .copied()
        .chain(extra_labels.iter().map(String::as_str))
        .collect();
    for (start, end) in record_numbers(bytes, &labels) {
        push(FindingKind::RecordNumber, start, end);
    }

    // One finding per stretch of text: the earliest, longest wins (a record number's digits
    // are not also reported as a phone number).
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept: Vec<Finding> = Vec::with_capacity(found.len());
    for f in found {
        if kept.last().is_some_and(|last| f.start < last.end) {
            continue;
        }
        kept.push(f);
    }
    kept
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn boundary_before(bytes: &[u8], i: usize) -> bool {
    i == 0 || !is_word_byte(bytes[i - 1])
}

fn boundary_after(bytes: &[u8], i: usize) -> bool {
    i >= bytes.len() || !is_word_byte(bytes[i])
}

// ---------------------------------------------------------------------------------------------
// Numbers: Aadhaar, ABHA, phones.

/// A run of digits with single spaces or hyphens between groups: returns the digits and where
/// the run ends. A separator only counts when a digit follows it.
fn digit_run(bytes: &[u8], start: usize) -> (Vec<u8>, Vec<usize>, usize) {
    let mut digits = Vec::new();
    let mut groups = Vec::new();
    let mut group = 0;
    let mut i = start;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_digit() {
            digits.push(b - b'0');
            group += 1;
            i += 1;
        } else if (b == b' ' || b == b'-')
            && i + 1 < bytes.len()
            && bytes[i + 1].is_ascii_digit()
            && group > 0
        {
            groups.push(group);
            group = 0;
            i += 1;
        } else {
            break;
        }
    }
    if group > 0 {
        groups.push(group);
    }
    (digits, groups, i)
}

fn digit_identifiers(bytes: &[u8]) -> Vec<(FindingKind, usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // A phone number may start with "+91".
        let plus = bytes[i] == b'+' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        let digit_start = if plus { i + 1 } else { i };
        if !(bytes[digit_start].is_ascii_digit() && boundary_before(bytes, i))
            || (i > 0 && matches!(bytes[i - 1], b'.' | b'/' | b'+'))
        {
            i += 1;
            continue;
        }
        let (digits, groups, end) = digit_run(bytes, digit_start);
        if !boundary_after(bytes, end)
            || bytes
                .get(end)
                .is_some_and(|b| *b == b'.' && bytes.get(end + 1).is_some_and(u8::is_ascii_digit))
        {
            i = end.max(i + 1);
            continue;
        }
        if let Some(kind) = classify_digits(&digits, &groups, plus) {
            out.push((kind, i, end));
        }
        i = end.max(i + 1);
    }
    out
}

fn classify_digits(digits: &[u8], groups: &[usize], plus: bool) -> Option<FindingKind> {
    let n = digits.len();
    let grouped_as = |shape: &[usize]| groups == shape;
    let contiguous = groups.len() == 1;
    // ABHA number: 14 digits written XX-XXXX-XXXX-XXXX.
    if n == 14 && grouped_as(&[2, 4, 4, 4]) {
        return Some(FindingKind::Abha);
    }
    // Aadhaar: 12 digits, first 2-9, valid Verhoeff checksum, contiguous or 4-4-4.
    if n == 12 && (contiguous || grouped_as(&[4, 4, 4])) && digits[0] >= 2 && verhoeff_valid(digits)
    {
        return Some(FindingKind::Aadhaar);
    }
    // Indian mobile numbers: 10 digits starting 6-9, optionally after 91 (with +) or 0.
    let mobile = |d: &[u8]| d.len() == 10 && d[0] >= 6;
    let phone_groups = contiguous
        || grouped_as(&[5, 5])
        || grouped_as(&[3, 3, 4])
        || grouped_as(&[2, 10])
        || grouped_as(&[2, 5, 5])
        || grouped_as(&[2, 3, 3, 4])
        || grouped_as(&[1, 10])
        || grouped_as(&[1, 5, 5])
        || grouped_as(&[3, 7])
        || grouped_as(&[4, 6])
        || grouped_as(&[3, 4, 4]);
    if phone_groups {
        if mobile(digits) && !plus {
            return Some(FindingKind::Phone);
        }
        if n == 12 && digits[0] == 9 && digits[1] == 1 && mobile(&digits[2..]) {
            return Some(FindingKind::Phone);
        }
        if !plus && n == 11 && digits[0] == 0 && (mobile(&digits[1..]) || digits[1] >= 1) {
            // 0 + mobile, or 0 + STD code + landline (11 digits in all).
            return Some(FindingKind::Phone);
        }
    }
    None
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const VERHOEFF_INV: [u8; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/// Whether `digits` (each 0-9) end in a valid Verhoeff check digit, as Aadhaar numbers do.
pub fn verhoeff_valid(digits: &[u8]) -> bool {
    let mut c = 0u8;
    for (i, d) in digits.iter().rev().enumerate() {
        c = VERHOEFF_D[c as usize][VERHOEFF_P[i % 8][*d as usize] as usize];
    }
    c == 0
}

/// The Verhoeff check digit to append to `digits`.
pub fn verhoeff_check_digit(digits: &[u8]) -> u8 {
    let mut c = 0u8;
    for (i, d) in digits.iter().rev().enumerate() {
        c = VERHOEFF_D[c as usize][VERHOEFF_P[(i + 1) % 8][*d as usize] as usize];
    }
    VERHOEFF_INV[c as usize]
}

// ---------------------------------------------------------------------------------------------
// PAN: five letters, four digits, a letter; the fourth letter says who holds it.

fn pans(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if bytes.len() < 10 {
        return out;
    }
    for i in 0..=bytes.len() - 10 {
        let w = &bytes[i..i + 10];
        if boundary_before(bytes, i)
            && boundary_after(bytes, i + 10)
            && w[..5].iter().all(u8::is_ascii_uppercase)
            && b"ABCFGHLJPT".contains(&w[3])
            && w[5..9].iter().all(u8::is_ascii_digit)
            && w[9].is_ascii_uppercase()
        {
            out.push((i, i + 10));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// E-mail addresses (and ABHA addresses, name@abdm).

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._%+-".contains(&b)
}

fn emails(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (at, _) in bytes.iter().enumerate().filter(|(_, b)| **b == b'@') {
        let mut start = at;
        while start > 0 && is_local_byte(bytes[start - 1]) {
            start -= 1;
        }
        while start < at && !bytes[start].is_ascii_alphanumeric() {
            start += 1;
        }
        let mut end = at + 1;
        while end < bytes.len()
            && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'-' || bytes[end] == b'.')
        {
            end += 1;
        }
        while end > at + 1 && bytes[end - 1] == b'.' {
            end -= 1;
        }
        if start == at || end == at + 1 {
            continue;
        }
        let domain = &bytes[at + 1..end];
        let abdm = domain.eq_ignore_ascii_case(b"abdm");
        let dotted = domain.contains(&b'.')
            && domain
                .rsplit(|b| *b == b'.')
                .next()
                .is_some_and(|tld| tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic));
        if abdm || dotted {
            out.push((start, end));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Full dates: day, month and year together (a year alone, or day and month alone, is fine).

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_word(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            *m == w || (w.len() >= 3 && m.starts_with(&w) && (w.len() == 3 || w == "sept"))
        })
        .map(|i| i as u32 + 1)
}

fn valid_day_month(day: u32, month: u32) -> bool {
    let max = match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    day >= 1 && day <= max
}

fn plausible_year(year: u32) -> bool {
    (1900..=2100).contains(&year)
}

/// Tokens of a text with their byte offsets: runs of letters/digits, and single other
/// characters (whitespace skipped).
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else {
            if let Some(s) = start.take() {
                out.push((s, &text[s..i]));
            }
            if !c.is_whitespace() {
                out.push((i, &text[i..i + c.len_utf8()]));
            }
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

fn day_number(tok: &str) -> Option<u32> {
    let digits = tok.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &tok[digits.len()..];
    if !matches!(
        suffix.to_ascii_lowercase().as_str(),
        "" | "st" | "nd" | "rd" | "th"
    ) || digits.is_empty()
        || digits.len() > 2
    {
        return None;
    }
    digits.parse().ok()
}

fn dates(text: &str) -> Vec<(usize, usize)> {
    let t = tokens(text);
    let num = |k: usize| -> Option<(u32, usize)> {
        t.get(k)
            .filter(|(_, s)| s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|(_, s)| s.parse().ok().map(|v| (v, s.len())))
    };
    let is = |k: usize, sep: &str| t.get(k).is_some_and(|(_, s)| *s == sep);
    let end_of = |k: usize| t[k].0 + t[k].1.len();
    let mut out = Vec::new();
    let mut k = 0;
    while k < t.len() {
        // dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy (same separator twice); yyyy-mm-dd.
        if let (Some((a, al)), Some((b, _)), Some((c, cl))) = (num(k), num(k + 2), num(k + 4)) {
            let same_sep = ["/", "-", "."]
                .iter()
                .any(|sep| is(k + 1, sep) && is(k + 3, sep));
            let dmy = al <= 2 && cl == 4 && valid_day_month(a, b) && plausible_year(c);
            let ymd = al == 4 && cl <= 2 && plausible_year(a) && valid_day_month(c, b);
            if same_sep && (dmy || ymd) {
                out.push((t[k].0, end_of(k + 4)));
                k += 5;
                continue;
            }
        }
        // 12 March 1984, 12th Mar. 1984, 12-Mar-1984
        if let Some(day) = t.get(k).and_then(|(_, s)| day_number(s)) {
            let mut m = k + 1;
            if is(m, "-") || is(m, "/") {
                m += 1;
            }
            if let Some(month) = t.get(m).and_then(|(_, s)| month_word(s)) {
                let mut y = m + 1;
                while is(y, ".") || is(y, ",") || is(y, "-") || is(y, "/") {
                    y += 1;
                }
                if let Some((year, 4)) = num(y) {
                    if valid_day_month(day, month) && plausible_year(year) {
                        out.push((t[k].0, end_of(y)));
                        k = y + 1;
                        continue;
                    }
                }
            }
        }
        // March 12, 1984
        if let Some(month) = t.get(k).and_then(|(_, s)| month_word(s)) {
            let mut d = k + 1;
            if is(d, ".") {
                d += 1;
            }
            if let Some(day) = t.get(d).and_then(|(_, s)| day_number(s)) {
                let mut y = d + 1;
                if is(y, ",") {
                    y += 1;
                }
                if let Some((year, 4)) = num(y) {
                    if valid_day_month(day, month) && plausible_year(year) {
                        out.push((t[k].0, end_of(y)));
                        k = y + 1;
                        continue;
                    }
                }
            }
        }
        k += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Relational names: S/o, D/o, W/o, C/o followed by a name.

fn relational_names(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 <= bytes.len() {
        let rel = bytes[i].to_ascii_lowercase();
        let is_marker = b"sdwc".contains(&rel)
            && boundary_before(bytes, i)
            && bytes[i + 1] == b'/'
            && bytes[i + 2].eq_ignore_ascii_case(&b'o')
            && boundary_after(bytes, i + 3);
        if !is_marker {
            i += 1;
            continue;
        }
        let mut j = i + 3;
        while j < bytes.len() && matches!(bytes[j], b'.' | b':' | b' ' | b'-') {
            j += 1;
        }
        // The name: one to four words starting with a letter (initials like "R." count).
        let name_start = j;
        let mut words = 0;
        let mut end = j;
        while words < 4 && j < bytes.len() && bytes[j].is_ascii_alphabetic() {
            let mut w = j;
            while w < bytes.len() && (bytes[w].is_ascii_alphabetic() || bytes[w] == b'.') {
                w += 1;
            }
            let word = &bytes[j..w];
            let lower = word.iter().map(u8::to_ascii_lowercase).collect::<Vec<_>>();
            if words > 0
                && matches!(
                    lower.as_slice(),
                    b"and"
                        | b"with"
                        | b"was"
                        | b"is"
                        | b"aged"
                        | b"age"
                        | b"presented"
                        | b"came"
                        | b"who"
                )
            {
                break;
            }
            if words > 0 && !word[0].is_ascii_uppercase() {
                break;
            }
            words += 1;
            end = w;
            j = w;
            while j < bytes.len() && bytes[j] == b' ' {
                j += 1;
            }
        }
        if words > 0 && end > name_start {
            out.push((i, end));
            i = end;
        } else {
            i += 3;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Hospital record numbers: a label (UHID, MRN, IPD, CR No., ...) followed by a number.

fn record_numbers(bytes: &[u8], labels: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for label in labels {
        let label_bytes = label.as_bytes();
        if label_bytes.is_empty() || label_bytes.len() > bytes.len() {
            continue;
        }
        for i in 0..=bytes.len() - label_bytes.len() {
            if !bytes[i..i + label_bytes.len()].eq_ignore_ascii_case(label_bytes)
                || !boundary_before(bytes, i)
            {
                continue;
            }
            let mut j = i + label_bytes.len();
            if !boundary_after(bytes, j) && !bytes[j - 1].is_ascii_punctuation() {
                continue;
            }
            // Optional "No", "No.", "Number", "#", ":" between the label and the value.
            loop {
                while j < bytes.len() && matches!(bytes[j], b' ' | b'.' | b':' | b'#' | b'-' | b'=')
                {
                    j += 1;
                }
                let rest = &bytes[j..];
                const FILLERS: [&[u8]; 2] = [b"number", b"no"];
                let skip = FILLERS.iter().find(|w| {
                    rest.len() >= w.len()
                        && rest[..w.len()].eq_ignore_ascii_case(w)
                        && boundary_after(bytes, j + w.len())
                });
                match skip {
                    Some(w) => j += w.len(),
                    None => break,
                }
            }
            let value_start = j;
            let mut has_digit = false;
            while j < bytes.len()
                && (bytes[j].is_ascii_alphanumeric()
                    || (matches!(bytes[j], b'/' | b'-')
                        && bytes.get(j + 1).is_some_and(u8::is_ascii_alphanumeric)))
            {
                has_digit |= bytes[j].is_ascii_digit();
                j += 1;
            }
            if has_digit && j - value_start >= 3 {
                out.push((i, j));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
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
}

/// Explains an institution's own record-number labels on the settings page.
pub const RECORD_LABELS_HINT: &str = "Besides UHID, MRN, MR No, IPD, IP No, OPD No, OP No, CR No \
    and Reg No, the privacy guard treats these labels followed by a number as a hospital record \
    number in cases written at this institution.";

/// A possible patient identifier in one field of a case, with some text around it so the author
/// can find it on a phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyFinding {
    pub field: String,
    pub kind: crate::privacy::FindingKind,
    pub text: String,
    pub before: String,
    pub after: String,
}

impl PrivacyFinding {
    /// Scans the fields of a case; `fields` are (name, text) pairs.
    pub fn scan_fields(fields: &[(&str, &str)]) -> Vec<PrivacyFinding> {
        Self::scan_fields_with(fields, &[])
    }

    /// As [`PrivacyFinding::scan_fields`], also treating an institution's own record-number
    /// labels as identifiers.
    pub fn scan_fields_with(fields: &[(&str, &str)], labels: &[String]) -> Vec<PrivacyFinding> {
        const CONTEXT: usize = 32;
        let mut out = Vec::new();
        for (field, text) in fields {
            for f in crate::privacy::scan_with(text, labels) {
                let before_start = floor_char_boundary(text, f.start.saturating_sub(CONTEXT));
                let after_end = ceil_char_boundary(text, (f.end + CONTEXT).min(text.len()));
                out.push(PrivacyFinding {
                    field: (*field).to_owned(),
                    kind: f.kind,
                    text: f.text,
                    before: text[before_start..f.start].to_owned(),
                    after: text[f.end..after_end].to_owned(),
                });
            }
        }
        out
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
