//! Images on cases: uploads, renditions, annotations, hotspots and patient consent.

pub mod annotations;
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod figure;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod upload;

/// What other features may ask of this one on the server (its `db` stays its own).
#[cfg(feature = "ssr")]
pub use db::{annotation_texts, consent, count_for_case, for_case, owner};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An image on a case, with its annotations. Its renditions are served by
/// `/media/images/{id}/display` and `/media/images/{id}/thumb` to readers of the case only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseImage {
    pub id: i64,
    pub case_id: i64,
    pub alt_text: String,
    pub caption: String,
    pub width: i32,
    pub height: i32,
    pub annotations: Vec<crate::media::annotations::Annotation>,
}

impl CaseImage {
    pub fn display_url(&self) -> String {
        format!("/media/images/{}/display", self.id)
    }
    pub fn thumb_url(&self) -> String {
        format!("/media/images/{}/thumb", self.id)
    }
}

/// The record that the patient consented to their images being used for teaching.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub form_reference: String,
    pub consent_date: chrono::NaiveDate,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A case's images page (upload, consent, links to the annotation editor), for its author.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseMedia {
    pub case_id: i64,
    pub title: String,
    pub published: bool,
    pub images: Vec<CaseImage>,
    pub consent: Option<Consent>,
    pub max_upload_mb: usize,
}
