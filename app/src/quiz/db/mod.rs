//! Case modules: settings, questions, attempts and answers. Answers are written inside a
//! transaction that locks the attempt row, so two tabs (or a retry) cannot corrupt an attempt.

use crate::cme::CreditType;
use crate::error::AppError;
use crate::quiz::{AttemptSummary, FeedbackMode, Question, QuizSettings, Response, StoredQuestion};
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::PgPool;

mod attempts;
pub(crate) mod bank;
mod pages;
mod questions;
mod records;

pub use attempts::*;
pub use pages::*;
pub use questions::*;
pub use records::*;
