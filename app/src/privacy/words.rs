//! Identifiers found in words around them: e-mail and ABHA addresses, full dates (possible
//! dates of birth) and relatives' names after S/o, D/o, W/o, C/o.

use super::digits::{boundary_after, boundary_before};

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._%+-_".contains(&b)
}

/// The domains of ABHA addresses: `@abdm` in production, `@sbx` in ABDM's sandbox, `@ndhm`
/// for addresses made before the mission was renamed.
pub(super) fn is_abha_domain(domain: &[u8]) -> bool {
    [&b"abdm"[..], b"sbx", b"ndhm"]
        .iter()
        .any(|d| domain.eq_ignore_ascii_case(d))
}

pub(super) fn emails(bytes: &[u8]) -> Vec<(usize, usize)> {
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
        let abdm = is_abha_domain(domain);
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

pub(super) fn dates(text: &str) -> Vec<(usize, usize)> {
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

pub(super) fn relational_names(bytes: &[u8]) -> Vec<(usize, usize)> {
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
