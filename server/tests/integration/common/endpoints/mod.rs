//! One typed helper per endpoint the tests call, as methods of `TestApp`: the endpoint's name
//! and the names of its fields are written here and nowhere else in the tests (the endpoint
//! matrix excepted, a table of names by design).
//!
//! Each helper returns the `Reply`, so a test asserts success (`.ok()`), reads the answer
//! (`.json()`) or checks the refusal (`.status`, `.error()`) as it needs; a read that no test
//! expects to fail (`me`, `cme`, `attempt_result`…) returns its parsed answer instead, and
//! panics on an error. Ids are taken as
//! anything that prints as one (`i64`, or a string where a test sends a malformed value).
//! Optional fields are sent only when `Some`, exactly as a form that lacks them.

mod admin;
mod auth;
mod cases;
mod cme;
mod consults;
mod media;
mod quiz;
mod social;

use axum::body::Body;
use axum::http::{header, Request};

use super::app::serde_urlencoded_form;
use super::{Client, Reply, TestApp};

pub use self::auth::Registration;
pub use self::cases::{CaseForm, SearchForm};
pub use self::cme::{CmeProfileForm, Evaluation};
pub use self::consults::{AnswerForm, ConsultConsent, ConsultForm, To};
pub use self::media::Consent;
pub use self::quiz::{Hotspot, QuizSettings};

/// The fields of one request, in the order they are sent.
#[derive(Debug, Default)]
pub(crate) struct Fields(Vec<(&'static str, String)>);

impl Fields {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds a field.
    pub(crate) fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.0.push((name, value.to_string()));
        self
    }

    /// Adds a field only when there is a value; a missing field is not sent at all.
    pub(crate) fn maybe(self, name: &'static str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.with(name, value),
            None => self,
        }
    }

    fn pairs(&self) -> Vec<(&str, &str)> {
        self.0.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
}

impl TestApp {
    /// Calls the server function `endpoint` with `fields`.
    pub(crate) async fn send(&self, client: &mut Client, endpoint: &str, fields: Fields) -> Reply {
        self.call(client, endpoint, &fields.pairs()).await
    }

    /// Calls the server function `endpoint` from a fresh browser that sends exactly `headers`
    /// besides the form's content type and `Accept` (no `Origin` of its own): for the
    /// cross-site checks.
    pub(crate) async fn send_with_headers(
        &self,
        endpoint: &str,
        fields: Fields,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let body = serde_urlencoded_form(&fields.pairs());
        self.request(&mut Client::default(), req.body(Body::from(body)).unwrap())
            .await
    }

    /// Posts a plain form to `path` as a script would (asking for JSON).
    pub(crate) async fn post_fields(
        &self,
        client: &mut Client,
        path: &str,
        fields: Fields,
    ) -> Reply {
        self.post_form(client, path, &fields.pairs(), true).await
    }
}
