//! Case modules: the author's settings and GIFT import; the learner's overview, question pages
//! and results. Starting, answering and submitting are plain form posts handled in
//! `server/src/quiz.rs` (they work the same with and without JavaScript).

use crate::error::AppError;
use crate::quiz::{AttemptQuestion, AttemptResult, QuizEditorData, QuizOverview};
#[cfg(feature = "ssr")]
use crate::ssr::auth::AuthUser;
use leptos::prelude::*;

/// The author's view of a case's module (settings, questions, item analysis, GIFT export).
#[server(endpoint = "quiz-editor")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn get_quiz_editor(case_id: i64) -> Result<QuizEditorData, AppError> {
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    let (title, _, _) = crate::cases::db::texts(&pool, case_id).await?;
    let images: Vec<(i64, String)> = crate::media::db::for_case(&pool, case_id)
        .await?
        .into_iter()
        .map(|i| (i.id, i.alt_text))
        .collect();
    let Some((quiz_id, settings)) = crate::quiz::db::for_case(&pool, case_id).await? else {
        return Ok(QuizEditorData {
            case_id,
            title,
            images,
            exists: false,
            settings: Default::default(),
            questions: Vec::new(),
            answered: Vec::new(),
            stats: Vec::new(),
            gift: String::new(),
        });
    };
    let questions = crate::quiz::db::questions(&pool, quiz_id).await?;
    let answers = crate::quiz::db::submitted_answers(&pool, quiz_id).await?;
    // The export is the module as learners now get it: retired questions stay behind.
    let plain: Vec<_> = questions
        .iter()
        .filter(|q| q.retired_at.is_none())
        .map(|q| q.question.clone())
        .collect();
    Ok(QuizEditorData {
        case_id,
        title,
        images,
        exists: true,
        settings,
        stats: crate::quiz::feedback::item_stats(&questions, &answers),
        gift: crate::quiz::gift::export(&plain),
        answered: crate::quiz::db::answered_questions(&pool, quiz_id).await?,
        questions,
    })
}

/// Creates the module or changes its settings. Every field is checked and reported beside it.
#[server(endpoint = "quiz-settings")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn save_quiz_settings(
    case_id: i64,
    pass_mark: String,
    feedback_mode: String,
    attempts_allowed: String,
    credit_amount: String,
    credit_type: String,
    time_limit_minutes: String,
) -> Result<(), AppError> {
    use crate::error::FieldErrors;
    use crate::quiz::QuizSettings;
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    let mut errors = FieldErrors::new();
    let optional_number = |raw: &str| -> Result<Option<i32>, ()> {
        let raw = raw.trim();
        if raw.is_empty() {
            Ok(None)
        } else {
            raw.parse::<i32>().map(Some).map_err(|_| ())
        }
    };
    // Councils expect credit for knowing at least half of a module, not for guessing.
    let pass_mark_value = match pass_mark.trim().parse::<i32>() {
        Ok(v) if (50..=100).contains(&v) => v,
        _ => {
            errors.add(
                "pass_mark",
                "The pass mark is a percentage from 50 to 100: credit needs at least half the marks.",
            );
            70
        }
    };
    let feedback_each = match feedback_mode.as_str() {
        "each" => true,
        "end" => false,
        _ => {
            errors.add("feedback_mode", "Choose when learners see explanations.");
            true
        }
    };
    let attempts = match optional_number(&attempts_allowed) {
        Ok(None) => None,
        Ok(Some(n)) if (1..=50).contains(&n) => Some(n),
        _ => {
            errors.add(
                "attempts_allowed",
                "Leave empty for unlimited attempts, or give a number from 1 to 50.",
            );
            None
        }
    };
    let credit = match credit_amount.trim().parse::<f64>() {
        Ok(v) if (0.0..=50.0).contains(&v) && (v * 100.0).fract() == 0.0 => v,
        _ => {
            errors.add(
                "credit_amount",
                "Credit is a number from 0 to 50, e.g. 1 or 0.5.",
            );
            0.0
        }
    };
    if !matches!(credit_type.as_str(), "points" | "hours") {
        errors.add("credit_type", "Choose points or hours.");
    }
    let limit = match optional_number(&time_limit_minutes) {
        Ok(None) => None,
        Ok(Some(n)) if (1..=600).contains(&n) => Some(n),
        _ => {
            errors.add(
                "time_limit_minutes",
                "Leave empty for no time limit, or give minutes from 1 to 600.",
            );
            None
        }
    };
    errors
        .with_values(&[
            ("pass_mark", &pass_mark),
            ("feedback_mode", &feedback_mode),
            ("attempts_allowed", &attempts_allowed),
            ("credit_amount", &credit_amount),
            ("credit_type", &credit_type),
            ("time_limit_minutes", &time_limit_minutes),
        ])
        .into_result()?;
    crate::quiz::db::save_settings(
        &pool,
        case_id,
        &QuizSettings {
            pass_mark: pass_mark_value,
            feedback_each,
            attempts_allowed: attempts,
            credit_amount: credit,
            credit_type,
            time_limit_minutes: limit,
        },
    )
    .await?;
    tracing::info!(case_id, "quiz settings saved");
    Ok(())
}

/// Adds the questions of a GIFT text to the case's module (creating it if needed). Nothing is
/// imported while the text has errors; unsupported kinds are skipped and listed.
#[server(endpoint = "quiz-import")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn import_gift(case_id: i64, gift: String) -> Result<Vec<String>, AppError> {
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    if gift.len() > 256 * 1024 {
        return Err(AppError::field(
            "gift",
            "Import at most 256 KB of GIFT at a time.",
        ));
    }
    let (items, errors) = crate::quiz::gift::parse(&gift);
    let keep = |message: String| {
        AppError::Invalid(crate::error::FieldErrors {
            errors: vec![("gift".into(), message)],
            values: vec![("gift".into(), gift.clone())],
        })
    };
    if !errors.is_empty() {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("Line {}: {}", e.line, e.error))
            .collect();
        return Err(keep(lines.join(" ")));
    }
    let mut questions = Vec::new();
    let mut skipped = Vec::new();
    for item in &items {
        match item.to_question() {
            Some(q) => {
                if let Err(problem) = q.validate() {
                    return Err(keep(format!("Line {}: {problem}", item.line)));
                }
                questions.push(q);
            }
            None => skipped.push(format!(
                "Line {}: {} ({})",
                item.line,
                item.skipped.clone().unwrap_or_default(),
                item.kind
            )),
        }
    }
    if questions.is_empty() {
        return Err(keep("No questions Corridor can use were found.".into()));
    }
    // The privacy guard reads questions too: they are published with the case.
    let texts: String = questions
        .iter()
        .flat_map(|q| {
            std::iter::once(q.text.clone())
                .chain(std::iter::once(q.explanation.clone()))
                .chain(
                    q.answers
                        .iter()
                        .flat_map(|a| [a.text.clone(), a.feedback.clone()]),
                )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let labels = crate::admin::db::labels_for_case(&pool, case_id).await?;
    if let Some(f) = crate::privacy::PrivacyFinding::scan_fields_with(&[("quiz", &texts)], &labels)
        .into_iter()
        .next()
    {
        return Err(keep(format!(
            "The questions may identify a patient: {} “{}”. Remove it and import again.",
            f.kind.label(),
            f.text
        )));
    }
    let quiz_id = match crate::quiz::db::for_case(&pool, case_id).await? {
        Some((id, _)) => id,
        None => crate::quiz::db::save_settings(&pool, case_id, &Default::default()).await?,
    };
    crate::quiz::db::append_questions(&pool, quiz_id, &questions).await?;
    tracing::info!(
        case_id,
        imported = questions.len(),
        skipped = skipped.len(),
        "GIFT imported"
    );
    Ok(skipped)
}

/// Adds an image hotspot question: the learner clicks inside one of `regions` (rectangles or
/// ellipses drawn on one of the case's images, as JSON shapes in image fractions).
#[server(endpoint = "quiz-add-hotspot")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn add_hotspot_question(
    case_id: i64,
    image_id: i64,
    text: String,
    explanation: String,
    regions: String,
) -> Result<(), AppError> {
    use crate::media::annotations::{validate, Annotation, Shape};
    use crate::quiz::{Question, QuestionKind};
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    match crate::media::db::owner(&pool, image_id).await? {
        Some((image_case, _)) if image_case == case_id => {}
        _ => return Err(AppError::NotFound),
    }
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 1000 {
        return Err(AppError::field(
            "text",
            "Write the question (at most 1,000 characters).",
        ));
    }
    let shapes: Vec<Shape> = serde_json::from_str(&regions).map_err(|_| {
        AppError::field(
            "regions",
            "The regions could not be read. Reload and try again.",
        )
    })?;
    let as_annotations: Vec<Annotation> = shapes
        .iter()
        .map(|s| Annotation {
            shape: *s,
            text: String::new(),
            note: String::new(),
        })
        .collect();
    if let Err(problems) = validate(&as_annotations) {
        return Err(AppError::field("regions", problems.join(" ")));
    }
    let question = Question {
        kind: QuestionKind::Hotspot,
        name: String::new(),
        text: text.to_owned(),
        explanation: explanation.trim().to_owned(),
        objective: String::new(),
        answers: Vec::new(),
        image_id: Some(image_id),
        regions: shapes,
    };
    question
        .validate()
        .map_err(|message| AppError::field("regions", message))?;
    let labels = crate::admin::db::labels_for_case(&pool, case_id).await?;
    if let Some(f) = crate::privacy::PrivacyFinding::scan_fields_with(
        &[
            ("text", &question.text),
            ("explanation", &question.explanation),
        ],
        &labels,
    )
    .into_iter()
    .next()
    {
        return Err(AppError::field(
            "text",
            format!(
                "This may identify a patient: {} “{}”.",
                f.kind.label(),
                f.text
            ),
        ));
    }
    let quiz_id = match crate::quiz::db::for_case(&pool, case_id).await? {
        Some((id, _)) => id,
        None => crate::quiz::db::save_settings(&pool, case_id, &Default::default()).await?,
    };
    crate::quiz::db::append_questions(&pool, quiz_id, &[question]).await?;
    tracing::info!(case_id, image_id, "hotspot question added");
    leptos_axum::redirect(&format!("/cases/{case_id}/quiz/edit"));
    Ok(())
}

/// Deletes a question nobody has answered. One with answers belongs to learners' records
/// (their grades and certificates rest on it): that is refused, and the author retires it.
#[server(endpoint = "quiz-delete-question")]
#[tracing::instrument(skip_all, fields(case_id, question_id))]
pub async fn delete_question(case_id: i64, question_id: i64) -> Result<(), AppError> {
    use crate::quiz::db::QuestionDeletion;
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    let (quiz_id, _) = crate::quiz::db::for_case(&pool, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    match crate::quiz::db::delete_question(&pool, quiz_id, question_id).await? {
        QuestionDeletion::Deleted => {
            tracing::info!(case_id, question_id, "question deleted");
            Ok(())
        }
        QuestionDeletion::NotFound => Err(AppError::NotFound),
        QuestionDeletion::Answered => Err(AppError::conflict(
            "Learners have answered this question, so deleting it would rewrite their records. \
             Retire it instead: new attempts will no longer include it, and earlier attempts \
             keep their grades.",
        )),
    }
}

/// Retires a question: attempts started from now on no longer include it, while earlier
/// attempts keep it in their history, grade and the item analysis.
#[server(endpoint = "quiz-retire-question")]
#[tracing::instrument(skip_all, fields(case_id, question_id))]
pub async fn retire_question(case_id: i64, question_id: i64) -> Result<(), AppError> {
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    let (quiz_id, _) = crate::quiz::db::for_case(&pool, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !crate::quiz::db::retire_question(&pool, quiz_id, question_id).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(case_id, question_id, "question retired");
    Ok(())
}

/// A learner's overview of a module: settings, their attempts, whether they may start one.
#[server(endpoint = "quiz")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn get_quiz(case_id: i64) -> Result<QuizOverview, AppError> {
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let case = crate::cases::db::get_visible(&pool, case_id, user.id).await?;
    let (quiz_id, settings) = crate::quiz::db::for_case(&pool, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let question_count = crate::quiz::db::offered_questions(&pool, quiz_id, None)
        .await?
        .len() as i64;
    let attempts = crate::quiz::db::attempts_of(&pool, quiz_id, user.id).await?;
    let open_attempt = attempts
        .iter()
        .find(|a| a.submitted_at.is_none())
        .map(|a| a.id);
    let refused = match guard::learner_of_case(&pool, case_id, user.id).await {
        Ok(()) => None,
        Err(AppError::NotAllowed { message }) => Some(message),
        Err(other) => return Err(other),
    };
    let blocked = if let Some(reason) = refused {
        Some(reason)
    } else if question_count == 0 {
        Some("This module has no questions yet.".to_owned())
    } else if open_attempt.is_none()
        && settings
            .attempts_allowed
            .is_some_and(|n| attempts.len() as i64 >= n as i64)
    {
        Some(format!(
            "You have used all {} attempts of this module.",
            settings.attempts_allowed.unwrap_or_default()
        ))
    } else {
        None
    };
    Ok(QuizOverview {
        case_id,
        title: case.summary.title.clone(),
        case_url: case.summary.url(),
        settings,
        question_count,
        attempts,
        open_attempt,
        blocked,
        is_author: case.is_author,
    })
}

/// The attempt's owner only; anyone else gets "not found" (attempts are private).
#[cfg(feature = "ssr")]
async fn own_attempt(
    pool: &sqlx::PgPool,
    attempt_id: i64,
) -> Result<crate::quiz::db::AttemptRow, AppError> {
    let user = AuthUser::require(pool).await?;
    crate::ssr::guard::owns_attempt(pool, attempt_id, &user).await
}

/// Question `number` (from 1) of an attempt, with the learner's answer and, when due, feedback.
#[server(endpoint = "attempt-question")]
#[tracing::instrument(skip_all, fields(attempt_id))]
pub async fn get_attempt_question(
    attempt_id: i64,
    number: usize,
) -> Result<AttemptQuestion, AppError> {
    use crate::quiz::{hotspot_width, QuestionKind};
    use crate::ssr::{markdown, pool};
    let pool = pool()?;
    let attempt = own_attempt(&pool, attempt_id).await?;
    let (_, settings) = crate::quiz::db::for_case(&pool, attempt.case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let questions =
        crate::quiz::db::offered_questions(&pool, attempt.quiz_id, Some(attempt.started_at))
            .await?;
    let stored = questions
        .get(number.wrapping_sub(1))
        .ok_or(AppError::NotFound)?
        .clone();
    let answers = crate::quiz::db::answers(&pool, attempt_id).await?;
    let given = answers.iter().find(|a| a.0 == stored.id).cloned();
    let submitted = attempt.submitted_at.is_some();
    let review = match &given {
        Some((_, response, fraction)) if settings.feedback_each || submitted => {
            Some(crate::quiz::feedback::review(&pool, &stored, response.clone(), *fraction).await?)
        }
        _ => None,
    };
    let q = &stored.question;
    let hotspot = match (q.kind, q.image_id) {
        (QuestionKind::Hotspot, Some(image_id)) => {
            crate::media::db::for_case(&pool, attempt.case_id)
                .await?
                .into_iter()
                .find(|i| i.id == image_id)
                .map(|i| {
                    let w = hotspot_width(i.width);
                    (i, w)
                })
        }
        _ => None,
    };
    let (title, _, _) = crate::cases::db::texts(&pool, attempt.case_id).await?;
    Ok(AttemptQuestion {
        attempt_id,
        case_id: attempt.case_id,
        title,
        number,
        total: questions.len(),
        answered_count: answers.len(),
        question_id: stored.id,
        kind: q.kind,
        text_html: markdown::render(&q.text),
        options: match q.kind {
            QuestionKind::ShortAnswer | QuestionKind::Hotspot => Vec::new(),
            _ => q.answers.iter().map(|a| a.text.clone()).collect(),
        },
        hotspot,
        given: given.map(|g| g.1),
        review,
        deadline: attempt.deadline,
        submitted,
        feedback_each: settings.feedback_each,
    })
}

/// The result of a submitted attempt, with every question's feedback.
#[server(endpoint = "attempt-result")]
#[tracing::instrument(skip_all, fields(attempt_id))]
pub async fn get_attempt_result(attempt_id: i64) -> Result<AttemptResult, AppError> {
    use crate::ssr::{markdown, pool};
    let pool = pool()?;
    let attempt = own_attempt(&pool, attempt_id).await?;
    let (Some(score), Some(passed)) = (attempt.score, attempt.passed) else {
        return Err(AppError::field(
            "attempt",
            "This attempt is still open: answer the questions and submit it first.",
        ));
    };
    let (quiz_id, settings) = crate::quiz::db::for_case(&pool, attempt.case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let questions =
        crate::quiz::db::offered_questions(&pool, quiz_id, Some(attempt.started_at)).await?;
    let answers = crate::quiz::db::answers(&pool, attempt_id).await?;
    let mut reviewed = Vec::new();
    for stored in &questions {
        let review = match answers.iter().find(|a| a.0 == stored.id) {
            Some((_, response, fraction)) => Some(
                crate::quiz::feedback::review(&pool, stored, response.clone(), *fraction).await?,
            ),
            None => None,
        };
        reviewed.push((markdown::render(&stored.question.text), review));
    }
    let used = crate::quiz::db::attempts_of(&pool, quiz_id, attempt.user_id)
        .await?
        .len() as i64;
    let (title, _, _) = crate::cases::db::texts(&pool, attempt.case_id).await?;
    let certificate_id = sqlx::query_scalar!(
        r#"
        select c.id from certificates c join cme_ledger l on l.id = c.ledger_id
        where l.user_id = $1 and l.activity_ref = $2 and c.revoked_at is null
        "#,
        attempt.user_id,
        format!("module:{quiz_id}")
    )
    .fetch_optional(&pool)
    .await?;
    Ok(AttemptResult {
        needs_evaluation: passed && !crate::cme::db::evaluated(&pool, attempt_id).await?,
        credit_amount: settings.credit_amount,
        credit_type: settings.credit_type.clone(),
        certificate_id,
        attempt_id,
        case_id: attempt.case_id,
        title,
        score,
        passed,
        pass_mark: settings.pass_mark,
        questions: reviewed,
        can_retake: settings.attempts_allowed.is_none_or(|n| used < n as i64),
    })
}
