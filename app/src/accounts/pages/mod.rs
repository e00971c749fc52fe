//! Pages.

mod account;
mod auth;

pub use account::{
    AccountPage, ForgotPasswordPage, InvitationPage, ResetPasswordPage, VerifyEmailPage,
};
pub use auth::{LoginPage, RegisterPage};
