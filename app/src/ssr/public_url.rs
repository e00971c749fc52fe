//! The site's public base URL (`CORRIDOR_PUBLIC_URL`): what certificates, QR codes, Open Badges
//! and verification links print, and the origin state-changing requests must come from. It is
//! configured, never taken from a request's `Host` header, which the client chooses.

use std::fmt;

/// An `http` or `https` origin without path, query or credentials, kept without a trailing
/// slash so `format!("{base}/verify/{id}")` reads naturally.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl {
    url: url::Url,
    base: String,
}

impl PublicUrl {
    /// Parses a configured value such as `https://corridor.example.org` (a trailing `/` is
    /// accepted). The error says what is expected, for the operator.
    pub fn parse(value: &str) -> Result<Self, &'static str> {
        const EXPECTED: &str =
            "an http or https address without a path, such as https://corridor.example.org";
        let url = url::Url::parse(value.trim()).map_err(|_| EXPECTED)?;
        let plain = matches!(url.scheme(), "http" | "https")
            && url.host_str().is_some_and(|h| !h.is_empty())
            && url.username().is_empty()
            && url.password().is_none()
            && url.path() == "/"
            && url.query().is_none()
            && url.fragment().is_none();
        if !plain {
            return Err(EXPECTED);
        }
        let base = url.as_str().trim_end_matches('/').to_owned();
        Ok(Self { url, base })
    }

    /// The base URL without a trailing slash, e.g. `https://corridor.example.org`.
    pub fn as_str(&self) -> &str {
        &self.base
    }

    /// Whether `other` (an `Origin` header or any absolute URL, e.g. a `Referer`) has this
    /// site's scheme, host and port.
    pub fn same_origin(&self, other: &url::Url) -> bool {
        self.url.origin() == other.origin()
    }
}

impl Default for PublicUrl {
    /// The address a development server listens on.
    fn default() -> Self {
        Self {
            url: url::Url::parse("http://127.0.0.1:3000/").expect("a valid constant URL"),
            base: "http://127.0.0.1:3000".to_owned(),
        }
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::PublicUrl;

    #[test]
    fn accepts_origins_and_drops_the_trailing_slash() {
        let u = PublicUrl::parse("https://corridor.example.org/").unwrap();
        assert_eq!(u.as_str(), "https://corridor.example.org");
        let u = PublicUrl::parse("http://127.0.0.1:3200").unwrap();
        assert_eq!(u.to_string(), "http://127.0.0.1:3200");
        // The default port is not repeated.
        let u = PublicUrl::parse("https://corridor.example.org:443").unwrap();
        assert_eq!(u.as_str(), "https://corridor.example.org");
        assert_eq!(PublicUrl::default().as_str(), "http://127.0.0.1:3000");
    }

    #[test]
    fn refuses_anything_but_an_http_origin() {
        for bad in [
            "",
            "corridor.example.org",
            "ftp://corridor.example.org",
            "https://corridor.example.org/app",
            "https://corridor.example.org/?a=1",
            "https://corridor.example.org/#x",
            "https://user:pw@corridor.example.org",
            "mailto:someone@example.org",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn same_origin_compares_scheme_host_and_port() {
        let u = PublicUrl::parse("https://corridor.example.org").unwrap();
        let same = |s: &str| u.same_origin(&url::Url::parse(s).unwrap());
        assert!(same("https://corridor.example.org"));
        assert!(same("https://corridor.example.org:443/cases/3?x=1"));
        assert!(same("https://CORRIDOR.example.org/"));
        assert!(!same("http://corridor.example.org"));
        assert!(!same("https://corridor.example.org:8443"));
        assert!(!same("https://evil.example"));
        assert!(!same("https://corridor.example.org.evil.example"));
    }
}
