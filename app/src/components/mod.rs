//! Pieces shared by several pages.

mod auth;
mod cards;
mod discussion;
mod errors;
mod fields;
pub mod figure;
mod privacy;

pub use auth::{AccountNotice, AuthContext, Header};
pub use cards::{format_date, format_datetime, CaseCard, KindBadge, MentorCard};
pub use discussion::DiscussionSection;
pub use errors::{ErrorView, FormError};
pub use fields::{action_error, field_errors, SelectField, TextArea, TextField};
pub use privacy::{privacy_block, PrivacyPanel};
