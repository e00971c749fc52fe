//! Quiz questions and module settings: single best answer, multiple response (with partial and
//! negative weights), true/false, short answer (normalised, with the author's accepted variants)
//! and image hotspot (a click inside one of the correct regions, drawn like annotations); and
//! what the author's and the learner's pages show. Grading and validation are in `grading`.
//!
//! Pure code, shared by the server (grading, import) and the browser (showing questions).

pub mod api;
pub mod bank;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(test)]
mod exchange_tests;
#[cfg(feature = "ssr")]
pub mod feedback;
pub mod gift;
pub mod grading;
#[cfg(feature = "ssr")]
pub mod http;
#[cfg(feature = "ssr")]
pub mod moodle_xml;
pub mod pages;

/// What other features may ask of this one on the server (its `db` stays its own).
#[cfg(feature = "ssr")]
pub use db::{
    assignable_modules, assignable_quiz, attempt, for_case, learner_standing, AttemptRow,
    LearnerStanding,
};

pub use grading::{normalise_answer, region_contains, short_answer_matches};

use crate::cme::CreditType;
use crate::error::FieldErrors;
use crate::media::annotations::Shape;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Single,
    Multiple,
    TrueFalse,
    ShortAnswer,
    Hotspot,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 5] = [
        QuestionKind::Single,
        QuestionKind::Multiple,
        QuestionKind::TrueFalse,
        QuestionKind::ShortAnswer,
        QuestionKind::Hotspot,
    ];

    /// The kind named `s` as [`QuestionKind::as_str`] writes it.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "true_false",
            QuestionKind::ShortAnswer => "short_answer",
            QuestionKind::Hotspot => "hotspot",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::Single => "Single best answer",
            QuestionKind::Multiple => "Multiple response",
            QuestionKind::TrueFalse => "True or false",
            QuestionKind::ShortAnswer => "Short answer",
            QuestionKind::Hotspot => "Image hotspot",
        }
    }
}

/// One answer option (or accepted answer) with its weight in percent of the question's credit
/// (-100..=100) and the feedback shown when it is chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub text: String,
    pub weight: f64,
    #[serde(default)]
    pub feedback: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub kind: QuestionKind,
    #[serde(default)]
    pub name: String,
    pub text: String,
    /// Shown after answering (or at the end, as the module says).
    #[serde(default)]
    pub explanation: String,
    /// The learning objective the question serves, for item analysis.
    #[serde(default)]
    pub objective: String,
    /// Options (single, multiple), the two truth values (true/false: "true" and "false"), or
    /// accepted answers (short answer).
    #[serde(default)]
    pub answers: Vec<Answer>,
    /// Hotspot: the image clicked on, and the correct regions (rectangles or ellipses).
    #[serde(default)]
    pub image_id: Option<i64>,
    #[serde(default)]
    pub regions: Vec<Shape>,
}

/// What a learner answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    /// The index of one option (single best answer, true/false: 0 = true, 1 = false).
    Choice {
        index: usize,
    },
    /// Indexes of the options ticked (multiple response).
    Choices {
        indexes: Vec<usize>,
    },
    Text {
        text: String,
    },
    /// Where the image was clicked, as fractions of its size.
    Point {
        x: f64,
        y: f64,
    },
}

/// A true/false question's answers, in the order responses index them (0 = true).
pub fn true_false_answers(truth: bool, feedback_true: &str, feedback_false: &str) -> Vec<Answer> {
    vec![
        Answer {
            text: "True".into(),
            weight: if truth { 100.0 } else { 0.0 },
            feedback: feedback_true.into(),
        },
        Answer {
            text: "False".into(),
            weight: if truth { 0.0 } else { 100.0 },
            feedback: feedback_false.into(),
        },
    ]
}

crate::closed_set! {
    /// When learners see explanations: after each question, or only once they submit.
    #[derive(Default)]
    pub enum FeedbackMode in "feedback_mode" {
        #[default]
        Each = "each",
        End = "end",
    }
}

impl FeedbackMode {
    /// What the settings form chose, or None with the error it shows.
    pub fn from_form(value: &str, errors: &mut FieldErrors) -> Option<FeedbackMode> {
        let parsed = FeedbackMode::parse(value);
        if parsed.is_none() {
            errors.add("feedback_mode", "Choose when learners see explanations.");
        }
        parsed
    }
}

/// A module's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizSettings {
    /// Percent needed to pass.
    pub pass_mark: i32,
    pub feedback_mode: FeedbackMode,
    /// None: unlimited.
    pub attempts_allowed: Option<i32>,
    pub credit_amount: f64,
    pub credit_type: CreditType,
    pub time_limit_minutes: Option<i32>,
}

impl QuizSettings {
    /// Whether explanations follow each answer (rather than waiting for the submission).
    pub fn feedback_each(&self) -> bool {
        self.feedback_mode == FeedbackMode::Each
    }
}

impl Default for QuizSettings {
    fn default() -> Self {
        Self {
            pass_mark: 70,
            feedback_mode: FeedbackMode::Each,
            attempts_allowed: None,
            credit_amount: 0.0,
            credit_type: CreditType::Points,
            time_limit_minutes: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredQuestion {
    pub id: i64,
    pub question: Question,
    /// When the author retired it: attempts started later no longer see it.
    #[serde(default)]
    pub retired_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// How a question fared across submitted attempts, for its author.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemStats {
    pub question_id: i64,
    pub answered: i64,
    /// Share of answers with full credit, 0..1.
    pub correct: f64,
    /// Share correct among the top-scoring learners minus among the bottom ones (-1..1).
    pub discrimination: Option<f64>,
    /// The wrong option chosen most often, with how often.
    pub top_wrong: Option<(String, i64)>,
}

/// The author's view of a case's module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizEditorData {
    pub case_id: i64,
    pub title: String,
    /// The case's images (id, description), for hotspot questions.
    pub images: Vec<(i64, String)>,
    pub exists: bool,
    pub settings: QuizSettings,
    /// Every question, retired ones included (they keep their item analysis).
    pub questions: Vec<StoredQuestion>,
    /// The questions in learners' attempts (answered or not): deleting them would change
    /// records, so the author retires them instead.
    pub answered: Vec<i64>,
    pub stats: Vec<ItemStats>,
    /// The questions as GIFT, for editing elsewhere and importing back.
    pub gift: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptSummary {
    pub id: i64,
    pub started_at: chrono::DateTime<chrono::Utc>,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub score: Option<f64>,
    pub passed: Option<bool>,
}

/// A learner's view of a case's module before starting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizOverview {
    pub case_id: i64,
    pub title: String,
    pub case_url: String,
    pub settings: QuizSettings,
    pub question_count: i64,
    pub attempts: Vec<AttemptSummary>,
    pub open_attempt: Option<i64>,
    /// Why no new attempt can start (None: one can).
    pub blocked: Option<String>,
    pub is_author: bool,
}

/// What the learner sees about an answer once feedback is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerReview {
    pub response: Response,
    pub fraction: f64,
    pub feedback: Vec<String>,
    pub explanation_html: String,
    /// The options (or accepted answers) with full or partial credit.
    pub correct: Vec<String>,
    /// How learners answered: (option or answer, count).
    pub distribution: Vec<(String, i64)>,
}

/// One question of an attempt, as its page shows it (never the weights).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptQuestion {
    pub attempt_id: i64,
    pub case_id: i64,
    pub title: String,
    pub number: usize,
    pub total: usize,
    pub answered_count: usize,
    pub question_id: i64,
    pub kind: QuestionKind,
    pub text_html: String,
    pub options: Vec<String>,
    /// Hotspot: the image to click, with the width it is shown at (clicks are measured in it).
    pub hotspot: Option<(crate::media::CaseImage, u32)>,
    /// Given when the learner has answered this question.
    pub given: Option<Response>,
    /// Given when feedback is due (after answering, in "after each question" mode).
    pub review: Option<AnswerReview>,
    pub deadline: Option<chrono::DateTime<chrono::Utc>>,
    pub submitted: bool,
    pub feedback_each: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptResult {
    pub attempt_id: i64,
    pub case_id: i64,
    pub title: String,
    pub score: f64,
    pub passed: bool,
    pub pass_mark: i32,
    pub questions: Vec<(String, Option<AnswerReview>)>,
    pub can_retake: bool,
    /// Passed but the activity evaluation is not done yet (credit waits for it).
    pub needs_evaluation: bool,
    pub credit_amount: f64,
    pub credit_type: CreditType,
    /// The certificate of this module's credit, once issued.
    pub certificate_id: Option<String>,
}

/// The width a hotspot image is shown at: its own, up to 640 px (wider ones scroll).
pub fn hotspot_width(image_width: i32) -> u32 {
    image_width.clamp(1, 640) as u32
}
