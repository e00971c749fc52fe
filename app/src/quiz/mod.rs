//! Quiz questions and their grading: single best answer, multiple response (with partial and
//! negative weights), true/false, short answer (normalised, with the author's accepted variants)
//! and image hotspot (a click inside one of the correct regions, drawn like annotations).
//!
//! Pure code, shared by the server (grading, import) and the browser (showing questions).

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod feedback;
pub mod gift;
#[cfg(feature = "ssr")]
pub mod http;
pub mod pages;

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

/// Normalises a short answer for comparison: lower case, punctuation and hyphens as spaces,
/// runs of spaces as one. "Courvoisier's  Sign" and "courvoisiers sign" compare equal.
pub fn normalise_answer(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if c == '\'' || c == '’' {
            // Apostrophes vanish: "Addison's" = "Addisons".
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_owned()
}

/// Whether a point lies in a region (rectangles and ellipses are regions; lines and labels
/// are not).
pub fn region_contains(region: &Shape, x: f64, y: f64) -> bool {
    match *region {
        Shape::Rect { x: rx, y: ry, w, h } => x >= rx && x <= rx + w && y >= ry && y <= ry + h,
        Shape::Ellipse { cx, cy, rx, ry } => {
            rx > 0.0 && ry > 0.0 && ((x - cx) / rx).powi(2) + ((y - cy) / ry).powi(2) <= 1.0
        }
        Shape::Arrow { .. } | Shape::Label { .. } => false,
    }
}

impl Question {
    /// The fraction of the question's credit a response earns, 0.0..=1.0. A response of the
    /// wrong shape (a text for a choice question, an index out of range) earns nothing.
    pub fn grade(&self, response: &Response) -> f64 {
        let weight = |i: usize| self.answers.get(i).map(|a| a.weight);
        let fraction = match (self.kind, response) {
            (QuestionKind::Single | QuestionKind::TrueFalse, Response::Choice { index }) => {
                weight(*index).unwrap_or(0.0) / 100.0
            }
            (QuestionKind::Multiple, Response::Choices { indexes }) => {
                // A wrong tick costs its own negative weight, or else an equal share of the
                // right options' credit: ticking everything must not pay when some options
                // are wrong, even if the author gave those no weight.
                let right: Vec<f64> = self
                    .answers
                    .iter()
                    .map(|a| a.weight)
                    .filter(|w| *w > 0.0)
                    .collect();
                let share = right.iter().sum::<f64>() / right.len().max(1) as f64;
                let mut seen = Vec::new();
                let mut total = 0.0;
                for &i in indexes {
                    if seen.contains(&i) {
                        continue;
                    }
                    seen.push(i);
                    match weight(i) {
                        Some(w) if w != 0.0 => total += w,
                        Some(_) => total -= share,
                        None => return 0.0,
                    }
                }
                total / 100.0
            }
            (QuestionKind::ShortAnswer, Response::Text { text }) => {
                let given = normalise_answer(text);
                if given.is_empty() {
                    0.0
                } else {
                    self.answers
                        .iter()
                        .filter(|a| normalise_answer(&a.text) == given)
                        .map(|a| a.weight)
                        .fold(0.0, f64::max)
                        / 100.0
                }
            }
            (QuestionKind::Hotspot, Response::Point { x, y })
                if x.is_finite()
                    && y.is_finite()
                    && self.regions.iter().any(|r| region_contains(r, *x, *y)) =>
            {
                1.0
            }
            _ => 0.0,
        };
        fraction.clamp(0.0, 1.0)
    }

    /// Whether a response earns full credit.
    pub fn is_correct(&self, response: &Response) -> bool {
        self.grade(response) >= 1.0 - 1e-9
    }

    /// The feedback of the options a response chose.
    pub fn feedback_for(&self, response: &Response) -> Vec<String> {
        let pick = |i: &usize| {
            self.answers
                .get(*i)
                .map(|a| a.feedback.clone())
                .filter(|f| !f.is_empty())
        };
        match response {
            Response::Choice { index } => pick(index).into_iter().collect(),
            Response::Choices { indexes } => indexes.iter().filter_map(pick).collect(),
            Response::Text { text } => {
                let given = normalise_answer(text);
                self.answers
                    .iter()
                    .filter(|a| normalise_answer(&a.text) == given && !a.feedback.is_empty())
                    .map(|a| a.feedback.clone())
                    .collect()
            }
            Response::Point { .. } => Vec::new(),
        }
    }

    /// Checks a question an author wrote or imported; problems name the question.
    pub fn validate(&self) -> Result<(), String> {
        if self.text.trim().is_empty() {
            return Err("The question has no text.".into());
        }
        if self
            .answers
            .iter()
            .any(|a| !a.weight.is_finite() || a.weight < -100.0 || a.weight > 100.0)
        {
            return Err("Answer weights lie between -100 % and 100 %.".into());
        }
        let full = |a: &&Answer| a.weight >= 100.0 - 1e-9;
        match self.kind {
            QuestionKind::Single => {
                if self.answers.len() < 2 {
                    return Err("A single-best-answer question needs at least two options.".into());
                }
                if self.answers.iter().filter(full).count() != 1 {
                    return Err(
                        "A single-best-answer question has exactly one correct option.".into(),
                    );
                }
            }
            QuestionKind::Multiple => {
                if self.answers.len() < 2 {
                    return Err("A multiple-response question needs at least two options.".into());
                }
                let best: f64 = self.answers.iter().map(|a| a.weight.max(0.0)).sum();
                if (best - 100.0).abs() > 0.5 {
                    return Err(format!(
                        "The positive weights of a multiple-response question add up to 100 % (here {best:.0} %)."
                    ));
                }
            }
            QuestionKind::TrueFalse => {
                if self.answers.len() != 2 || self.answers.iter().filter(full).count() != 1 {
                    return Err("A true/false question has the two answers, one correct.".into());
                }
            }
            QuestionKind::ShortAnswer => {
                if !self
                    .answers
                    .iter()
                    .any(|a| full(&a) && !normalise_answer(&a.text).is_empty())
                {
                    return Err(
                        "A short-answer question needs at least one fully correct answer.".into(),
                    );
                }
            }
            QuestionKind::Hotspot => {
                if self.image_id.is_none() {
                    return Err("A hotspot question needs one of the case's images.".into());
                }
                if self.regions.is_empty()
                    || self
                        .regions
                        .iter()
                        .any(|r| !matches!(r, Shape::Rect { .. } | Shape::Ellipse { .. }))
                {
                    return Err(
                        "Draw the region a learner must click, as a rectangle or an ellipse."
                            .into(),
                    );
                }
            }
        }
        Ok(())
    }
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

/// When learners see explanations: after each question, or only once they submit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "feedback_mode", rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackMode {
    #[default]
    Each,
    End,
}

impl FeedbackMode {
    pub const ALL: [FeedbackMode; 2] = [FeedbackMode::Each, FeedbackMode::End];

    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackMode::Each => "each",
            FeedbackMode::End => "end",
        }
    }

    pub fn parse(value: &str) -> Option<FeedbackMode> {
        FeedbackMode::ALL.into_iter().find(|m| m.as_str() == value)
    }

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
    /// The questions learners have answered: deleting them would destroy records, so the
    /// author retires them instead.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(text: &str, weight: f64) -> Answer {
        Answer {
            text: text.into(),
            weight,
            feedback: format!("about {text}"),
        }
    }

    fn question(kind: QuestionKind, answers: Vec<Answer>) -> Question {
        Question {
            kind,
            name: String::new(),
            text: "Q".into(),
            explanation: String::new(),
            objective: String::new(),
            answers,
            image_id: None,
            regions: Vec::new(),
        }
    }

    #[test]
    fn single_best_answer() {
        let q = question(
            QuestionKind::Single,
            vec![
                answer("Appendicitis", 0.0),
                answer("Ectopic", 100.0),
                answer("UTI", 0.0),
            ],
        );
        assert_eq!(q.validate(), Ok(()));
        assert_eq!(q.grade(&Response::Choice { index: 1 }), 1.0);
        assert_eq!(q.grade(&Response::Choice { index: 0 }), 0.0);
        assert_eq!(q.grade(&Response::Choice { index: 9 }), 0.0, "out of range");
        assert_eq!(
            q.grade(&Response::Text {
                text: "Ectopic".into()
            }),
            0.0,
            "wrong shape"
        );
        assert_eq!(
            q.feedback_for(&Response::Choice { index: 1 }),
            vec!["about Ectopic"]
        );
    }

    #[test]
    fn multiple_response_gives_partial_and_negative_credit() {
        let q = question(
            QuestionKind::Multiple,
            vec![
                answer("Carbamazepine", 50.0),
                answer("Allopurinol", 50.0),
                answer("Paracetamol", -50.0),
                answer("Vitamin D", -50.0),
            ],
        );
        assert_eq!(q.validate(), Ok(()));
        assert_eq!(
            q.grade(&Response::Choices {
                indexes: vec![0, 1]
            }),
            1.0
        );
        assert_eq!(q.grade(&Response::Choices { indexes: vec![1] }), 0.5);
        assert_eq!(
            q.grade(&Response::Choices {
                indexes: vec![0, 1, 2]
            }),
            0.5
        );
        // Never below zero, however many wrong options are ticked; duplicates count once.
        assert_eq!(
            q.grade(&Response::Choices {
                indexes: vec![2, 3]
            }),
            0.0
        );
        assert_eq!(
            q.grade(&Response::Choices {
                indexes: vec![0, 0, 0]
            }),
            0.5
        );
        // Ticking everything does not pay.
        assert_eq!(
            q.grade(&Response::Choices {
                indexes: vec![0, 1, 2, 3]
            }),
            0.0
        );
        assert_eq!(q.grade(&Response::Choices { indexes: vec![] }), 0.0);
        assert_eq!(
            q.grade(&Response::Choices {
                indexes: vec![0, 7]
            }),
            0.0
        );
        assert!(q.is_correct(&Response::Choices {
            indexes: vec![1, 0]
        }));
    }

    #[test]
    fn wrong_ticks_cancel_right_ones_even_without_negative_weights() {
        // Two right options, two wrong ones the author left at 0 %.
        let q = question(
            QuestionKind::Multiple,
            vec![
                answer("Carbamazepine", 50.0),
                answer("Allopurinol", 50.0),
                answer("Paracetamol", 0.0),
                answer("Vitamin D", 0.0),
            ],
        );
        assert_eq!(q.validate(), Ok(()));
        let grade = |indexes: Vec<usize>| q.grade(&Response::Choices { indexes });
        assert_eq!(grade(vec![0, 1]), 1.0);
        // Each wrong tick costs an equal share of the right options' credit (50 %).
        assert_eq!(grade(vec![0, 1, 2]), 0.5);
        assert_eq!(grade(vec![0, 1, 2, 3]), 0.0, "ticking everything");
        assert_eq!(grade(vec![0, 2]), 0.0);
        assert_eq!(grade(vec![2, 3]), 0.0, "never below zero");
        // A negative weight is the author's own price for that wrong tick.
        let priced = question(
            QuestionKind::Multiple,
            vec![
                answer("a", 50.0),
                answer("b", 50.0),
                answer("c", -20.0),
                answer("d", 0.0),
            ],
        );
        let grade = |indexes: Vec<usize>| priced.grade(&Response::Choices { indexes });
        assert!((grade(vec![0, 1, 2]) - 0.8).abs() < 1e-9);
        assert!((grade(vec![0, 1, 2, 3]) - 0.3).abs() < 1e-9);
        // Three right options: a wrong tick costs a third.
        let thirds = question(
            QuestionKind::Multiple,
            vec![
                answer("a", 100.0 / 3.0),
                answer("b", 100.0 / 3.0),
                answer("c", 100.0 / 3.0),
                answer("d", 0.0),
            ],
        );
        let all = thirds.grade(&Response::Choices {
            indexes: vec![0, 1, 2, 3],
        });
        assert!((all - 2.0 / 3.0).abs() < 1e-9, "{all}");
    }

    proptest::proptest! {
        /// Whatever the weights, ticking every option of a question with at least one wrong
        /// option never earns full credit; and no response scores outside 0..=1.
        #[test]
        fn ticking_everything_never_scores_full_marks_when_an_option_is_wrong(
            right in proptest::collection::vec(1u8..=100, 1..5),
            wrong in proptest::collection::vec(-100i8..=0, 1..5),
            picks in proptest::collection::vec(0usize..10, 0..10),
        ) {
            let total: f64 = right.iter().map(|w| f64::from(*w)).sum();
            let mut answers: Vec<Answer> = right
                .iter()
                .map(|w| answer("right", f64::from(*w) * 100.0 / total))
                .collect();
            answers.extend(wrong.iter().map(|w| answer("wrong", f64::from(*w))));
            let q = question(QuestionKind::Multiple, answers);
            proptest::prop_assert_eq!(q.validate(), Ok(()));
            let everything = Response::Choices { indexes: (0..q.answers.len()).collect() };
            proptest::prop_assert!(q.grade(&everything) < 1.0 - 1e-9);
            proptest::prop_assert!(!q.is_correct(&everything));
            let some = q.grade(&Response::Choices { indexes: picks });
            proptest::prop_assert!((0.0..=1.0).contains(&some));
        }
    }

    #[test]
    fn true_false() {
        let q = question(
            QuestionKind::TrueFalse,
            true_false_answers(false, "No.", "Right."),
        );
        assert_eq!(q.validate(), Ok(()));
        assert_eq!(q.grade(&Response::Choice { index: 1 }), 1.0);
        assert_eq!(q.grade(&Response::Choice { index: 0 }), 0.0);
    }

    #[test]
    fn short_answers_are_normalised_and_variants_accepted() {
        let q = question(
            QuestionKind::ShortAnswer,
            vec![
                answer("Courvoisier's sign", 100.0),
                answer("Courvoisier sign", 100.0),
                answer("Murphy's sign", 0.0),
                answer("gallbladder sign", 50.0),
            ],
        );
        assert_eq!(q.validate(), Ok(()));
        for given in [
            "courvoisiers sign",
            "  COURVOISIER'S   SIGN. ",
            "Courvoisier-sign",
            "courvoisier’s sign",
        ] {
            assert_eq!(
                q.grade(&Response::Text { text: given.into() }),
                1.0,
                "{given}"
            );
        }
        assert_eq!(
            q.grade(&Response::Text {
                text: "Gallbladder sign".into()
            }),
            0.5
        );
        assert_eq!(
            q.grade(&Response::Text {
                text: "Murphy's sign".into()
            }),
            0.0
        );
        assert_eq!(q.grade(&Response::Text { text: "   ".into() }), 0.0);
        assert_eq!(normalise_answer("Anti-HBs  (IgG)"), "anti hbs igg");
    }

    #[test]
    fn hotspot_clicks_inside_a_region_score() {
        let mut q = question(QuestionKind::Hotspot, Vec::new());
        q.image_id = Some(4);
        q.regions = vec![
            Shape::Ellipse {
                cx: 0.3,
                cy: 0.3,
                rx: 0.1,
                ry: 0.05,
            },
            Shape::Rect {
                x: 0.6,
                y: 0.6,
                w: 0.2,
                h: 0.2,
            },
        ];
        assert_eq!(q.validate(), Ok(()));
        assert_eq!(q.grade(&Response::Point { x: 0.3, y: 0.3 }), 1.0);
        assert_eq!(q.grade(&Response::Point { x: 0.39, y: 0.3 }), 1.0);
        assert_eq!(
            q.grade(&Response::Point { x: 0.3, y: 0.36 }),
            0.0,
            "outside the ellipse"
        );
        assert_eq!(q.grade(&Response::Point { x: 0.7, y: 0.79 }), 1.0);
        assert_eq!(q.grade(&Response::Point { x: 0.5, y: 0.5 }), 0.0);
        assert_eq!(
            q.grade(&Response::Point {
                x: f64::NAN,
                y: 0.5
            }),
            0.0
        );
        q.regions.push(Shape::Label { x: 0.5, y: 0.5 });
        assert!(q.validate().is_err(), "labels are not regions");
    }

    #[test]
    fn badly_formed_questions_are_refused() {
        let two_correct = question(
            QuestionKind::Single,
            vec![answer("a", 100.0), answer("b", 100.0)],
        );
        assert!(two_correct.validate().unwrap_err().contains("exactly one"));
        let short = question(
            QuestionKind::Multiple,
            vec![answer("a", 50.0), answer("b", 20.0), answer("c", -100.0)],
        );
        assert!(short.validate().unwrap_err().contains("add up to 100"));
        let overweight = question(
            QuestionKind::Single,
            vec![answer("a", 100.0), answer("b", 150.0)],
        );
        assert!(overweight.validate().is_err());
        let mut hotspot = question(QuestionKind::Hotspot, Vec::new());
        hotspot.regions = vec![Shape::Rect {
            x: 0.1,
            y: 0.1,
            w: 0.1,
            h: 0.1,
        }];
        assert!(hotspot.validate().unwrap_err().contains("image"));
    }
}
