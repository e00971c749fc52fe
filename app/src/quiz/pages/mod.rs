//! Case modules: the author's editor, the learner's overview, one page per question, the
//! result. Taking a quiz uses plain forms (one question per page), so it works without
//! JavaScript.

mod attempt;
mod bank;
mod editor;
mod overview;
mod preview;
mod question;
mod result;
mod review;

pub use attempt::AttemptPage;
pub use bank::QuestionBankPage;
pub use editor::QuizEditorPage;
pub use overview::QuizPage;
pub use preview::ModulePreviewPage;
pub use question::QuestionFormPage;
pub use result::AttemptResultPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn percent(v: f64) -> String {
    format!("{:.0} %", v * 100.0)
}

fn param(name: &'static str) -> impl Fn() -> Option<i64> + Copy {
    let params = use_params_map();
    move || params.with(|p| p.get(name).and_then(|v| v.parse::<i64>().ok()))
}
