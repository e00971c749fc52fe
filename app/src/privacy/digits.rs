//! Identifiers made of digits (Aadhaar with its Verhoeff check digit, ABHA numbers, Indian
//! phone numbers) and PANs, found byte by byte at word boundaries.

use super::FindingKind;

pub(super) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub(super) fn boundary_before(bytes: &[u8], i: usize) -> bool {
    i == 0 || !is_word_byte(bytes[i - 1])
}

pub(super) fn boundary_after(bytes: &[u8], i: usize) -> bool {
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

pub(super) fn digit_identifiers(bytes: &[u8]) -> Vec<(FindingKind, usize, usize)> {
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

pub(super) fn pans(bytes: &[u8]) -> Vec<(usize, usize)> {
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
