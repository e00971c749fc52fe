//! Case images: annotations, deletion, reading, and the patient's consent.

use std::fmt::Display;

use super::Fields;
use crate::common::{Client, Reply, TestApp};

/// A consent record (`record-consent`).
#[derive(Debug, Clone, Copy)]
pub struct Consent<'a> {
    pub case_id: i64,
    /// The checkbox: `Some("yes")`, or left unticked.
    pub obtained: Option<&'a str>,
    pub form_reference: &'a str,
    pub consent_date: &'a str,
}

impl Consent<'_> {
    /// Consent obtained, on form CF-2026-114 of 1 November 2026.
    pub fn on_file(case_id: i64) -> Self {
        Self {
            case_id,
            obtained: Some("yes"),
            form_reference: "CF-2026-114",
            consent_date: "2026-11-01",
        }
    }
}

impl TestApp {
    /// `save-annotations`: the drawing on an image, as the editor's JSON.
    pub async fn save_annotations(
        &self,
        client: &mut Client,
        image_id: impl Display,
        annotations: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("image_id", image_id)
            .with("annotations", annotations);
        self.send(client, "save-annotations", fields).await
    }

    /// `delete-image`.
    pub async fn delete_image(&self, client: &mut Client, image_id: impl Display) -> Reply {
        self.send(
            client,
            "delete-image",
            Fields::new().with("image_id", image_id),
        )
        .await
    }

    /// `case-media`: the images page of a case (its author's).
    pub async fn case_media(&self, client: &mut Client, case_id: impl Display) -> Reply {
        self.send(client, "case-media", Fields::new().with("case_id", case_id))
            .await
    }

    /// `case-image`: one image as its reader sees it.
    pub async fn case_image(&self, client: &mut Client, image_id: impl Display) -> Reply {
        self.send(
            client,
            "case-image",
            Fields::new().with("image_id", image_id),
        )
        .await
    }

    /// `record-consent`.
    pub async fn record_consent(&self, client: &mut Client, consent: Consent<'_>) -> Reply {
        let fields = Fields::new()
            .with("case_id", consent.case_id)
            .maybe("obtained", consent.obtained)
            .with("form_reference", consent.form_reference)
            .with("consent_date", consent.consent_date);
        self.send(client, "record-consent", fields).await
    }
}
