//! Writing one question in a form, without any file format: a new question of a chosen kind,
//! or an edit of one. Editing a question learners have answered makes a new version (their
//! attempts keep the one they were graded on; see `db::save_question`).

// A server function takes one argument per form field, and the form has many.
#![allow(clippy::too_many_arguments)]

use super::*;
use crate::quiz::{QuestionKind, StoredQuestion};
use serde::{Deserialize, Serialize};

/// The kinds the question form writes (a hotspot is drawn on an image instead).
pub const FORM_KINDS: [QuestionKind; 4] = [
    QuestionKind::Single,
    QuestionKind::Multiple,
    QuestionKind::TrueFalse,
    QuestionKind::ShortAnswer,
];

/// At most this many options (or accepted answers) per question.
pub const MAX_ANSWERS: usize = 12;

/// Empty rows offered under a question's options, and added by "More empty rows".
pub const SPARE_ROWS: usize = 3;

/// The value kept with a form sent back by "More empty rows": how many rows to show.
pub const ROWS_KEPT: &str = "rows";

/// One option row of the form, as typed: text, weight in percent, feedback.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AnswerRow {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub weight: String,
    #[serde(default)]
    pub feedback: String,
}

/// What the question form shows: the case, and the question being edited (None: a new one)
/// with whether learners have answered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionFormData {
    pub case_id: i64,
    pub title: String,
    pub question: Option<StoredQuestion>,
    pub answered: bool,
}

/// The question form's data, for the case's author.
#[server(endpoint = "quiz-question")]
#[tracing::instrument(skip_all, fields(case_id, question_id))]
pub async fn get_question_form(
    case_id: i64,
    question_id: Option<i64>,
) -> Result<QuestionFormData, AppError> {
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    let (title, _, _) = crate::cases::texts(&pool, case_id).await?;
    let Some(id) = question_id else {
        return Ok(QuestionFormData {
            case_id,
            title,
            question: None,
            answered: false,
        });
    };
    let (quiz_id, _) = crate::quiz::db::for_case(&pool, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let question = crate::quiz::db::questions(&pool, quiz_id)
        .await?
        .into_iter()
        .find(|q| q.id == id)
        .ok_or(AppError::NotFound)?;
    let answered = crate::quiz::db::answered_questions(&pool, quiz_id)
        .await?
        .contains(&id);
    Ok(QuestionFormData {
        case_id,
        title,
        question: Some(question),
        answered,
    })
}

/// Reads the form into a question; problems are reported beside their fields.
pub fn question_from_form(
    kind: &str,
    name: &str,
    text: &str,
    explanation: &str,
    objective: &str,
    rows: &[AnswerRow],
    truth: Option<&str>,
    feedback_true: &str,
    feedback_false: &str,
) -> Result<crate::quiz::Question, crate::error::FieldErrors> {
    use crate::quiz::{true_false_answers, Answer, Question};
    let mut errors = crate::error::FieldErrors::new();
    let kind = FORM_KINDS.into_iter().find(|k| k.as_str() == kind);
    if kind.is_none() {
        errors.add("kind", "Choose the kind of question.");
    }
    if text.trim().is_empty() {
        errors.add("text", "Write the question.");
    } else if text.chars().count() > 4000 {
        errors.add("text", "Keep the question to 4,000 characters.");
    }
    for (field, value, max) in [
        ("name", name, 200),
        ("explanation", explanation, 4000),
        ("objective", objective, 300),
    ] {
        if value.chars().count() > max {
            errors.add(field, format!("Keep this to {max} characters."));
        }
    }
    let mut answers = Vec::new();
    match kind {
        Some(QuestionKind::TrueFalse) => match truth {
            Some("true") | Some("false") => {
                answers = true_false_answers(
                    truth == Some("true"),
                    feedback_true.trim(),
                    feedback_false.trim(),
                );
            }
            _ => errors.add("truth", "Say whether the statement is true or false."),
        },
        Some(_) => {
            let used: Vec<(usize, &AnswerRow)> = rows
                .iter()
                .enumerate()
                .filter(|(_, r)| !r.text.trim().is_empty())
                .collect();
            if used.len() > MAX_ANSWERS {
                errors.add("answers", format!("Give at most {MAX_ANSWERS} answers."));
            }
            for (i, row) in rows.iter().enumerate() {
                if row.text.trim().is_empty() && !row.feedback.trim().is_empty() {
                    errors.add(
                        &format!("answers[{i}][text]"),
                        "Write the answer this feedback belongs to, or clear the feedback.",
                    );
                }
            }
            for (i, row) in used {
                let weight = match row.weight.trim() {
                    "" => 0.0,
                    w => match w.trim_end_matches('%').trim().parse::<f64>() {
                        Ok(w) if w.is_finite() && (-100.0..=100.0).contains(&w) => w,
                        _ => {
                            errors.add(
                                &format!("answers[{i}][weight]"),
                                "A weight is a number of per cent from -100 to 100.",
                            );
                            0.0
                        }
                    },
                };
                answers.push(Answer {
                    text: row.text.trim().to_owned(),
                    weight,
                    feedback: row.feedback.trim().to_owned(),
                });
            }
        }
        None => {}
    }
    let Some(kind) = kind else {
        return Err(errors);
    };
    let question = Question {
        kind,
        name: name.trim().to_owned(),
        text: text.trim().to_owned(),
        explanation: explanation.trim().to_owned(),
        objective: objective.trim().to_owned(),
        answers,
        image_id: None,
        regions: Vec::new(),
    };
    if errors.is_empty() {
        // The rules of each kind (one right option, weights adding up, …), beside the options.
        if let Err(problem) = question.validate() {
            let field = if kind == QuestionKind::TrueFalse {
                "truth"
            } else {
                "answers"
            };
            errors.add(field, problem);
        }
    }
    if errors.is_empty() {
        Ok(question)
    } else {
        Err(errors)
    }
}

/// Adds a question written in the form (no `question_id`) or saves an edit of one. Nothing is
/// stored while anything is wrong; with answers from learners, an edit is a new version.
/// `more_rows` (the "More empty rows" button of the form without JavaScript) stores nothing:
/// the form comes back as typed, with more empty rows, the way a refused form comes back.
#[server(endpoint = "quiz-save-question")]
#[tracing::instrument(skip_all, fields(case_id, question_id))]
pub async fn save_question(
    case_id: i64,
    question_id: Option<i64>,
    kind: String,
    #[server(default)] name: String,
    text: String,
    #[server(default)] explanation: String,
    #[server(default)] objective: String,
    #[server(default)] answers: Vec<AnswerRow>,
    truth: Option<String>,
    #[server(default)] feedback_true: String,
    #[server(default)] feedback_false: String,
    more_rows: Option<String>,
) -> Result<i64, AppError> {
    use crate::quiz::db::QuestionSaved;
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    // What was typed, to refill the form after a plain post.
    let mut kept: Vec<(String, String)> = vec![
        ("kind".into(), kind.clone()),
        ("name".into(), name.clone()),
        ("text".into(), text.clone()),
        ("explanation".into(), explanation.clone()),
        ("objective".into(), objective.clone()),
        ("truth".into(), truth.clone().unwrap_or_default()),
        ("feedback_true".into(), feedback_true.clone()),
        ("feedback_false".into(), feedback_false.clone()),
    ];
    for (i, row) in answers.iter().enumerate() {
        kept.push((format!("answers[{i}][text]"), row.text.clone()));
        kept.push((format!("answers[{i}][weight]"), row.weight.clone()));
        kept.push((format!("answers[{i}][feedback]"), row.feedback.clone()));
    }
    if more_rows.is_some() {
        let rows = (answers.len() + SPARE_ROWS)
            .min(MAX_ANSWERS)
            .max(answers.len());
        kept.insert(0, (ROWS_KEPT.into(), rows.to_string()));
    }
    let refused = |mut errors: crate::error::FieldErrors| {
        let values: Vec<(&str, &str)> =
            kept.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        errors.values.clear();
        AppError::Invalid(errors.with_values(&values))
    };
    if more_rows.is_some() {
        return Err(refused(crate::error::FieldErrors::new()));
    }
    let question = question_from_form(
        &kind,
        &name,
        &text,
        &explanation,
        &objective,
        &answers,
        truth.as_deref(),
        &feedback_true,
        &feedback_false,
    )
    .map_err(&refused)?;
    if let Some(problem) = privacy_problem(&pool, case_id, std::slice::from_ref(&question)).await? {
        let mut errors = crate::error::FieldErrors::new();
        errors.add("text", format!("{problem} Remove it and save again."));
        return Err(refused(errors));
    }
    let quiz_id = match crate::quiz::db::for_case(&pool, case_id).await? {
        Some((id, _)) => id,
        None if question_id.is_none() => {
            crate::quiz::db::save_settings(&pool, case_id, &Default::default()).await?
        }
        None => return Err(AppError::NotFound),
    };
    let id = match crate::quiz::db::save_question(&pool, quiz_id, user.id, question_id, &question)
        .await?
    {
        QuestionSaved::Added(id) => {
            tracing::info!(case_id, question_id = id, "question written");
            id
        }
        QuestionSaved::Changed(id) => {
            tracing::info!(case_id, question_id = id, "question changed");
            id
        }
        QuestionSaved::NewVersion(id) => {
            tracing::info!(
                case_id,
                question_id = id,
                replaces = question_id,
                "answered question edited: new version"
            );
            id
        }
        QuestionSaved::NotFound => return Err(AppError::NotFound),
        QuestionSaved::NotYours => {
            return Err(AppError::NotAllowed {
                message:
                    "This question is in a co-author's question bank, so only they can change \
                      it. Duplicate it to make your own version."
                        .into(),
            })
        }
        QuestionSaved::Retired => return Err(AppError::conflict(
            "This question is retired: it stays as learners answered it. Write a new one instead.",
        )),
    };
    leptos_axum::redirect(&format!("/cases/{case_id}/quiz/edit#question-{id}"));
    Ok(id)
}

/// The question form's live preview: its text and explanation rendered as learners see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionPreview {
    pub text_html: String,
    pub explanation_html: String,
}

/// Renders what an author is typing in the question form, with the renderer learners get.
#[server(endpoint = "preview-question")]
#[tracing::instrument(skip_all)]
pub async fn preview_question_text(
    #[server(default)] text: String,
    #[server(default)] explanation: String,
) -> Result<QuestionPreview, AppError> {
    use crate::ssr::{markdown, pool};
    let pool = pool()?;
    AuthUser::author(&pool).await?;
    for (field, value) in [("text", &text), ("explanation", &explanation)] {
        if value.chars().count() > 4000 {
            return Err(AppError::field(field, "Keep this to 4,000 characters."));
        }
    }
    Ok(QuestionPreview {
        text_html: markdown::render(&text),
        explanation_html: markdown::render(&explanation),
    })
}

/// One question of the author's preview: as a learner sees it, with the answers shown apart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewQuestion {
    pub id: i64,
    pub kind: QuestionKind,
    pub text_html: String,
    /// (option or accepted answer, weight in per cent, feedback).
    pub answers: Vec<(String, f64, String)>,
    pub explanation_html: String,
    /// The image of a hotspot question (its description).
    pub image: Option<String>,
}

/// The whole module as a learner would get it now, for its author: no attempt is made and no
/// statistic changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModulePreview {
    pub case_id: i64,
    pub title: String,
    pub questions: Vec<PreviewQuestion>,
}

#[server(endpoint = "quiz-preview")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn get_module_preview(case_id: i64) -> Result<ModulePreview, AppError> {
    use crate::ssr::{guard, markdown, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    let (title, _, _) = crate::cases::texts(&pool, case_id).await?;
    let stored = match crate::quiz::db::for_case(&pool, case_id).await? {
        Some((quiz_id, _)) => crate::quiz::db::offered_questions(&pool, quiz_id).await?,
        None => Vec::new(),
    };
    let images = crate::media::for_case(&pool, case_id).await?;
    let questions = stored
        .into_iter()
        .map(|sq| {
            let q = sq.question;
            PreviewQuestion {
                id: sq.id,
                kind: q.kind,
                text_html: markdown::render(&q.text),
                answers: q
                    .answers
                    .iter()
                    .map(|a| (a.text.clone(), a.weight, a.feedback.clone()))
                    .collect(),
                explanation_html: markdown::render(&q.explanation),
                image: q.image_id.and_then(|id| {
                    images
                        .iter()
                        .find(|i| i.id == id)
                        .map(|i| i.alt_text.clone())
                }),
            }
        })
        .collect();
    Ok(ModulePreview {
        case_id,
        title,
        questions,
    })
}
