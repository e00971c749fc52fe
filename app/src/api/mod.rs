//! Server functions: Corridor's public HTTP API under `/api/…`.
//! Each one checks who is calling and what they may do, then delegates to `ssr::db`.

pub mod admin;
pub mod auth;
pub mod cases;
pub mod cme;
pub mod department;
pub mod discussion;
pub mod media;
pub mod mentors;
pub mod quiz;

/// Only same-site paths are followed after sign-in, never `//host` or absolute URLs.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_redirects() {
        assert_eq!(safe_next(Some("/cases/3")), "/cases/3");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
