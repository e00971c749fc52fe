//! The state machine against the issue's arrows, written out here by hand (not derived from
//! `transition`): every (state, action, party) either is one of these arrows or is refused.

use super::*;
use proptest::prelude::*;
use Action as A;
use Party as P;
use State as S;

/// Every allowed step: (from, action, party, to).
const ARROWS: &[(State, Action, Party, State)] = &[
    (S::Draft, A::Submit, P::Requester, S::Submitted),
    (S::Draft, A::Cancel, P::Requester, S::Cancelled),
    (S::Submitted, A::Accept, P::NamedResponder, S::Accepted),
    (S::Submitted, A::Accept, P::PoolResponder, S::Accepted),
    (S::Submitted, A::Decline, P::NamedResponder, S::Declined),
    (S::Submitted, A::Cancel, P::Requester, S::Cancelled),
    (S::Submitted, A::Expire, P::Corridor, S::Expired),
    (S::Submitted, A::Escalate, P::Corridor, S::Submitted),
    (S::Submitted, A::MarkOverdue, P::Corridor, S::Submitted),
    (S::Accepted, A::Decline, P::NamedResponder, S::Declined),
    (S::Accepted, A::Decline, P::PoolResponder, S::Submitted),
    (
        S::Accepted,
        A::RequestInfo,
        P::NamedResponder,
        S::InfoRequested,
    ),
    (
        S::Accepted,
        A::RequestInfo,
        P::PoolResponder,
        S::InfoRequested,
    ),
    (S::Accepted, A::Answer, P::NamedResponder, S::Answered),
    (S::Accepted, A::Answer, P::PoolResponder, S::Answered),
    (S::Accepted, A::Cancel, P::Requester, S::Cancelled),
    (S::Accepted, A::MarkOverdue, P::Corridor, S::Accepted),
    (S::InfoRequested, A::ProvideInfo, P::Requester, S::Accepted),
    (S::InfoRequested, A::Cancel, P::Requester, S::Cancelled),
    (S::InfoRequested, A::Expire, P::Corridor, S::Expired),
    (S::Answered, A::AskFollowUp, P::Requester, S::FollowUp),
    (S::Answered, A::Close, P::Requester, S::Closed),
    (S::Answered, A::AutoClose, P::Corridor, S::Closed),
    (
        S::FollowUp,
        A::AnswerFollowUp,
        P::NamedResponder,
        S::Answered,
    ),
    (
        S::FollowUp,
        A::AnswerFollowUp,
        P::PoolResponder,
        S::Answered,
    ),
    (S::FollowUp, A::Close, P::Requester, S::Closed),
    (S::FollowUp, A::AutoClose, P::Corridor, S::Closed),
    (S::Closed, A::Purge, P::Corridor, S::Closed),
    (S::Declined, A::Purge, P::Corridor, S::Declined),
    (S::Cancelled, A::Purge, P::Corridor, S::Cancelled),
    (S::Expired, A::Purge, P::Corridor, S::Expired),
];

fn arrow(from: State, action: Action, party: Party) -> Option<State> {
    ARROWS
        .iter()
        .find(|(f, a, p, _)| *f == from && *a == action && *p == party)
        .map(|(_, _, _, to)| *to)
}

/// Whether any party may take `action` from `from`.
fn starts_here(from: State, action: Action) -> bool {
    ARROWS.iter().any(|(f, a, _, _)| *f == from && *a == action)
}

#[test]
fn every_arrow_is_allowed_and_everything_else_refused() {
    let mut checked = 0;
    for from in State::ALL {
        for action in Action::ALL {
            for party in Party::ALL {
                let got = transition(from, action, party);
                let want = match arrow(from, action, party) {
                    Some(to) => Ok(to),
                    None if starts_here(from, action) => Err(Refusal::NotYours),
                    None => Err(Refusal::WrongState),
                };
                assert_eq!(got, want, "{from} --{action}--> as {party:?}");
                checked += 1;
            }
        }
    }
    // 15 steps, and the three teaching-case actions that no state takes as a step.
    assert_eq!(checked, 10 * 18 * 5);
}

#[test]
fn the_issue_walk_through() {
    // draft → submitted → accepted → info requested ⇄ provided → answered → follow-up ⇄
    // answer → closed.
    let steps = [
        (A::Submit, P::Requester, S::Submitted),
        (A::Accept, P::NamedResponder, S::Accepted),
        (A::RequestInfo, P::NamedResponder, S::InfoRequested),
        (A::ProvideInfo, P::Requester, S::Accepted),
        (A::Answer, P::NamedResponder, S::Answered),
        (A::AskFollowUp, P::Requester, S::FollowUp),
        (A::AnswerFollowUp, P::NamedResponder, S::Answered),
        (A::Close, P::Requester, S::Closed),
    ];
    let mut state = S::Draft;
    for (action, party, to) in steps {
        state = transition(state, action, party).unwrap();
        assert_eq!(state, to);
    }
    assert!(state.has_ended());
}

#[test]
fn a_pool_decline_returns_to_the_pool_a_named_one_ends() {
    assert_eq!(
        transition(S::Accepted, A::Decline, P::PoolResponder),
        Ok(S::Submitted)
    );
    assert_eq!(
        transition(S::Accepted, A::Decline, P::NamedResponder),
        Ok(S::Declined)
    );
    // Waiting in the pool, nobody has it to decline: a pool responder simply does not accept.
    assert_eq!(
        transition(S::Submitted, A::Decline, P::PoolResponder),
        Err(Refusal::NotYours)
    );
}

#[test]
fn accepting_twice_is_a_conflict_not_a_second_acceptance() {
    let first = transition(S::Submitted, A::Accept, P::PoolResponder).unwrap();
    assert_eq!(
        transition(first, A::Accept, P::PoolResponder),
        Err(Refusal::WrongState)
    );
}

#[test]
fn ended_consults_take_no_step_but_the_purge() {
    for from in State::ALL.into_iter().filter(|s| s.has_ended()) {
        for action in Action::ALL {
            for party in Party::ALL {
                let allowed = transition(from, action, party).is_ok();
                assert_eq!(
                    allowed,
                    action == A::Purge && party == P::Corridor,
                    "{from} {action} {party:?}"
                );
            }
        }
    }
}

#[test]
fn every_state_is_reachable_from_a_draft() {
    let mut seen = vec![S::Draft];
    let mut i = 0;
    while i < seen.len() {
        for action in Action::ALL {
            for party in Party::ALL {
                if let Ok(to) = transition(seen[i], action, party) {
                    if !seen.contains(&to) {
                        seen.push(to);
                    }
                }
            }
        }
        i += 1;
    }
    for state in State::ALL {
        assert!(seen.contains(&state), "{state} is unreachable");
    }
}

fn any_action() -> impl Strategy<Value = Action> {
    (0..Action::ALL.len()).prop_map(|i| Action::ALL[i])
}

fn any_party() -> impl Strategy<Value = Party> {
    (0..Party::ALL.len()).prop_map(|i| Party::ALL[i])
}

proptest! {
    /// Whatever happens to a draft, each step that succeeds is one of the listed arrows (so no
    /// sequence reaches an unlisted state or lets the wrong party act), the pool admin never
    /// moves a consult, and only Corridor raises flags.
    #[test]
    fn no_sequence_leaves_the_listed_arrows(
        steps in proptest::collection::vec((any_action(), any_party()), 0..40)
    ) {
        let mut state = S::Draft;
        for (action, party) in steps {
            match transition(state, action, party) {
                Ok(to) => {
                    prop_assert_eq!(arrow(state, action, party), Some(to));
                    prop_assert!(party != P::PoolAdmin);
                    if matches!(action, A::Escalate | A::MarkOverdue | A::Purge | A::AutoClose | A::Expire) {
                        prop_assert_eq!(party, P::Corridor);
                    }
                    if matches!(action, A::Submit | A::ProvideInfo | A::AskFollowUp | A::Close | A::Cancel) {
                        prop_assert_eq!(party, P::Requester);
                    }
                    state = to;
                }
                Err(_) => prop_assert!(arrow(state, action, party).is_none()),
            }
            prop_assert!(State::ALL.contains(&state));
        }
    }
}
