//! Images on a consult (an ECG strip, a rash, a chest X-ray). They go through the case images'
//! upload pipeline (`media::upload`): re-encoded without their metadata, a display size and a
//! thumbnail in the object store. Only the consult's readers (`consult_readable`) get the files,
//! from `/media/consult-images/{id}/{display|thumb}`; the requester adds them while writing the
//! draft, or when the responder asks for more information. The privacy guard reads their
//! descriptions and captions with the consult's text.

use crate::consults::{Party, Refusal, State};
use serde::{Deserialize, Serialize};

/// An image on a consult, as its readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultImage {
    pub id: i64,
    pub alt_text: String,
    pub caption: String,
    pub width: i32,
    pub height: i32,
}

impl ConsultImage {
    pub fn display_url(&self) -> String {
        format!("/media/consult-images/{}/display", self.id)
    }
    pub fn thumb_url(&self) -> String {
        format!("/media/consult-images/{}/thumb", self.id)
    }
}

/// Whether `party` may add an image to a consult in `state`: its requester, while it is a draft
/// or while the responder asks for more information (an answer already given was given without
/// the picture).
pub fn may_add(state: State, party: Party) -> Result<(), Refusal> {
    if party != Party::Requester {
        return Err(Refusal::NotYours);
    }
    match state {
        State::Draft | State::InfoRequested => Ok(()),
        _ => Err(Refusal::WrongState),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_requester_adds_images_and_only_to_a_draft_or_when_asked() {
        for state in State::ALL {
            let expected = matches!(state, State::Draft | State::InfoRequested);
            assert_eq!(
                may_add(state, Party::Requester).is_ok(),
                expected,
                "{state:?}"
            );
            for party in [
                Party::NamedResponder,
                Party::PoolResponder,
                Party::PoolAdmin,
            ] {
                assert_eq!(may_add(state, party), Err(Refusal::NotYours));
            }
        }
    }
}
