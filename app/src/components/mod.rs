//! Pieces shared by several pages.

mod auth;
mod cards;
mod errors;
mod fields;

pub use auth::{AuthContext, Header};
pub use cards::{format_date, CaseCard, MentorCard};
pub use errors::{ErrorView, FormError};
pub use fields::{action_error, field_errors, SelectField, TextArea, TextField};
