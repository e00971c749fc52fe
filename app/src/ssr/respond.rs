//! One way to answer a plain HTTP request: JSON for API clients, CSV files, and for pages
//! posted without JavaScript a redirect — onwards on success, back to the form on a refusal.
//!
//! A refused form carries its error in the query exactly as Leptos carries a refused
//! server-function form (`__path` = the form's action, `__err` = the encoded `AppError` with
//! its field messages and the values typed), so one reader, `ui::refused`, serves every page.

use crate::error::{AppError, FieldErrors};
use crate::util::url_encode;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use server_fn::error::ServerFnUrlError;

/// An error answers with its status, its JSON form and, when it is about waiting, `Retry-After`.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = self.retry_after_seconds();
        let mut response = (status, Json(self)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Who posted: an API client (`Accept: application/json`) or a page without JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    Json,
    Page,
}

impl Caller {
    pub fn of(headers: &HeaderMap) -> Self {
        if wants_json(headers) {
            Caller::Json
        } else {
            Caller::Page
        }
    }
}

/// The form a page posted: where it was sent (`action`, the key the page reads the refusal
/// by), the page to go back to, and what was typed (never passwords) to refill it.
pub struct PostedForm<'a> {
    pub action: &'a str,
    pub page: &'a str,
    pub values: &'a [(&'a str, &'a str)],
}

/// Answers a refused request. An API client gets the error with its status. A page gets:
/// the sign-in page first when that is what is missing; the error's status and sentence when
/// the thing is not there or not theirs (going back to the form would not help); otherwise a
/// redirect back to the form with the error — a problem that is not about one field is shown
/// at the top of the form (`form`) — and the values typed.
pub fn refused(caller: Caller, error: AppError, form: &PostedForm<'_>) -> Response {
    if caller == Caller::Json {
        return error.into_response();
    }
    match error {
        AppError::Unauthenticated => {
            Redirect::to(&format!("/login?next={}", url_encode(form.page))).into_response()
        }
        AppError::NotFound
        | AppError::Forbidden
        | AppError::NotAllowed { .. }
        | AppError::Deactivated => {
            let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::FORBIDDEN);
            (status, error.to_string()).into_response()
        }
        AppError::Invalid(fields) => back_to_form(form, fields),
        other => {
            let mut fields = FieldErrors::new();
            fields.add("form", other.to_string());
            back_to_form(form, fields)
        }
    }
}

fn back_to_form(form: &PostedForm<'_>, fields: FieldErrors) -> Response {
    let fields = if fields.values.is_empty() {
        fields.with_values(form.values)
    } else {
        fields
    };
    let error = AppError::Invalid(fields);
    // The page is a local path; a stand-in origin lets `Url` add the query before any fragment.
    let base = format!("http://corridor.invalid{}", form.page);
    match ServerFnUrlError::new(form.action, error).to_url(&base) {
        Ok(url) => {
            let mut local = url.path().to_owned();
            if let Some(query) = url.query() {
                local.push('?');
                local.push_str(query);
            }
            if let Some(fragment) = url.fragment() {
                local.push('#');
                local.push_str(fragment);
            }
            Redirect::to(&local).into_response()
        }
        Err(_) => AppError::BadRequest.into_response(),
    }
}

/// How the caller wants to hear back.
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// A CSV field: quoted when it holds a comma, quote or line break; formula-like starts
/// neutralised so a spreadsheet does not execute them.
pub fn csv_field(value: &str) -> String {
    // A leading tab or carriage return hides a formula from a naive check but not from a
    // spreadsheet, so those are neutralised too.
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<f64>().is_err() {
            format!("'{value}")
        } else {
            value.to_owned()
        };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// CSV lines for `rows`, each field through [`csv_field`].
fn csv_lines<R: AsRef<[String]>>(rows: &[R]) -> String {
    let mut out = String::new();
    for row in rows {
        let fields: Vec<String> = row.as_ref().iter().map(|f| csv_field(f)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// One batch of an export: its rows, and where the next batch starts (`None`: it was the last).
pub type CsvBatch<P> = (Vec<Vec<String>>, Option<P>);

/// A CSV export written as it is read, so its size costs neither memory nor a long wait for
/// the first byte: `header`, then the rows `batch` returns, batch after batch. `batch` is
/// called with `None` for the first batch and then with the position the previous one gave,
/// keyset-reading the database; the first batch is read before answering, so a failure to
/// read answers with its status. A failure later can only cut the download short (it is
/// logged). Every field is neutralised by [`csv_field`]; the headers are [`private_file`]'s.
pub async fn csv_stream<P, F, Fut>(
    filename: &str,
    header: &[&str],
    mut batch: F,
) -> Result<Response, AppError>
where
    P: Send + 'static,
    F: FnMut(Option<P>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<CsvBatch<P>, AppError>> + Send + 'static,
{
    use futures_util::stream::{self, StreamExt};
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    let (rows, after) = batch(None).await?;
    let first = csv_lines(&[header]) + &csv_lines(&rows);
    let rest = stream::unfold((after, batch), |(after, mut batch)| async move {
        let after = after?;
        match batch(Some(after)).await {
            Ok((rows, after)) => Some((Ok(bytes::Bytes::from(csv_lines(&rows))), (after, batch))),
            Err(error) => {
                tracing::error!(%error, "a CSV export stopped part way");
                Some((
                    Err(std::io::Error::other("the export could not be read")),
                    (None, batch),
                ))
            }
        }
    });
    // Fused: a layer may poll the body once more after its end (compression does), and an
    // unfinished `unfold` panics when polled after it ended.
    let body = stream::once(async move { Ok::<_, std::io::Error>(bytes::Bytes::from(first)) })
        .chain(rest)
        .fuse();
    Ok(private_file(
        Body::from_stream(body),
        "text/csv; charset=utf-8",
        Some(filename),
    ))
}

/// A file only its reader may see: a shared ward computer must not show it after sign-out
/// (the browser may keep a copy but asks every time before using it), and the browser never
/// guesses another type for it. With a `download` name it is saved, never rendered as a page
/// of this site (files people uploaded, certificates, exports).
pub fn private_file(
    bytes: impl Into<Body>,
    content_type: &str,
    download: Option<&str>,
) -> Response {
    let mut response = Response::new(bytes.into());
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Some(v) = download
        .and_then(|name| HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).ok())
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// After a server function posted by a plain form (no JavaScript, or a page without an
/// island), Leptos sends the browser back to the page it came from, and what the function
/// returned is lost. Call this on success to go back with `key=value` in the query instead,
/// so the page can say what happened ("Invitation sent."). A call from an island (which asks
/// for JSON) is left alone: it shows the returned value in place.
pub fn back_with(key: &str, value: &str) {
    use axum::http::request::Parts;
    let Some(request) = leptos::prelude::use_context::<Parts>() else {
        return;
    };
    let plain_form = request
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let page = request
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok());
    let (true, Some(page)) = (plain_form, page) else {
        return;
    };
    // Only the path and query of the page: never another site. A refusal shown before, or
    // the same flag from an earlier post, goes.
    let mut back = page.path().to_owned();
    let mut separator = '?';
    for (k, v) in page.query_pairs() {
        if k != "__path" && k != "__err" && k != key {
            back.push(separator);
            back.push_str(&format!("{}={}", url_encode(&k), url_encode(&v)));
            separator = '&';
        }
    }
    back.push(separator);
    back.push_str(&format!("{}={}", url_encode(key), url_encode(value)));
    leptos_axum::redirect(&back);
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-2.00"), "-2.00");
        assert_eq!(csv_field("\t=1+1"), "'\t=1+1");
        assert_eq!(csv_field("\r=1+1"), "\"'\r=1+1\"");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
    }

    /// One field read back as a spreadsheet reads CSV.
    fn read_back(field: &str) -> String {
        match field.strip_prefix('"') {
            Some(inner) => inner
                .strip_suffix('"')
                .expect("a quoted field ends with a quote")
                .replace("\"\"", "\""),
            None => field.to_owned(),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Any text survives a CSV export: the field reads back as itself, or with one `'` in
        /// front when it would start a formula; nothing but a number starts with `=+-@`.
        #[test]
        fn any_field_reads_back_and_never_starts_a_formula(value in "(\\PC|[,\"\n\r\t=+@-]){0,40}") {
            let field = csv_field(&value);
            let quoted = field.starts_with('"');
            proptest::prop_assert_eq!(quoted, value.contains([',', '"', '\n', '\r']) || field.contains([',', '"', '\n', '\r']));
            if !quoted {
                proptest::prop_assert!(!field.contains([',', '"', '\n', '\r']));
            }
            let back = read_back(&field);
            proptest::prop_assert!(back == value || back == format!("'{value}"), "{} -> {}", value, field);
            if back.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                proptest::prop_assert!(back.parse::<f64>().is_ok(), "{}", back);
            }
        }
    }
}
