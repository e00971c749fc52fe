//! Case modules: the author's settings, GIFT import and question form; the learner's overview, question pages
//! and results. Starting, answering and submitting are plain form posts handled in
//! `server/src/quiz.rs` (they work the same with and without JavaScript).

use crate::error::AppError;
use crate::quiz::{AttemptQuestion, AttemptResult, QuizEditorData, QuizOverview};
#[cfg(feature = "ssr")]
use crate::ssr::auth::AuthUser;
use leptos::prelude::*;

mod authoring;
mod bank;
mod taking;
mod writing;

pub use authoring::*;
pub use bank::*;
pub use taking::*;
pub use writing::*;
