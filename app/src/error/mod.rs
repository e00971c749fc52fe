//! The one error type every server function returns.
//!
//! Messages are written for a clinician reading them on a phone. Internal causes (SQL, I/O,
//! hashing) are logged on the server with a request id; the browser only ever sees the id.

pub mod finding;

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// Validation problems, keyed by the form field they belong to, plus the non-secret values the
/// person submitted so a form re-rendered after a plain (no-JavaScript) post loses nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors {
    pub errors: Vec<(String, String)>,
    pub values: Vec<(String, String)>,
}

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push((field.to_owned(), message.into()));
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub fn value(&self, field: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Keeps what the person typed (never passwords) so the form can be refilled. Long bodies are
    /// kept too, up to a size that still fits the redirect URL of a no-JavaScript post.
    pub fn with_values(mut self, values: &[(&str, &str)]) -> Self {
        const MAX_KEPT: usize = 48 * 1024;
        let mut kept = 0;
        for (field, value) in values {
            kept += value.len();
            if kept > MAX_KEPT {
                break;
            }
            self.values.push(((*field).to_owned(), (*value).to_owned()));
        }
        self
    }

    /// `Ok(())` when nothing was wrong, so validators can end with `errors.into_result()?`.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please correct the highlighted fields.")]
    Invalid(FieldErrors),
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("Your account does not have permission to do that.")]
    Forbidden,
    /// A state-changing request whose `Origin` (or `Referer`) is not this site: refused before
    /// it reaches any handler, so another site cannot act in a signed-in person's name.
    #[error(
        "This request did not come from a Corridor page, so it was refused. Open Corridor \
         directly, reload the page and try again."
    )]
    CrossSite,
    #[error("We could not find that page.")]
    NotFound,
    #[error(
        "Publishing is blocked: the case may identify a patient. Remove each highlighted item, \
         or override it with a reason."
    )]
    PrivacyBlocked {
        case_id: i64,
        findings: Vec<finding::PrivacyFinding>,
    },
    /// A consult's text may identify the patient: nothing is sent until each finding is removed
    /// or overridden with a reason.
    #[error(
        "Sending is blocked: the consult may identify the patient. Remove each highlighted item, \
         or override it with a reason."
    )]
    ConsultPrivacyBlocked {
        consult_id: i64,
        findings: Vec<finding::PrivacyFinding>,
    },
    #[error(
        "Publishing is blocked: this case has images, so record the patient's consent first \
         (on the case's Images page)."
    )]
    ConsentRequired { case_id: i64 },
    /// A case made from a consult: the patient agreed to a colleague's opinion, not to teaching.
    #[error(
        "Publishing is blocked: this case was made from a consult, and consent to a consult is \
         not consent to teaching. Record the patient's consent to teaching use first (on the \
         case's Images page), even if the case has no images."
    )]
    TeachingConsentRequired { case_id: i64 },
    #[error("Email or password is incorrect.")]
    BadCredentials,
    /// Not allowed, for a reason the person should read (a plain `Forbidden` says only that).
    #[error("{message}")]
    NotAllowed { message: String },
    /// The request clashes with what is stored: the message says what to do instead.
    #[error("{message}")]
    Conflict { message: String },
    #[error(
        "This account has been deactivated. If you think this is a mistake, ask your \
         department's admin."
    )]
    Deactivated,
    #[error("Too many attempts. Please wait {minutes} minutes and try again.")]
    RateLimited { minutes: u32 },
    #[error("Corridor could not be reached. Check your connection and try again.")]
    Network,
    #[error("The form could not be read. Please reload the page and try again.")]
    BadRequest,
    /// A request body over the size a request may have (413).
    #[error(
        "This is more than Corridor accepts in one request ({limit_kb} KB). Shorten the text or \
         send it in parts, and try again."
    )]
    TooLarge { limit_kb: u32 },
    /// A list's page link (`after=`, `before=`, `comments=`) that does not read.
    #[error(
        "This page link is broken or out of date. Go back to the first page of the list and \
         follow its links from there."
    )]
    BadCursor,
    /// Every database connection stayed busy for the pool's whole wait (503): the server is
    /// overloaded, not broken, and the same request is likely to work in a moment.
    #[error("Corridor is very busy right now. Please wait a few seconds and try again.")]
    Busy,
    #[error(
        "Sorry, something went wrong on our side. Please try again; if it keeps happening, \
         quote reference {request_id}."
    )]
    Internal { request_id: String },
}

impl AppError {
    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        AppError::Invalid(errors)
    }

    /// A clash with stored state (409), with the sentence the person sees.
    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict {
            message: message.into(),
        }
    }

    /// Forbidden (403), with the sentence that says why.
    pub fn not_allowed(message: impl Into<String>) -> Self {
        AppError::NotAllowed {
            message: message.into(),
        }
    }

    /// Seconds a client should wait before trying again, for `Retry-After`.
    pub fn retry_after_seconds(&self) -> Option<u32> {
        match self {
            AppError::RateLimited { minutes } => Some(minutes.saturating_mul(60).max(1)),
            AppError::Busy => Some(5),
            _ => None,
        }
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(errors) => Some(errors),
            _ => None,
        }
    }

    /// The HTTP status a page showing this error should carry.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) | AppError::BadRequest | AppError::BadCursor => 400,
            AppError::PrivacyBlocked { .. }
            | AppError::ConsultPrivacyBlocked { .. }
            | AppError::ConsentRequired { .. }
            | AppError::TeachingConsentRequired { .. } => 422,
            AppError::Unauthenticated | AppError::BadCredentials => 401,
            AppError::Forbidden | AppError::NotAllowed { .. } | AppError::Deactivated => 403,
            AppError::CrossSite => 403,
            AppError::NotFound => 404,
            AppError::Conflict { .. } => 409,
            AppError::RateLimited { .. } => 429,
            AppError::TooLarge { .. } => 413,
            AppError::Busy => 503,
            AppError::Network | AppError::Internal { .. } => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => AppError::Network,
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::BadRequest,
            other => {
                tracing::error!(error = %other, "server function framework error");
                AppError::Internal {
                    request_id: "unavailable".into(),
                }
            }
        }
    }

    /// Every server function's error passes through here on its way out, so this is the one
    /// place that gives the response the status the error means (and `Retry-After`).
    fn ser(&self) -> server_fn::Bytes {
        #[cfg(feature = "ssr")]
        server_side::set_response_status(self);
        serde_json::to_vec(self)
            .map(server_fn::Bytes::from)
            .unwrap_or_else(|_| {
                server_fn::Bytes::from_static(br#"{"Internal":{"request_id":"unavailable"}}"#)
            })
    }
}

#[cfg(feature = "ssr")]
mod server_side {
    use super::AppError;
    use std::fmt::Display;

    /// Sets the status of a server function's response from its error. A plain form post
    /// (no JavaScript, `Accept: text/html`) is left alone: the framework answers it with a
    /// redirect back to the form, which a browser only follows from a 3xx.
    pub(super) fn set_response_status(error: &AppError) {
        use leptos::prelude::use_context;
        let Some(options) = use_context::<leptos_axum::ResponseOptions>() else {
            return;
        };
        let plain_form = use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        });
        if plain_form {
            return;
        }
        if let Ok(status) = http::StatusCode::from_u16(error.status()) {
            options.set_status(status);
        }
        if let Some(seconds) = error.retry_after_seconds() {
            options.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(seconds));
        }
    }

    impl AppError {
        /// Logs the real cause with the request id and returns the apology the person sees.
        pub fn internal(cause: impl Display) -> Self {
            let request_id = crate::ssr::request_id().unwrap_or_else(|| "unknown".into());
            tracing::error!(%request_id, error = %cause, "internal error");
            AppError::Internal { request_id }
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(error: sqlx::Error) -> Self {
            match error {
                sqlx::Error::RowNotFound => AppError::NotFound,
                sqlx::Error::PoolTimedOut => {
                    metrics::counter!("corridor_db_pool_timeouts_total").increment(1);
                    tracing::warn!("no database connection became free in time; answered 503");
                    AppError::Busy
                }
                other => AppError::internal(other),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_find_by_field() {
        let mut errors = FieldErrors::new();
        errors.add("title", "Title is required.");
        assert_eq!(errors.get("title"), Some("Title is required."));
        assert_eq!(errors.get("body"), None);
        assert!(errors.into_result().is_err());
        assert!(FieldErrors::new().into_result().is_ok());
    }

    #[test]
    fn kept_values_are_capped() {
        let big = "x".repeat(40 * 1024);
        let errors = FieldErrors::new().with_values(&[("a", &big), ("b", &big), ("c", "small")]);
        assert_eq!(errors.value("a").map(str::len), Some(40 * 1024));
        assert_eq!(errors.value("b"), None);
    }

    #[test]
    fn internal_errors_never_carry_their_cause() {
        let err = AppError::Internal {
            request_id: "abc".into(),
        };
        assert!(err.to_string().contains("abc"));
        assert!(!err.to_string().to_lowercase().contains("sql"));
    }
}
