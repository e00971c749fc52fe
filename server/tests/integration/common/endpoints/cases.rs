//! Cases and lessons: writing, previewing, publishing, reviewing, reading, listing, searching.

use std::fmt::Display;

use super::Fields;
use crate::common::{Client, Reply, TestApp};

/// The case editor's form (`save-case`). `CaseForm::default()` is a new case with a
/// general-surgery specialty and a short summary, every optional field left out.
#[derive(Debug, Clone, Copy)]
pub struct CaseForm<'a> {
    /// The case being edited; `None` writes a new one.
    pub id: Option<i64>,
    pub title: &'a str,
    pub specialty: &'a str,
    pub summary: &'a str,
    pub body: Option<&'a str>,
    pub presentation: Option<&'a str>,
    pub history: Option<&'a str>,
    pub examination: Option<&'a str>,
    pub investigations: Option<&'a str>,
    pub management: Option<&'a str>,
    pub outcome: Option<&'a str>,
    pub teaching_points: Option<&'a str>,
    pub tags: Option<&'a str>,
    /// `all`, `institution` or `department`.
    pub visibility: Option<&'a str>,
    /// `case` or `lesson`.
    pub kind: Option<&'a str>,
    pub related: Option<&'a str>,
    /// `publish` or `draft`.
    pub intent: Option<&'a str>,
}

impl Default for CaseForm<'_> {
    fn default() -> Self {
        Self {
            id: None,
            title: "",
            specialty: "general-surgery",
            summary: "A short summary.",
            body: None,
            presentation: None,
            history: None,
            examination: None,
            investigations: None,
            management: None,
            outcome: None,
            teaching_points: None,
            tags: None,
            visibility: None,
            kind: None,
            related: None,
            intent: None,
        }
    }
}

impl<'a> CaseForm<'a> {
    /// A new case with this title and body, published on saving.
    pub fn publish(title: &'a str, body: &'a str) -> Self {
        Self {
            title,
            body: Some(body),
            intent: Some("publish"),
            ..Self::default()
        }
    }

    /// A new case with this title and body, kept as a draft.
    pub fn draft(title: &'a str, body: &'a str) -> Self {
        Self {
            intent: Some("draft"),
            ..Self::publish(title, body)
        }
    }

    fn fields(&self) -> Fields {
        Fields::new()
            .maybe("id", self.id)
            .with("title", self.title)
            .with("specialty", self.specialty)
            .with("summary", self.summary)
            .maybe("body", self.body)
            .maybe("presentation", self.presentation)
            .maybe("history", self.history)
            .maybe("examination", self.examination)
            .maybe("investigations", self.investigations)
            .maybe("management", self.management)
            .maybe("outcome", self.outcome)
            .maybe("teaching_points", self.teaching_points)
            .maybe("tags", self.tags)
            .maybe("visibility", self.visibility)
            .maybe("kind", self.kind)
            .maybe("related", self.related)
            .maybe("intent", self.intent)
    }
}

/// The search form (`search`): every filter empty and page 1 by default.
#[derive(Debug, Clone, Copy)]
pub struct SearchForm<'a> {
    pub q: &'a str,
    pub specialty: &'a str,
    /// A mentor's user id, or empty.
    pub mentor: &'a str,
    pub tag: Option<&'a str>,
    pub kind: Option<&'a str>,
    /// Text, so a test can send any number, however large.
    pub page: &'a str,
}

impl Default for SearchForm<'_> {
    fn default() -> Self {
        Self {
            q: "",
            specialty: "",
            mentor: "",
            tag: None,
            kind: None,
            page: "1",
        }
    }
}

impl<'a> SearchForm<'a> {
    /// Page 1 of the results for `q`, without filters.
    pub fn q(q: &'a str) -> Self {
        Self {
            q,
            ..Self::default()
        }
    }
}

impl TestApp {
    /// `save-case`: writes or edits a case (or lesson).
    pub async fn save_case(&self, client: &mut Client, case: CaseForm<'_>) -> Reply {
        self.send(client, "save-case", case.fields()).await
    }

    /// Saves a case that must be accepted; returns the id the server function answers with
    /// (checked against what was stored).
    pub async fn create_case(&self, client: &mut Client, case: CaseForm<'_>) -> i64 {
        let id: i64 = self.save_case(client, case).await.json();
        let title: String = sqlx::query_scalar("select title from cases where id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .expect("case saved");
        assert_eq!(
            title,
            case.title.trim(),
            "save-case answered the id of the case it saved"
        );
        id
    }

    /// `preview-case`: the rendered text and the privacy findings, nothing saved.
    pub async fn preview_case(
        &self,
        client: &mut Client,
        title: &str,
        summary: &str,
        body: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("title", title)
            .with("summary", summary)
            .with("body", body);
        self.send(client, "preview-case", fields).await
    }

    /// `publish-case`.
    pub async fn publish_case(&self, client: &mut Client, id: impl Display) -> Reply {
        self.send(client, "publish-case", Fields::new().with("id", id))
            .await
    }

    /// `unpublish-case`.
    pub async fn unpublish_case(&self, client: &mut Client, id: impl Display) -> Reply {
        self.send(client, "unpublish-case", Fields::new().with("id", id))
            .await
    }

    /// `approve-case`: a peer reviewer's approval.
    pub async fn approve_case(&self, client: &mut Client, id: impl Display) -> Reply {
        self.send(client, "approve-case", Fields::new().with("id", id))
            .await
    }

    /// `override-finding`: the author accepts one privacy finding, with a reason.
    pub async fn override_finding(
        &self,
        client: &mut Client,
        case_id: impl Display,
        kind: &str,
        text: &str,
        reason: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("case_id", case_id)
            .with("kind", kind)
            .with("text", text)
            .with("reason", reason);
        self.send(client, "override-finding", fields).await
    }

    /// `case`: one case as its reader sees it (`CaseDetail`).
    pub async fn case(&self, client: &mut Client, id: impl Display) -> Reply {
        self.send(client, "case", Fields::new().with("id", id))
            .await
    }

    /// `case` with the page of its discussion after the cursor `comments` (`CaseDetail`).
    pub async fn case_comments(
        &self,
        client: &mut Client,
        id: impl Display,
        comments: Option<&str>,
    ) -> Reply {
        let fields = Fields::new().with("id", id).maybe("comments", comments);
        self.send(client, "case", fields).await
    }

    /// `cases`: one page of the case list (`CasePage`).
    pub async fn cases(&self, client: &mut Client, page: impl Display) -> Reply {
        self.send(client, "cases", Fields::new().with("page", page))
            .await
    }

    /// `home`: the first page of the home feed (`HomeData`).
    pub async fn home(&self, client: &mut Client) -> Reply {
        self.send(client, "home", Fields::new()).await
    }

    /// `home`: the feed after the cursor `before`.
    pub async fn home_before(&self, client: &mut Client, before: &str) -> Reply {
        self.send(client, "home", Fields::new().with("before", before))
            .await
    }

    /// `search` (`SearchResults`).
    pub async fn search(&self, client: &mut Client, form: SearchForm<'_>) -> Reply {
        let fields = Fields::new()
            .with("q", form.q)
            .with("specialty", form.specialty)
            .with("mentor", form.mentor)
            .maybe("tag", form.tag)
            .maybe("kind", form.kind)
            .with("page", form.page);
        self.send(client, "search", fields).await
    }
}
