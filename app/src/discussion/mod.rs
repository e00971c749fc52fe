//! Discussion under a case, and the notifications it sends.

pub mod api;
pub mod components;
#[cfg(feature = "ssr")]
pub mod db;
pub mod pages;

/// What other features may ask of this one on the server (its `db` stays its own).
#[cfg(feature = "ssr")]
pub use db::notify_published;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub author_id: i64,
    pub author_name: String,
    /// Empty when the comment is hidden.
    pub body_html: String,
    pub is_answer: bool,
    pub hidden: bool,
    pub created_at: DateTime<Utc>,
}

/// How many threads (a comment and its replies) a page of a discussion shows.
pub const THREADS_PER_PAGE: i64 = 50;

/// A page of the discussion under a case, and what the viewer may do in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discussion {
    /// Up to `THREADS_PER_PAGE` threads, oldest first, each comment followed by its replies.
    pub comments: Vec<Comment>,
    pub can_moderate: bool,
    pub can_mark_answer: bool,
    /// Every comment and reply on the case, whichever page is shown.
    pub total: i64,
    /// Where the next page of threads starts (`comments=` on the case page), when there is one.
    pub next: Option<String>,
    /// Whether this page follows others (it was asked for with a cursor).
    pub later_page: bool,
}

crate::closed_set! {
    /// What a notification tells: a followed mentor published, someone replied to a comment,
    /// or a consult took a step that waits on the reader.
    pub enum NotificationKind in "notification_kind" {
        CasePublished = "case_published",
        CommentReply = "comment_reply",
        ConsultReceived = "consult_received",
        ConsultAccepted = "consult_accepted",
        ConsultDeclined = "consult_declined",
        ConsultInfoRequested = "consult_info_requested",
        ConsultInfoProvided = "consult_info_provided",
        ConsultAnswered = "consult_answered",
        ConsultFollowUp = "consult_follow_up",
        ConsultFollowUpAnswered = "consult_follow_up_answered",
        ConsultCancelled = "consult_cancelled",
        ConsultEscalated = "consult_escalated",
        ConsultOverdue = "consult_overdue",
        ConsultTeachingProposed = "consult_teaching_proposed",
        ConsultTeachingAgreed = "consult_teaching_agreed",
        ConsultTeachingDeclined = "consult_teaching_declined",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    /// The case it is about, or (for consult notifications) none.
    pub case_id: Option<i64>,
    pub consult_id: Option<i64>,
    /// The case's title, or "Consult #N" (a consult's text never travels in a notification).
    pub case_title: String,
    pub actor_name: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

impl Notification {
    /// Where the notification leads.
    pub fn href(&self) -> String {
        match (self.case_id, self.consult_id) {
            (_, Some(consult)) => format!("/consults/{consult}"),
            (Some(case), None) => format!("/cases/{case}"),
            (None, None) => "/notifications".into(),
        }
    }
}
