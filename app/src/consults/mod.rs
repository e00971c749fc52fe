//! Consults: a clinician asks a named colleague or a department's pool for a second opinion on a
//! de-identified patient, with the patient's consent on record, and gets a structured answer
//! within the pool's target time. Only the parties (and the pool's admin, for routing) can open
//! one; consults never appear in feeds, search or discussion.
//!
//! `state` is the pure state machine; `input` checks what people typed; `api` holds the server
//! functions; `db` the guarded transitions and queries; `chores` the housekeeping (escalation,
//! overdue, auto-close, expiry, retention purge); `images` the images a requester attaches;
//! `people` the types of the pool page, of finding whom to ask and of consults waiting on the home
//! page; `http` the plain handlers (image upload and files, the pool's CSV export); `teaching` the
//! way from a closed consult to a teaching case written by both doctors.

pub mod api;
#[cfg(feature = "ssr")]
pub mod chores;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http;
pub mod images;
pub mod input;
#[cfg(feature = "ssr")]
pub mod notice;
pub mod pages;
pub mod people;
pub mod state;
pub mod teaching;

pub use images::ConsultImage;
pub use input::{
    parse_message, parse_recipient, Answer, Closeout, ConsentRecord, ConsultText, NewConsult,
    Recipient,
};
pub use state::{transition, Action, Party, Refusal, State};
#[cfg(feature = "ssr")]
pub use teaching::db::case_from_consult;
pub use teaching::{teaching_case, TeachingProposal};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// An answered consult may take follow-up questions, and closes itself, this many days after
/// its answer.
pub const FOLLOW_UP_DAYS: i64 = 14;
/// A consult nobody accepts, or whose requested information never comes, expires after this
/// many days.
pub const EXPIRY_DAYS: i64 = 14;
/// Answer and acknowledgement targets of a consult sent to a named colleague (pools set their
/// own).
pub const NAMED_ROUTINE_HOURS: i32 = 72;
pub const NAMED_SOON_HOURS: i32 = 24;

crate::closed_set! {
    /// How soon an answer is needed. Corridor is not for emergencies.
    #[derive(Default)]
    pub enum Urgency in "consult_urgency" {
        #[default]
        Routine = "routine",
        Soon = "soon",
    }
}

crate::closed_set! {
    pub enum Sex in "consult_sex" {
        Female = "female",
        Male = "male",
        Other = "other",
        NotStated = "not_stated",
    }
}

crate::closed_set! {
    /// Age in bands: an exact age or date narrows down who the patient is.
    pub enum AgeBand in "consult_age_band" {
        Under1 = "under_1",
        From1To4 = "1_to_4",
        From5To12 = "5_to_12",
        From13To17 = "13_to_17",
        From18To39 = "18_to_39",
        From40To64 = "40_to_64",
        From65To79 = "65_to_79",
        Over80 = "80_plus",
    }
}

crate::closed_set! {
    /// Whether the responder still advises a referral.
    pub enum Referral in "consult_referral" {
        No = "no",
        Routine = "routine",
        Urgent = "urgent",
    }
}

crate::closed_set! {
    /// What the consult did to the referral, as the requester reports at close-out.
    pub enum Outcome in "consult_outcome" {
        ReferralAvoided = "referral_avoided",
        ReferralStillNeeded = "referral_still_needed",
        ReferralPrompted = "referral_prompted",
        ReferralNotNeeded = "referral_not_needed",
    }
}

crate::closed_set! {
    /// How the patient's consent to a colleague's opinion was obtained.
    pub enum ConsentMethod in "consent_method" {
        Verbal = "verbal",
        Written = "written",
        Electronic = "electronic",
    }
}

crate::closed_set! {
    pub enum MessageKind in "consult_message_kind" {
        InfoRequest = "info_request",
        InfoReply = "info_reply",
        FollowUpQuestion = "follow_up_question",
        FollowUpAnswer = "follow_up_answer",
    }
}

impl Urgency {
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Routine => "Routine",
            Urgency::Soon => "Soon (not an emergency)",
        }
    }
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::ReferralAvoided => "Referral avoided",
            Outcome::ReferralStillNeeded => "Referral still needed",
            Outcome::ReferralPrompted => "Referral newly prompted",
            Outcome::ReferralNotNeeded => "Referral was not being considered",
        }
    }
}

/// A department that accepts consults, with its targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pool {
    pub department_id: i64,
    pub name: String,
    pub accepting: bool,
    pub routine_hours: i32,
    pub soon_hours: i32,
    pub ack_hours: i32,
    pub responders: Vec<(i64, String)>,
}

/// A consult in a list: no clinical text beyond the question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultSummary {
    pub id: i64,
    pub state: State,
    pub urgency: Urgency,
    pub specialty: String,
    pub question: String,
    pub requester_name: String,
    pub responder_name: Option<String>,
    pub pool_name: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    pub overdue: bool,
    pub escalated: bool,
    pub updated_at: DateTime<Utc>,
}

/// The signed-in person's consults, waiting-for-you first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyConsults {
    /// Sent by you.
    pub requested: Vec<ConsultSummary>,
    /// Addressed to you or accepted by you, due first.
    pub responding: Vec<ConsultSummary>,
    /// Waiting in the pools you respond for or run.
    pub pool_queue: Vec<ConsultSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub method: ConsentMethod,
    pub obtained_on: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub kind: MessageKind,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub from_state: Option<State>,
    pub to_state: State,
    pub action: Option<Action>,
    pub detail: Option<String>,
}

/// One consult as a party sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultDetail {
    pub id: i64,
    pub state: State,
    pub requester_id: i64,
    pub requester_name: String,
    pub responder_id: Option<i64>,
    pub responder_name: Option<String>,
    pub pool_id: Option<i64>,
    pub pool_name: Option<String>,
    pub text: ConsultText,
    pub consent: Option<Consent>,
    pub answer: Option<Answer>,
    pub closeout: Option<Closeout>,
    pub messages: Vec<Message>,
    /// Attached images, oldest first (none left after the retention purge).
    pub images: Vec<ConsultImage>,
    pub events: Vec<Event>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub paused: bool,
    pub escalated: bool,
    pub overdue: bool,
    /// The clinical text was removed after the retention period; the record remains.
    pub purged: bool,
    /// Who the viewer is to this consult.
    pub viewer: Party,
    /// Whether (and how far) the consult is becoming a teaching case.
    pub teaching: Option<TeachingProposal>,
}

impl ConsultDetail {
    /// Whether the viewer may take `action` now (the page shows only these).
    pub fn can(&self, action: Action) -> bool {
        transition(self.state, action, self.viewer).is_ok()
    }

    /// Whether the viewer may rewrite the request now: its requester, while it is a draft.
    pub fn may_edit(&self) -> bool {
        self.viewer == Party::Requester && self.state == State::Draft && !self.purged
    }

    /// Whether the viewer may attach an image now (the page shows the upload form only then).
    pub fn may_add_images(&self) -> bool {
        !self.purged && images::may_add(self.state, self.viewer).is_ok()
    }

    /// The viewer's own id, when they are one of the two doctors.
    fn doctor(&self) -> Option<i64> {
        match self.viewer {
            Party::Requester => Some(self.requester_id),
            Party::NamedResponder | Party::PoolResponder => self.responder_id,
            Party::PoolAdmin | Party::Corridor => None,
        }
    }

    /// Whether the viewer may propose making this consult a teaching case now: one of the two
    /// doctors, the consult closed and not purged, and no proposal waiting or agreed.
    pub fn can_propose_teaching(&self) -> bool {
        self.state == State::Closed
            && !self.purged
            && self.doctor().is_some()
            && self
                .teaching
                .as_ref()
                .is_none_or(|t| t.declined_at.is_some())
    }

    /// Whether the viewer may agree to (or decline) the waiting proposal: the other doctor.
    pub fn can_answer_teaching(&self) -> bool {
        !self.purged
            && self.doctor().is_some()
            && self
                .teaching
                .as_ref()
                .is_some_and(|t| t.pending() && Some(t.proposed_by) != self.doctor())
    }
}

/// What a notification or mail about a consult says.
pub fn headline(kind: crate::discussion::NotificationKind) -> &'static str {
    use crate::discussion::NotificationKind as K;
    match kind {
        K::ConsultReceived => "A colleague asks for your opinion",
        K::ConsultAccepted => "Your consult was accepted",
        K::ConsultDeclined => "Your consult was declined",
        K::ConsultInfoRequested => "Your colleague asks for more information",
        K::ConsultInfoProvided => "The information you asked for was added",
        K::ConsultAnswered => "Your consult was answered",
        K::ConsultFollowUp => "A follow-up question about your answer",
        K::ConsultFollowUpAnswered => "Your follow-up question was answered",
        K::ConsultCancelled => "A consult sent to you was cancelled",
        K::ConsultEscalated => "A consult in your pool has not been accepted in time",
        K::ConsultOverdue => "A consult is past its answer time",
        K::ConsultTeachingProposed => "Your colleague proposes making your consult a teaching case",
        K::ConsultTeachingAgreed => "Your colleague agreed: the teaching case draft is ready",
        K::ConsultTeachingDeclined => "Your colleague declined making the consult a teaching case",
        K::CasePublished | K::CommentReply => "Something happened",
    }
}
