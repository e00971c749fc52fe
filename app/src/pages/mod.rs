//! One module per page (or small family of pages).

mod account;
mod admin;
mod auth;
mod case_editor;
mod cases;
mod cme;
mod home;
mod images;
mod members;
mod mentor;
mod not_found;
mod notifications;
mod quiz;
mod search;
mod settings;
mod specialty;

pub use account::{
    AccountPage, ForgotPasswordPage, InvitationPage, ResetPasswordPage, VerifyEmailPage,
};
pub use admin::AdminPage;
pub use auth::{LoginPage, RegisterPage};
pub use case_editor::{EditCasePage, NewCasePage, NewLessonPage};
pub use cases::{CaseListPage, CasePage};
pub use cme::{CmePage, DepartmentPage, VerifyPage};
pub use home::HomePage;
pub use images::{CaseImagesPage, HotspotEditorPage, ImageEditorPage};
pub use members::{AuditLogPage, MembersAdminPage};
pub use mentor::MentorPage;
pub use not_found::NotFoundPage;
pub use notifications::NotificationsPage;
pub use quiz::{AttemptPage, AttemptResultPage, QuizEditorPage, QuizPage};
pub use search::SearchPage;
pub use settings::SettingsPage;
pub use specialty::SpecialtyPage;

use leptos::prelude::*;

/// Shown while a page's data loads (rarely seen: pages render fully on the server).
pub(crate) fn loading() -> impl IntoView {
    view! { <p class="loading" aria-busy="true">"Loading…"</p> }
}
