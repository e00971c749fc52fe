//! Small helpers every feature uses: URL encoding, counts, dates, page numbers, redirects.
//! Imports no feature.

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

/// Only same-site paths are followed after sign-in, never `//host`, absolute URLs or anything
/// a browser would read differently from us. Control characters are refused outright (browsers
/// drop tabs and line breaks from URLs, turning `/\t/evil.example` into `//evil.example`);
/// what remains is resolved against a stand-in origin and kept only if the origin stays the same.
#[cfg(feature = "ssr")]
pub fn safe_next(next: Option<&str>) -> String {
    const HOME: &str = "/";
    let Some(path) = next else {
        return HOME.to_owned();
    };
    if !path.starts_with('/')
        || path.len() > 2048
        || path.contains('\\')
        || path.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return HOME.to_owned();
    }
    let Ok(base) = url::Url::parse("https://corridor.invalid/") else {
        return HOME.to_owned();
    };
    match base.join(path) {
        Ok(url) if url.origin() == base.origin() => {
            let mut local = url.path().to_owned();
            if let Some(query) = url.query() {
                local.push('?');
                local.push_str(query);
            }
            if let Some(fragment) = url.fragment() {
                local.push('#');
                local.push_str(fragment);
            }
            local
        }
        _ => HOME.to_owned(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// Percent-encodes a value for a URL query. Slashes stay readable (`next=/cases/3`), which the
/// query component allows.
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// "1 comment", "3 comments".
pub fn count_label(n: i64, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// The last page a list will show: beyond it every list is empty, and offsets cannot overflow.
pub const MAX_PAGE: i64 = 10_000;

/// A page number from a URL, bounded to `1..=MAX_PAGE` (a page past the end is simply empty).
pub fn clamp_page(page: i64) -> i64 {
    page.clamp(1, MAX_PAGE)
}

pub fn chars(s: &str) -> usize {
    s.chars().count()
}

pub fn optional(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Dates are shown in Indian Standard Time, where Corridor's readers are.
pub fn format_date(at: DateTime<Utc>) -> String {
    let ist = FixedOffset::east_opt(5 * 3600 + 30 * 60).expect("IST is a valid offset");
    at.with_timezone(&ist).format("%-d %b %Y").to_string()
}

/// Date and time in Indian Standard Time, for logs.
pub fn format_datetime(at: DateTime<Utc>) -> String {
    let ist = FixedOffset::east_opt(5 * 3600 + 30 * 60).expect("IST is a valid offset");
    at.with_timezone(&ist).format("%-d %b %Y %H:%M").to_string()
}

/// Where a keyset page starts, as a link carries it: the id of the last item shown and its
/// sort key, `id~key`. One encoding for every list that pages by keyset (ids hold no `~`;
/// keys, such as names, may hold anything).
pub fn cursor(key: impl std::fmt::Display, id: i64) -> String {
    format!("{id}~{key}")
}

/// Reads a cursor back into its key and id: `None` when the link carries none; a cursor that
/// does not read (edited by hand, cut short) is refused with [`AppError::BadCursor`] (400),
/// never taken as "from the start".
pub fn parse_cursor<K: std::str::FromStr>(
    value: Option<&str>,
) -> Result<Option<(K, i64)>, crate::error::AppError> {
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    value
        .split_once('~')
        .and_then(|(id, key)| Some((key.parse().ok()?, id.parse().ok()?)))
        .map(Some)
        .ok_or(crate::error::AppError::BadCursor)
}

#[cfg(test)]
mod model_tests {
    use super::*;

    #[test]
    fn cursors_read_back_and_malformed_ones_are_refused() {
        use crate::error::AppError;
        let c = cursor("Rao ~ Iyer", 42);
        assert_eq!(
            parse_cursor::<String>(Some(&c)),
            Ok(Some(("Rao ~ Iyer".to_owned(), 42)))
        );
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(
            parse_cursor::<chrono::NaiveDate>(Some(&cursor(day, 7))),
            Ok(Some((day, 7)))
        );
        assert_eq!(parse_cursor::<String>(None), Ok(None));
        assert_eq!(parse_cursor::<String>(Some("")), Ok(None));
        for bad in ["garbage", "x~name", "~", "12"] {
            assert_eq!(
                parse_cursor::<String>(Some(bad)),
                Err(AppError::BadCursor),
                "{bad}"
            );
        }
        assert_eq!(
            parse_cursor::<chrono::NaiveDate>(Some("7~2026-13-01")),
            Err(AppError::BadCursor)
        );
    }

    #[test]
    fn pages_are_bounded() {
        assert_eq!(clamp_page(i64::MAX), MAX_PAGE);
        assert_eq!(clamp_page(-5), 1);
        assert_eq!(clamp_page(3), 3);
        assert!((clamp_page(i64::MAX) - 1)
            .checked_mul(1_000) // any page size a list uses
            .is_some());
    }

    #[test]
    fn url_encoding_and_counts() {
        assert_eq!(url_encode("/cases?page=2"), "/cases%3Fpage%3D2");
        assert_eq!(
            url_encode("inferior STEMI & shock"),
            "inferior%20STEMI%20%26%20shock"
        );
        assert_eq!(count_label(1, "follower", "followers"), "1 follower");
        assert_eq!(count_label(0, "follower", "followers"), "0 followers");
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_redirects() {
        assert_eq!(safe_next(Some("/cases/3")), "/cases/3");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(Some("/cases\r\nSet-Cookie: x=1")), "/");
        assert_eq!(safe_next(Some("/%2F/evil.example")), "/%2F/evil.example");
        assert_eq!(safe_next(Some("/search?q=a&page=2")), "/search?q=a&page=2");
        assert_eq!(safe_next(Some("javascript:alert(1)")), "/");
        assert_eq!(safe_next(Some("/ /evil")), "/");
    }
}

/// Declares a closed set: an enum whose members have one fixed name each, the same in JSON, in
/// forms and URLs, and (on the server) in the SQL enum named after `in`. Writes `ALL` (in the
/// order declared, which is the order forms list them), `as_str`, `parse` and `Display`; a
/// feature adds labels and form errors in its own `impl`.
#[macro_export]
macro_rules! closed_set {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident in $sql:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type))]
        #[cfg_attr(feature = "ssr", sqlx(type_name = $sql))]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $text)]
                #[cfg_attr(feature = "ssr", sqlx(rename = $text))]
                $variant
            ),+
        }

        impl $name {
            /// Every member, in the order forms list them.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// The member's name in JSON, SQL, forms and URLs.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The member a form or URL named, if any.
            pub fn parse(value: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|m| m.as_str() == value)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
