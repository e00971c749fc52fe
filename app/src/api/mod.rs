//! Server functions: Corridor's public HTTP API under `/api/…`.
//! Each one checks who is calling and what they may do, then delegates to `ssr::db`.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod cme;
pub mod department;
pub mod discussion;
pub mod media;
pub mod membership;
pub mod mentors;
pub mod quiz;

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
