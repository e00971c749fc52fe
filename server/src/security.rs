//! HTTP hardening around every response: security headers with a per-request script nonce,
//! no caching of pages on shared ward computers, and refusal of cross-site state changes.

use app::error::AppError;
use app::ssr::public_url::PublicUrl;
use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use std::sync::Arc;

/// The nonce of this request's Content-Security-Policy, kept in the request's extensions for
/// the Leptos renderer (which puts it on the hydration script and any inline script).
#[derive(Clone, Debug)]
pub struct CspNonce(pub Arc<str>);

impl CspNonce {
    /// 128 random bits from the thread's CSPRNG, hex-encoded (valid in a CSP `nonce-…`).
    fn new() -> Self {
        let bytes: [u8; 16] = rand::random();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Self(hex.into())
    }
}

/// The policy for one response. Inline script runs only with the nonce; WebAssembly may be
/// compiled ('wasm-unsafe-eval'); inline styles stay allowed because components and SVG
/// annotations set `style` attributes.
fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Adds the security headers to every response and, unless the handler chose its own
/// (`/pkg` revalidates, images and certificates say `no-cache`), `Cache-Control:
/// private, no-store`: a ward computer keeps no copy of a page after its user signs out.
pub async fn security_headers(mut req: Request, next: Next) -> Response {
    let nonce = CspNonce::new();
    let policy = content_security_policy(&nonce.0);
    req.extensions_mut().insert(nonce);
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&policy) {
        h.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

/// Refuses state-changing requests (anything but GET, HEAD and OPTIONS) that another site
/// could have made in a signed-in person's name: their `Origin`, or when a browser sends none
/// the `Referer`, must be this site. Browsers send `Origin` on every cross-site POST, and on
/// same-site form posts and fetches too, so pages of Corridor itself always pass.
pub async fn same_site_only(
    State(public_url): State<Arc<PublicUrl>>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || is_same_site(req.headers(), &public_url)
    {
        return next.run(req).await;
    }
    tracing::warn!(
        method = %req.method(),
        path = req.uri().path(),
        origin = ?req.headers().get(header::ORIGIN),
        referer_present = req.headers().contains_key(header::REFERER),
        "cross-site request refused"
    );
    refusal(req.headers())
}

/// JSON (the `AppError`) for scripts and server-function calls; a sentence for a browser that
/// posted a plain form.
fn refusal(headers: &HeaderMap) -> Response {
    let error = AppError::CrossSite;
    let json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| !v.contains("text/html") || v.contains("application/json"));
    if json {
        (StatusCode::FORBIDDEN, Json(error)).into_response()
    } else {
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            error.to_string(),
        )
            .into_response()
    }
}

/// Whether the request's `Origin` (or, without one, its `Referer`) is this site: the configured
/// public origin, or the host (and port) the request was sent to.
pub fn is_same_site(headers: &HeaderMap, public_url: &PublicUrl) -> bool {
    let source = match headers.get(header::ORIGIN) {
        Some(origin) => origin,
        None => match headers.get(header::REFERER) {
            Some(referer) => referer,
            None => return false,
        },
    };
    // `Origin: null` (sandboxed frames, some redirects) and anything unparsable fail here.
    let Some(source) = source
        .to_str()
        .ok()
        .and_then(|s| url::Url::parse(s).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
    else {
        return false;
    };
    if public_url.same_origin(&source) {
        return true;
    }
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    // The Host header has no scheme: read it with the source's, so default ports compare equal.
    match url::Url::parse(&format!("{}://{host}/", source.scheme())) {
        Ok(target) => {
            target.host_str().is_some()
                && target.username().is_empty()
                && target.path() == "/"
                && target.host_str() == source.host_str()
                && target.port_or_known_default() == source.port_or_known_default()
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        h
    }

    fn public() -> PublicUrl {
        PublicUrl::parse("https://corridor.example.org").unwrap()
    }

    #[test]
    fn origin_of_the_public_url_passes() {
        let h = headers(&[(header::ORIGIN, "https://corridor.example.org")]);
        assert!(is_same_site(&h, &public()));
    }

    #[test]
    fn origin_matching_the_host_header_passes() {
        let h = headers(&[
            (header::ORIGIN, "http://10.0.0.5:3000"),
            (header::HOST, "10.0.0.5:3000"),
        ]);
        assert!(is_same_site(&h, &public()));
        let h = headers(&[
            (header::ORIGIN, "https://ward.local"),
            (header::HOST, "ward.local:443"),
        ]);
        assert!(is_same_site(&h, &public()));
    }

    #[test]
    fn foreign_or_missing_origins_fail() {
        for h in [
            headers(&[]),
            headers(&[(header::HOST, "corridor.example.org")]),
            headers(&[(header::ORIGIN, "https://evil.example")]),
            headers(&[
                (header::ORIGIN, "https://evil.example"),
                (header::HOST, "corridor.example.org"),
            ]),
            headers(&[
                (header::ORIGIN, "null"),
                (header::HOST, "corridor.example.org"),
            ]),
            headers(&[(header::ORIGIN, "http://corridor.example.org")]),
            headers(&[
                (header::ORIGIN, "http://10.0.0.5:3001"),
                (header::HOST, "10.0.0.5:3000"),
            ]),
            // A forged Host with a path or credentials does not make a foreign origin local.
            headers(&[
                (header::ORIGIN, "https://evil.example"),
                (header::HOST, "evil.example/x"),
            ]),
        ] {
            assert!(!is_same_site(&h, &public()), "{h:?}");
        }
    }

    #[test]
    fn origin_wins_over_referer() {
        let h = headers(&[
            (header::ORIGIN, "https://evil.example"),
            (header::REFERER, "https://corridor.example.org/cases/1"),
        ]);
        assert!(!is_same_site(&h, &public()));
    }

    #[test]
    fn referer_counts_only_without_origin() {
        let h = headers(&[(header::REFERER, "https://corridor.example.org/cases/1?x=2")]);
        assert!(is_same_site(&h, &public()));
        let h = headers(&[(header::REFERER, "https://evil.example/corridor.example.org")]);
        assert!(!is_same_site(&h, &public()));
    }

    #[test]
    fn nonces_differ_and_fit_the_policy() {
        let (a, b) = (CspNonce::new(), CspNonce::new());
        assert_ne!(a.0, b.0);
        assert_eq!(a.0.len(), 32);
        let policy = content_security_policy(&a.0);
        assert!(policy.contains(&format!("'nonce-{}'", a.0)));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("object-src 'none'"));
    }
}
