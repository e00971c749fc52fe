//! Site and department administration: roles, departments, peer review, record labels,
//! members, domains, accounts and the audit log.

use std::fmt::Display;

use app::department::api::members::MembersPage;
use app::department::InstitutionDomains;

use super::Fields;
use crate::common::{Client, Reply, TestApp};

impl TestApp {
    /// `admin/users`.
    pub async fn admin_users(&self, client: &mut Client) -> Reply {
        self.send(client, "admin/users", Fields::new()).await
    }

    /// `admin/set-role`.
    pub async fn set_role(&self, client: &mut Client, user_id: impl Display, role: &str) -> Reply {
        let fields = Fields::new().with("user_id", user_id).with("role", role);
        self.send(client, "admin/set-role", fields).await
    }

    /// `admin/add-department`.
    pub async fn add_department(
        &self,
        client: &mut Client,
        institution: &str,
        city: &str,
        department: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("institution", institution)
            .with("city", city)
            .with("department", department);
        self.send(client, "admin/add-department", fields).await
    }

    /// `admin/peer-review`: `enabled` is the checkbox (`Some("on")`) or its absence.
    pub async fn set_peer_review(
        &self,
        client: &mut Client,
        department_id: impl Display,
        enabled: Option<&str>,
    ) -> Reply {
        let fields = Fields::new()
            .with("department_id", department_id)
            .maybe("enabled", enabled);
        self.send(client, "admin/peer-review", fields).await
    }

    /// `admin/add-record-label`.
    pub async fn add_record_label(
        &self,
        client: &mut Client,
        institution_id: impl Display,
        label: &str,
    ) -> Reply {
        self.institution_setting(
            client,
            "admin/add-record-label",
            institution_id,
            ("label", label),
        )
        .await
    }

    /// `admin/remove-record-label`.
    pub async fn remove_record_label(
        &self,
        client: &mut Client,
        institution_id: impl Display,
        label: &str,
    ) -> Reply {
        self.institution_setting(
            client,
            "admin/remove-record-label",
            institution_id,
            ("label", label),
        )
        .await
    }

    /// `admin/domains`: every institution's e-mail domains and join policy.
    pub async fn institution_domains(&self, client: &mut Client) -> Vec<InstitutionDomains> {
        self.send(client, "admin/domains", Fields::new())
            .await
            .json()
    }

    /// `admin/add-domain`.
    pub async fn add_domain(
        &self,
        client: &mut Client,
        institution_id: impl Display,
        domain: &str,
    ) -> Reply {
        self.institution_setting(
            client,
            "admin/add-domain",
            institution_id,
            ("domain", domain),
        )
        .await
    }

    /// `admin/join-policy`.
    pub async fn set_join_policy(
        &self,
        client: &mut Client,
        institution_id: impl Display,
        policy: &str,
    ) -> Reply {
        self.institution_setting(
            client,
            "admin/join-policy",
            institution_id,
            ("policy", policy),
        )
        .await
    }

    /// `audit`: the audit log, all of it or one action (`AuditPage`).
    pub async fn audit(&self, client: &mut Client, action: Option<&str>) -> Reply {
        self.send(client, "audit", Fields::new().maybe("action", action))
            .await
    }

    /// `department/members`: the first page of one's department's members and requests.
    pub async fn members(&self, client: &mut Client) -> MembersPage {
        self.send(client, "department/members", Fields::new())
            .await
            .json()
    }

    /// `department/decide-membership`: `approve`, or `decline` (with a reason).
    pub async fn decide_membership(
        &self,
        client: &mut Client,
        user_id: impl Display,
        department_id: impl Display,
        decision: &str,
        reason: Option<&str>,
    ) -> Reply {
        let fields = Fields::new()
            .with("user_id", user_id)
            .with("department_id", department_id)
            .with("decision", decision)
            .maybe("reason", reason);
        self.send(client, "department/decide-membership", fields)
            .await
    }

    /// `department/invite`.
    pub async fn invite(
        &self,
        client: &mut Client,
        department_id: impl Display,
        email: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("department_id", department_id)
            .with("email", email);
        self.send(client, "department/invite", fields).await
    }

    /// `leave-department`.
    pub async fn leave_department(&self, client: &mut Client) -> Reply {
        self.send(client, "leave-department", Fields::new()).await
    }

    /// `department/remove-member`.
    pub async fn remove_member(&self, client: &mut Client, user_id: impl Display) -> Reply {
        let fields = Fields::new().with("user_id", user_id);
        self.send(client, "department/remove-member", fields).await
    }

    /// `department/verify-registration`.
    pub async fn verify_registration(&self, client: &mut Client, user_id: impl Display) -> Reply {
        let fields = Fields::new().with("user_id", user_id);
        self.send(client, "department/verify-registration", fields)
            .await
    }

    /// `set-account-active`: deactivating needs a reason.
    pub async fn set_account_active(
        &self,
        client: &mut Client,
        user_id: impl Display,
        active: bool,
        reason: Option<&str>,
    ) -> Reply {
        let fields = Fields::new()
            .with("user_id", user_id)
            .with("active", active)
            .maybe("reason", reason);
        self.send(client, "set-account-active", fields).await
    }

    /// The institution settings' common shape: the institution and one named value.
    async fn institution_setting(
        &self,
        client: &mut Client,
        endpoint: &str,
        institution_id: impl Display,
        (name, value): (&'static str, &str),
    ) -> Reply {
        let fields = Fields::new()
            .with("institution_id", institution_id)
            .with(name, value);
        self.send(client, endpoint, fields).await
    }
}
