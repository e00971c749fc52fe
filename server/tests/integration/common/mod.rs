//! What every integration test shares: the in-process server (`app`), one typed helper per
//! endpoint the tests call (`endpoints`), and the setup that several tests need (`fixtures`).
#![allow(dead_code)]

mod app;
pub mod endpoints;
pub mod fixtures;
pub mod statements;

pub use self::app::{token_in, Client, RefusedForm, Reply, TestApp};
pub use self::endpoints::{
    AnswerForm, CaseForm, CmeProfileForm, Consent, ConsultConsent, ConsultForm, Evaluation,
    Hotspot, QuizSettings, Registration, SearchForm, To,
};
