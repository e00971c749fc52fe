//! The consult's state machine: which party may do what from which state, in one `transition`
//! function. Pure (no database, no clock): the server asks it before every guarded
//! `update … where state = $from`, and the event history records what it allowed.
//!
//! Escalation, overdue and the retention purge are flags, not states: a consult waiting too long
//! for acknowledgement is still waiting (`submitted`), an overdue one is still being worked on.
//! They pass through `transition` all the same, so only Corridor raises them and only from the
//! states where they mean something.
//!
//! Time limits (follow-up questions within 14 days of the answer) are the server's to check; the
//! machine says only whether the step exists.

use serde::{Deserialize, Serialize};

crate::closed_set! {
    /// Where a consult stands.
    pub enum State in "consult_state" {
        /// Being written; only the requester sees it.
        Draft = "draft",
        /// Sent, waiting for the named colleague or a pool responder to accept it.
        Submitted = "submitted",
        /// Accepted: the responder is working on it (also after information was provided).
        Accepted = "accepted",
        /// The responder asked the requester for more; the answer clock is paused.
        InfoRequested = "info_requested",
        Answered = "answered",
        /// The requester asked a follow-up question about the answer.
        FollowUp = "follow_up",
        Closed = "closed",
        /// The named colleague declined (a pool consult goes back to the pool instead).
        Declined = "declined",
        Cancelled = "cancelled",
        /// Nobody accepted it, or the requested information never came.
        Expired = "expired",
    }
}

crate::closed_set! {
    /// What someone (or Corridor's housekeeping) does to a consult.
    pub enum Action in "consult_action" {
        Submit = "submit",
        Accept = "accept",
        Decline = "decline",
        RequestInfo = "request_info",
        ProvideInfo = "provide_info",
        Answer = "answer",
        AskFollowUp = "ask_follow_up",
        AnswerFollowUp = "answer_follow_up",
        Close = "close",
        AutoClose = "auto_close",
        Cancel = "cancel",
        Expire = "expire",
        Escalate = "escalate",
        MarkOverdue = "mark_overdue",
        Purge = "purge",
        /// After the close, either doctor proposes writing the consult up as a teaching case;
        /// the other agrees or declines. Recorded in the history, but not steps of this
        /// machine: the consult stays closed, and who may answer a proposal depends on who
        /// made it (`consults::teaching` decides).
        ProposeTeaching = "propose_teaching",
        AgreeTeaching = "agree_teaching",
        DeclineTeaching = "decline_teaching",
    }
}

/// Who is acting, as far as this consult is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Party {
    Requester,
    /// The colleague the consult was addressed to by name.
    NamedResponder,
    /// A responder of the pool the consult was sent to: any of them while it waits in the
    /// pool, only the one who accepted it afterwards.
    PoolResponder,
    /// The pool's department admin: reads for routing, acts on nothing.
    PoolAdmin,
    /// Corridor's housekeeping (escalation, overdue, auto-close, expiry, purge).
    Corridor,
}

impl Party {
    pub const ALL: [Party; 5] = [
        Party::Requester,
        Party::NamedResponder,
        Party::PoolResponder,
        Party::PoolAdmin,
        Party::Corridor,
    ];

    fn responds(self) -> bool {
        matches!(self, Party::NamedResponder | Party::PoolResponder)
    }
}

/// Why a step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The step exists from this state, but not for this party.
    NotYours,
    /// The consult is not in a state this step starts from (someone else was quicker, or it
    /// has ended).
    WrongState,
}

impl State {
    /// Closed, declined, cancelled and expired consults take no more steps (but the purge).
    pub fn has_ended(self) -> bool {
        matches!(
            self,
            State::Closed | State::Declined | State::Cancelled | State::Expired
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            State::Draft => "Draft",
            State::Submitted => "Waiting to be accepted",
            State::Accepted => "Accepted",
            State::InfoRequested => "Information requested",
            State::Answered => "Answered",
            State::FollowUp => "Follow-up question",
            State::Closed => "Closed",
            State::Declined => "Declined",
            State::Cancelled => "Cancelled",
            State::Expired => "Expired",
        }
    }
}

/// The one place that says which step leads where. `Ok(to)` may equal `from` for the flags
/// (escalate, mark overdue, purge).
pub fn transition(from: State, action: Action, actor: Party) -> Result<State, Refusal> {
    use Action as A;
    use State as S;
    // First: does the step start from here at all? Then: is it this party's to take?
    let (to, allowed) = match (action, from) {
        (A::Submit, S::Draft) => (S::Submitted, actor == Party::Requester),
        (A::Accept, S::Submitted) => (S::Accepted, actor.responds()),
        // A named colleague's decline ends the consult; a pool responder's returns it to the
        // pool for another responder.
        (A::Decline, S::Submitted) => (S::Declined, actor == Party::NamedResponder),
        (A::Decline, S::Accepted) => match actor {
            Party::NamedResponder => (S::Declined, true),
            _ => (S::Submitted, actor == Party::PoolResponder),
        },
        (A::RequestInfo, S::Accepted) => (S::InfoRequested, actor.responds()),
        (A::ProvideInfo, S::InfoRequested) => (S::Accepted, actor == Party::Requester),
        (A::Answer, S::Accepted) => (S::Answered, actor.responds()),
        (A::AskFollowUp, S::Answered) => (S::FollowUp, actor == Party::Requester),
        (A::AnswerFollowUp, S::FollowUp) => (S::Answered, actor.responds()),
        (A::Close, S::Answered | S::FollowUp) => (S::Closed, actor == Party::Requester),
        (A::AutoClose, S::Answered | S::FollowUp) => (S::Closed, actor == Party::Corridor),
        (A::Cancel, S::Draft | S::Submitted | S::Accepted | S::InfoRequested) => {
            (S::Cancelled, actor == Party::Requester)
        }
        (A::Expire, S::Submitted | S::InfoRequested) => (S::Expired, actor == Party::Corridor),
        (A::Escalate, S::Submitted) => (S::Submitted, actor == Party::Corridor),
        (A::MarkOverdue, S::Submitted | S::Accepted) => (from, actor == Party::Corridor),
        (A::Purge, s) if s.has_ended() => (s, actor == Party::Corridor),
        _ => return Err(Refusal::WrongState),
    };
    if allowed {
        Ok(to)
    } else {
        Err(Refusal::NotYours)
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
