//! CME: evaluations and credit, certificates, council profiles, external claims, and the
//! department's dashboard and assignments.

use std::fmt::Display;

use app::cme::rules::Profile;
use app::cme::CmeOverview;
use app::quiz::AttemptResult;
use axum::body::Body;
use axum::http::{header, Request};

use super::Fields;
use crate::common::{Client, Reply, TestApp};

/// The activity evaluation (`evaluate-activity`) that comes between a pass and its credit.
#[derive(Debug, Clone, Copy)]
pub struct Evaluation<'a> {
    pub attempt_id: i64,
    /// 1 to 5.
    pub relevance: &'a str,
    /// 1 to 5.
    pub quality: &'a str,
    pub practice_change: &'a str,
    pub comments: &'a str,
}

impl Evaluation<'_> {
    /// A valid, favourable evaluation of `attempt_id`.
    pub fn of(attempt_id: i64) -> Self {
        Self {
            attempt_id,
            relevance: "5",
            quality: "4",
            practice_change: "will_change",
            comments: "Useful.",
        }
    }
}

/// A council's rules, as a site admin edits them (`cme-profile-edit`).
#[derive(Debug, Clone, Copy)]
pub struct CmeProfileForm<'a> {
    pub profile_id: i64,
    pub unit: &'a str,
    pub cycle_years: &'a str,
    pub total_required: &'a str,
    pub per_year_minimum: &'a str,
    pub per_event_maximum: &'a str,
    pub online_cap: &'a str,
    pub online_factor: &'a str,
}

impl TestApp {
    /// `evaluate-activity`: the certificate's id when this evaluation earned credit
    /// (`Option<String>`).
    pub async fn evaluate_activity(&self, client: &mut Client, form: Evaluation<'_>) -> Reply {
        let fields = Fields::new()
            .with("attempt_id", form.attempt_id)
            .with("relevance", form.relevance)
            .with("quality", form.quality)
            .with("practice_change", form.practice_change)
            .with("comments", form.comments);
        self.send(client, "evaluate-activity", fields).await
    }

    /// `attempt-result`: a submitted attempt's result.
    pub async fn attempt_result(
        &self,
        client: &mut Client,
        attempt_id: impl Display,
    ) -> AttemptResult {
        let fields = Fields::new().with("attempt_id", attempt_id);
        self.send(client, "attempt-result", fields).await.json()
    }

    /// `cme`: the signed-in person's credit.
    pub async fn cme(&self, client: &mut Client) -> CmeOverview {
        self.send(client, "cme", Fields::new()).await.json()
    }

    /// `cme` with the ledger's filter and page: `year`, `credit_type`, `source` and the cursor
    /// `before` (a `CmeOverview`'s `ledger_next`), each sent only when given.
    pub async fn cme_ledger(
        &self,
        client: &mut Client,
        filter: [Option<&str>; 3],
        before: Option<&str>,
    ) -> Reply {
        let [year, credit_type, source] = filter;
        let fields = Fields::new()
            .maybe("year", year)
            .maybe("credit_type", credit_type)
            .maybe("source", source)
            .maybe("before", before);
        self.send(client, "cme", fields).await
    }

    /// `cme-profile`: chooses one's council and the start of the cycle.
    pub async fn set_cme_profile(
        &self,
        client: &mut Client,
        profile_id: impl Display,
        cycle_start: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("profile_id", profile_id)
            .with("cycle_start", cycle_start);
        self.send(client, "cme-profile", fields).await
    }

    /// `cme-profiles`: every council's rules, by profile id.
    pub async fn cme_profiles(&self, client: &mut Client) -> Vec<(i64, Profile)> {
        self.send(client, "cme-profiles", Fields::new())
            .await
            .json()
    }

    /// `cme-profile-edit`.
    pub async fn edit_cme_profile(&self, client: &mut Client, form: CmeProfileForm<'_>) -> Reply {
        let fields = Fields::new()
            .with("profile_id", form.profile_id)
            .with("unit", form.unit)
            .with("cycle_years", form.cycle_years)
            .with("total_required", form.total_required)
            .with("per_year_minimum", form.per_year_minimum)
            .with("per_event_maximum", form.per_event_maximum)
            .with("online_cap", form.online_cap)
            .with("online_factor", form.online_factor);
        self.send(client, "cme-profile-edit", fields).await
    }

    /// `certificate`: anyone verifies a certificate (`Certificate`).
    pub async fn certificate(&self, client: &mut Client, id: &str) -> Reply {
        self.send(client, "certificate", Fields::new().with("id", id))
            .await
    }

    /// `revoke-certificate`.
    pub async fn revoke_certificate(&self, client: &mut Client, id: &str, reason: &str) -> Reply {
        let fields = Fields::new().with("id", id).with("reason", reason);
        self.send(client, "revoke-certificate", fields).await
    }

    /// `decide-claim`: `approve`, or `reject` with a reason.
    pub async fn decide_claim(
        &self,
        client: &mut Client,
        claim_id: impl Display,
        decision: &str,
        reason: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("claim_id", claim_id)
            .with("decision", decision)
            .with("reason", reason);
        self.send(client, "decide-claim", fields).await
    }

    /// `department/dashboard`, filtered by role and status (empty: all) (`Dashboard`).
    pub async fn dashboard(&self, client: &mut Client, role: &str, status: &str) -> Reply {
        self.dashboard_after(client, role, status, None).await
    }

    /// `department/dashboard`, the page after the cursor `after` (a `Dashboard`'s `next`).
    pub async fn dashboard_after(
        &self,
        client: &mut Client,
        role: &str,
        status: &str,
        after: Option<&str>,
    ) -> Reply {
        let fields = Fields::new()
            .with("role", role)
            .with("status", status)
            .maybe("after", after);
        self.send(client, "department/dashboard", fields).await
    }

    /// `department/dashboard`'s claims queue: `claim_status` ("all", "approved", …; none for
    /// claims waiting) and the cursor `claims_after` (a `Dashboard`'s `claims_next`).
    pub async fn dashboard_claims(
        &self,
        client: &mut Client,
        claim_status: Option<&str>,
        claims_after: Option<&str>,
    ) -> Reply {
        let fields = Fields::new()
            .with("role", "")
            .with("status", "")
            .maybe("claim_status", claim_status)
            .maybe("claims_after", claims_after);
        self.send(client, "department/dashboard", fields).await
    }

    /// `department/assign`: how many were assigned (`u64`).
    pub async fn assign_module(
        &self,
        client: &mut Client,
        case_id: impl Display,
        assignee: &str,
        due_on: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("case_id", case_id)
            .with("assignee", assignee)
            .with("due_on", due_on);
        self.send(client, "department/assign", fields).await
    }

    /// `POST /cme/claims`: an external activity with its certificate attached (multipart, as
    /// a script sends it); a fixed organiser and accreditation number.
    pub async fn claim(
        &self,
        client: &mut Client,
        title: &str,
        held_on: &str,
        amount: &str,
        file: &[u8],
    ) -> Reply {
        let boundary = "claim-boundary-93hf7";
        let mut body = Vec::new();
        for (name, value) in [
            ("title", title),
            ("organiser", "Association of Surgeons of India"),
            ("held_on", held_on),
            ("accreditation_number", "MMC/MAC/2026/C-0412"),
            ("amount", amount),
            ("credit_type", "points"),
        ] {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"certificate\"; filename=\"c.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut req = Request::post("/cme/claims")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::ACCEPT, "application/json")
            .header(header::ORIGIN, &self.public_url);
        if let Some(cookie) = &client.cookie {
            req = req.header(header::COOKIE, cookie);
        }
        self.request(client, req.body(Body::from(body)).unwrap())
            .await
    }
}
