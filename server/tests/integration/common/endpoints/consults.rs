//! Consults: drafts, the steps of the state machine, lists, and pools.

use std::fmt::Display;

use app::consults::{ConsultDetail, MyConsults};

use super::Fields;
use crate::common::{Client, Reply, TestApp};

/// Who a new consult goes to.
#[derive(Debug, Clone, Copy)]
pub enum To {
    Colleague(i64),
    Pool(i64),
}

/// The consult form (`consults/save`): a complete, de-identified request by default.
#[derive(Debug, Clone, Copy)]
pub struct ConsultForm<'a> {
    pub to: To,
    pub specialty: &'a str,
    pub urgency: &'a str,
    pub question: &'a str,
    pub situation: &'a str,
    pub background: &'a str,
    pub assessment: &'a str,
    pub ask: &'a str,
    pub age_band: &'a str,
    pub sex: &'a str,
    pub findings: &'a str,
}

impl ConsultForm<'_> {
    /// A GP's ECG question for cardiology.
    pub fn ecg(to: To) -> Self {
        Self {
            to,
            specialty: "cardiology",
            urgency: "routine",
            question: "Is this ECG pattern early repolarisation or an evolving inferior MI?",
            situation: "Man with two days of atypical chest discomfort, pain-free now.",
            background: "Smoker, no known diabetes.",
            assessment: "Troponin normal at 6 hours; ST elevation in II, III, aVF of 1 mm.",
            ask: "Whether he needs referral today or can be followed up in clinic.",
            age_band: "40_to_64",
            sex: "male",
            findings: "BP 130/80, HR 72, chest clear.",
        }
    }
}

/// The patient's consent as sent with a submission.
#[derive(Debug, Clone, Copy)]
pub struct ConsultConsent<'a> {
    /// The checkbox: `Some("yes")`, or left unticked.
    pub obtained: Option<&'a str>,
    pub method: &'a str,
    pub date: &'a str,
}

impl ConsultConsent<'_> {
    pub fn verbal() -> Self {
        Self {
            obtained: Some("yes"),
            method: "verbal",
            date: "2026-11-01",
        }
    }
}

/// The structured answer (`consults/answer`).
#[derive(Debug, Clone, Copy)]
pub struct AnswerForm<'a> {
    pub impression: &'a str,
    pub recommendations: &'a str,
    pub red_flags: &'a str,
    pub referral: &'a str,
}

impl AnswerForm<'_> {
    pub fn early_repolarisation() -> Self {
        Self {
            impression: "Early repolarisation; no evolving infarct.",
            recommendations: "Repeat ECG in a week; clinic review.",
            red_flags: "New pain at rest, dynamic ST change: refer the same day.",
            referral: "no",
        }
    }
}

impl TestApp {
    /// `consults/save`: a new draft; returns the reply (its id on success).
    pub async fn save_consult(&self, client: &mut Client, form: ConsultForm<'_>) -> Reply {
        let fields = match form.to {
            To::Colleague(id) => Fields::new().with("responder_id", id),
            To::Pool(id) => Fields::new().with("pool_id", id),
        };
        let fields = fields
            .with("specialty", form.specialty)
            .with("urgency", form.urgency)
            .with("question", form.question)
            .with("situation", form.situation)
            .with("background", form.background)
            .with("assessment", form.assessment)
            .with("ask", form.ask)
            .with("age_band", form.age_band)
            .with("sex", form.sex)
            .with("findings", form.findings);
        self.send(client, "consults/save", fields).await
    }

    /// `consults/save` with an `id`: rewrites a draft's text.
    pub async fn edit_consult(
        &self,
        client: &mut Client,
        id: impl Display,
        form: ConsultForm<'_>,
    ) -> Reply {
        let fields = Fields::new()
            .with("id", id)
            .with("specialty", form.specialty)
            .with("urgency", form.urgency)
            .with("question", form.question)
            .with("situation", form.situation)
            .with("background", form.background)
            .with("assessment", form.assessment)
            .with("ask", form.ask)
            .with("age_band", form.age_band)
            .with("sex", form.sex)
            .with("findings", form.findings);
        self.send(client, "consults/save", fields).await
    }

    /// `consults/submit`.
    pub async fn submit_consult(
        &self,
        client: &mut Client,
        id: impl Display,
        consent: ConsultConsent<'_>,
    ) -> Reply {
        let fields = Fields::new()
            .with("id", id)
            .maybe("consent", consent.obtained)
            .with("consent_method", consent.method)
            .with("consent_date", consent.date);
        self.send(client, "consults/submit", fields).await
    }

    /// `consults/override-finding`.
    pub async fn override_consult_finding(
        &self,
        client: &mut Client,
        id: impl Display,
        kind: &str,
        text: &str,
        reason: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("id", id)
            .with("kind", kind)
            .with("text", text)
            .with("reason", reason);
        self.send(client, "consults/override-finding", fields).await
    }

    /// `consult`: one consult as the caller sees it.
    pub async fn consult(&self, client: &mut Client, id: impl Display) -> Reply {
        self.send(client, "consult", Fields::new().with("id", id))
            .await
    }

    /// `consult`, parsed (for callers who may read it).
    pub async fn consult_detail(&self, client: &mut Client, id: impl Display) -> ConsultDetail {
        self.consult(client, id).await.json()
    }

    /// `consults`: the caller's lists.
    pub async fn my_consults(&self, client: &mut Client) -> MyConsults {
        self.send(client, "consults", Fields::new()).await.json()
    }

    /// `consults/accept`.
    pub async fn accept_consult(&self, client: &mut Client, id: impl Display) -> Reply {
        self.send(client, "consults/accept", Fields::new().with("id", id))
            .await
    }

    /// `consults/decline`.
    pub async fn decline_consult(
        &self,
        client: &mut Client,
        id: impl Display,
        reason: &str,
    ) -> Reply {
        let fields = Fields::new().with("id", id).with("reason", reason);
        self.send(client, "consults/decline", fields).await
    }

    /// A step that carries a message: `consults/request-info`, `consults/provide-info`,
    /// `consults/follow-up` or `consults/answer-follow-up`.
    pub async fn consult_message(
        &self,
        client: &mut Client,
        endpoint: &str,
        id: impl Display,
        body: &str,
    ) -> Reply {
        assert!(
            [
                "consults/request-info",
                "consults/provide-info",
                "consults/follow-up",
                "consults/answer-follow-up"
            ]
            .contains(&endpoint),
            "{endpoint} carries no message"
        );
        let fields = Fields::new().with("id", id).with("body", body);
        self.send(client, endpoint, fields).await
    }

    /// `consults/answer`.
    pub async fn answer_consult(
        &self,
        client: &mut Client,
        id: impl Display,
        answer: AnswerForm<'_>,
    ) -> Reply {
        let fields = Fields::new()
            .with("id", id)
            .with("impression", answer.impression)
            .with("recommendations", answer.recommendations)
            .with("red_flags", answer.red_flags)
            .with("referral", answer.referral);
        self.send(client, "consults/answer", fields).await
    }

    /// `consults/close`: the close-out.
    pub async fn close_consult(
        &self,
        client: &mut Client,
        id: impl Display,
        useful: u8,
        educational: u8,
        outcome: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("id", id)
            .with("useful", useful)
            .with("educational", educational)
            .with("outcome", outcome)
            .with("note", "Saved a trip to the city.");
        self.send(client, "consults/close", fields).await
    }

    /// `POST /consults/{id}/images`: the consult page's upload form, as a script (`json`) or a
    /// browser without JavaScript would post it.
    pub async fn consult_image(
        &self,
        client: &mut Client,
        id: impl Display,
        file: (&str, &str, &[u8]),
        alt_text: &str,
        caption: &str,
        json: bool,
    ) -> Reply {
        let path = format!("/consults/{id}/images");
        let fields = [("alt_text", alt_text), ("caption", caption)];
        self.upload_to(client, &path, file, &fields, json).await
    }

    /// `consults/propose-teaching`: proposes making a closed consult a teaching case.
    pub async fn propose_teaching(&self, client: &mut Client, id: impl Display) -> Reply {
        self.send(
            client,
            "consults/propose-teaching",
            Fields::new().with("id", id),
        )
        .await
    }

    /// `consults/agree-teaching`: agrees to the other doctor's proposal; the reply is the new
    /// case's id.
    pub async fn agree_teaching(&self, client: &mut Client, id: impl Display) -> Reply {
        self.send(
            client,
            "consults/agree-teaching",
            Fields::new().with("id", id),
        )
        .await
    }

    /// `consults/decline-teaching`.
    pub async fn decline_teaching(&self, client: &mut Client, id: impl Display) -> Reply {
        self.send(
            client,
            "consults/decline-teaching",
            Fields::new().with("id", id),
        )
        .await
    }

    /// `consults/cancel`.
    pub async fn cancel_consult(&self, client: &mut Client, id: impl Display) -> Reply {
        self.send(client, "consults/cancel", Fields::new().with("id", id))
            .await
    }

    /// `consults/pool-settings`: makes the department take consults with these targets.
    pub async fn pool_settings(
        &self,
        client: &mut Client,
        department_id: impl Display,
        (routine, soon, ack): (u32, u32, u32),
    ) -> Reply {
        let fields = Fields::new()
            .with("department_id", department_id)
            .with("accepting", "yes")
            .with("routine_hours", routine)
            .with("soon_hours", soon)
            .with("ack_hours", ack);
        self.send(client, "consults/pool-settings", fields).await
    }

    /// `consults/pool-responder`.
    pub async fn pool_responder(
        &self,
        client: &mut Client,
        department_id: impl Display,
        user_id: impl Display,
        add: bool,
    ) -> Reply {
        let fields = Fields::new()
            .with("department_id", department_id)
            .with("user_id", user_id)
            .with("add", add);
        self.send(client, "consults/pool-responder", fields).await
    }

    /// `consults/pool`: a pool as its admin sees it.
    pub async fn consult_pool(&self, client: &mut Client, department_id: impl Display) -> Reply {
        self.send(
            client,
            "consults/pool",
            Fields::new().with("department_id", department_id),
        )
        .await
    }

    /// `consults/pool-page`: the pool page's data for `department` (a site admin's choice),
    /// consults sent `from`..=`to` (`YYYY-MM-DD`, or the page's default).
    pub async fn pool_page(
        &self,
        client: &mut Client,
        department_id: impl Display,
        period: Option<(&str, &str)>,
    ) -> Reply {
        let mut fields = Fields::new().with("department", department_id);
        if let Some((from, to)) = period {
            fields = fields.with("from", from).with("to", to);
        }
        self.send(client, "consults/pool-page", fields).await
    }

    /// `consults/find`: whom the caller could ask, for `find` (empty: the defaults).
    pub async fn find_recipients(&self, client: &mut Client, find: &str) -> Reply {
        self.send(client, "consults/find", Fields::new().with("find", find))
            .await
    }

    /// `consults/find` with a recipient chosen (`?to=` or `?pool=` on the page).
    pub async fn chosen_recipient(&self, client: &mut Client, to: To) -> Reply {
        let fields = match to {
            To::Colleague(id) => Fields::new().with("to", id),
            To::Pool(id) => Fields::new().with("pool", id),
        };
        self.send(client, "consults/find", fields).await
    }
}
