//! The people side of consults, as the pages see it: a pool's page for its admin (settings,
//! responders, statistics), finding a colleague or a pool to ask, and what waits for someone.

use crate::consults::{Outcome, Pool, State, Urgency};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The period the pool page looks at when none is given.
pub const DEFAULT_PERIOD_DAYS: i64 = 90;
/// The longest period the pool page reads at once (the chart has a bar per week).
pub const MAX_PERIOD_DAYS: i64 = 731;
/// Colleagues or pools shown per search.
pub const FIND_LIMIT: i64 = 20;

/// What a department's admin sees on the pool page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolPage {
    pub department_id: i64,
    pub department: String,
    /// Departments a site admin can switch between: (id, name).
    pub departments: Vec<(i64, String)>,
    /// `None` until the department has been set up to take consults.
    pub pool: Option<Pool>,
    /// Verified members of the department who are not responders yet: (id, name).
    pub candidates: Vec<(i64, String)>,
    pub stats: PoolStats,
    /// Whether the viewer may open the pool's consults (the department's own admins may; a
    /// site admin sees the figures and the overdue list, not the consults: they hold
    /// clinical text).
    pub may_open: bool,
}

/// A pool's consults sent within `from..=to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolStats {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub received: i64,
    pub accepted: i64,
    pub answered: i64,
    /// Answered by their due time (which moves on by the time information was awaited).
    pub within_target: i64,
    /// Hours from sending to acceptance: median and 90th percentile.
    pub ack_median: Option<f64>,
    pub ack_p90: Option<f64>,
    /// Hours from sending to the answer, without the time information was awaited.
    pub answer_median: Option<f64>,
    pub answer_p90: Option<f64>,
    pub weeks: Vec<WeekBar>,
    pub outcomes: Vec<OutcomeCount>,
    /// Consults waiting for an answer past their due time, whenever they were sent.
    pub overdue: Vec<OverdueConsult>,
}

impl PoolStats {
    /// The share answered within the target, of those received, in whole per cent.
    pub fn within_target_percent(&self) -> Option<i64> {
        (self.received > 0).then(|| (self.within_target * 100 + self.received / 2) / self.received)
    }
}

/// One week of the chart: consults sent that week, and those of them answered in time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekBar {
    pub week: NaiveDate,
    pub received: i64,
    pub within_target: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeCount {
    pub outcome: Outcome,
    pub count: i64,
}

/// An overdue consult in the pool admin's list: no clinical text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueConsult {
    pub id: i64,
    pub state: State,
    pub urgency: Urgency,
    pub specialty: String,
    pub due_at: DateTime<Utc>,
    pub responder: Option<String>,
}

/// A clinician one may ask by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    pub id: i64,
    pub full_name: String,
    pub designation: Option<String>,
    pub specialty: Option<String>,
    pub department: String,
    pub institution: String,
}

/// A department's pool taking consults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolChoice {
    pub department_id: i64,
    pub name: String,
    pub routine_hours: i32,
    pub soon_hours: i32,
}

/// Who a new consult goes to, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Chosen {
    Colleague(Colleague),
    Pool(PoolChoice),
}

/// What the new consult page offers: the chosen recipient, matches for a search, and (without
/// a search) the mentors one follows and the pools taking consults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipients {
    pub find: String,
    pub chosen: Option<Chosen>,
    /// A recipient was asked for (`?to=` or `?pool=`) who cannot take consults.
    pub unavailable: bool,
    pub colleagues: Vec<Colleague>,
    pub pools: Vec<PoolChoice>,
}

/// Why a consult waits for the viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Waiting {
    /// Addressed to them, or accepted by them and not answered (or a follow-up to answer).
    Respond,
    /// They asked, and the responder asks them for more information.
    Reply,
    /// Waiting in a pool they respond for.
    Pool,
}

impl Waiting {
    pub fn label(self) -> &'static str {
        match self {
            Waiting::Respond => "for your answer",
            Waiting::Reply => "information asked of you",
            Waiting::Pool => "waiting in your pool",
        }
    }
}

/// A consult waiting for the viewer's action, on the home page: no clinical text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingConsult {
    pub id: i64,
    pub specialty: String,
    pub state: State,
    pub urgency: Urgency,
    pub due_at: Option<DateTime<Utc>>,
    pub overdue: bool,
    pub why: Waiting,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_within_target_rounds_and_needs_consults() {
        let mut s = PoolStats {
            from: NaiveDate::default(),
            to: NaiveDate::default(),
            received: 0,
            accepted: 0,
            answered: 0,
            within_target: 0,
            ack_median: None,
            ack_p90: None,
            answer_median: None,
            answer_p90: None,
            weeks: vec![],
            outcomes: vec![],
            overdue: vec![],
        };
        assert_eq!(s.within_target_percent(), None);
        s.received = 3;
        s.within_target = 2;
        assert_eq!(s.within_target_percent(), Some(67));
    }
}
