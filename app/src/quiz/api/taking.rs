//! Taking a module: the overview, each question with its feedback, the result.

use super::*;

/// A learner's overview of a module: settings, their attempts, whether they may start one.
#[server(endpoint = "quiz")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn get_quiz(case_id: i64) -> Result<QuizOverview, AppError> {
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    // One statement: the case only if `case_readable` lets the caller read it.
    let module = crate::quiz::db::overview(&pool, case_id, user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let open_attempt = module
        .attempts
        .iter()
        .find(|a| a.submitted_at.is_none())
        .map(|a| a.id);
    let refused = match guard::learner_by_standing(Some(module.standing)) {
        Ok(()) => None,
        Err(AppError::NotAllowed { message }) => Some(message),
        Err(other) => return Err(other),
    };
    let settings = module.settings;
    let blocked = if let Some(reason) = refused {
        Some(reason)
    } else if module.question_count == 0 {
        Some("This module has no questions yet.".to_owned())
    } else if open_attempt.is_none()
        && settings
            .attempts_allowed
            .is_some_and(|n| module.attempts.len() as i64 >= n as i64)
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
        case_url: module.kind.url(case_id),
        title: module.title,
        settings,
        question_count: module.question_count,
        attempts: module.attempts,
        open_attempt,
        blocked,
        is_author: module.standing.is_author,
    })
}

/// Question `number` (from 1) of an attempt, with the learner's answer and, when due, feedback.
/// The attempt's owner only; anyone else gets "not found" (attempts are private).
#[server(endpoint = "attempt-question")]
#[tracing::instrument(skip_all, fields(attempt_id))]
pub async fn get_attempt_question(
    attempt_id: i64,
    number: usize,
) -> Result<AttemptQuestion, AppError> {
    use crate::quiz::{hotspot_width, FeedbackMode, QuestionKind};
    use crate::ssr::{markdown, pool};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    // One statement for the page (the same owner rule as `guard::owns_attempt`).
    let page = crate::quiz::db::attempt_question(
        &pool,
        attempt_id,
        user.id,
        i64::try_from(number).unwrap_or(i64::MAX),
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let feedback_each = page.feedback_mode == FeedbackMode::Each;
    let q = &page.question.question;
    let review = match &page.given {
        Some((response, fraction)) if feedback_each || page.submitted => {
            // The query counts how others answered exactly when feedback is due.
            let counts = page
                .counts
                .as_deref()
                .ok_or_else(|| AppError::internal("answer counts not read"))?;
            Some(crate::quiz::feedback::review(
                q,
                response.clone(),
                *fraction,
                counts,
            ))
        }
        _ => None,
    };
    let hotspot = match q.kind {
        QuestionKind::Hotspot => page.image.clone().map(|i| {
            let w = hotspot_width(i.width);
            (i, w)
        }),
        _ => None,
    };
    Ok(AttemptQuestion {
        attempt_id,
        case_id: page.case_id,
        title: page.title,
        number,
        total: page.total as usize,
        answered_count: page.answered as usize,
        question_id: page.question.id,
        kind: q.kind,
        text_html: markdown::render(&q.text),
        options: match q.kind {
            QuestionKind::ShortAnswer | QuestionKind::Hotspot => Vec::new(),
            _ => q.answers.iter().map(|a| a.text.clone()).collect(),
        },
        hotspot,
        given: page.given.map(|g| g.0),
        review,
        deadline: page.deadline,
        submitted: page.submitted,
        feedback_each,
    })
}

/// The result of a submitted attempt, with every question's feedback. The attempt's owner
/// only, as for its questions.
#[server(endpoint = "attempt-result")]
#[tracing::instrument(skip_all, fields(attempt_id))]
pub async fn get_attempt_result(attempt_id: i64) -> Result<AttemptResult, AppError> {
    use crate::ssr::{markdown, pool};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let result = crate::quiz::db::attempt_result(&pool, attempt_id, user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (Some(score), Some(passed)) = (result.score, result.passed) else {
        return Err(AppError::field(
            "attempt",
            "This attempt is still open: answer the questions and submit it first.",
        ));
    };
    let questions = result
        .questions
        .into_iter()
        .map(|reviewed| {
            let q = &reviewed.question;
            let review = match (reviewed.response, reviewed.fraction) {
                (Some(response), Some(fraction)) => {
                    let counts = reviewed
                        .counts
                        .as_deref()
                        .ok_or_else(|| AppError::internal("answer counts not read"))?;
                    Some(crate::quiz::feedback::review(q, response, fraction, counts))
                }
                _ => None,
            };
            Ok((markdown::render(&q.text), review))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let settings = result.settings;
    Ok(AttemptResult {
        needs_evaluation: passed && !result.evaluated,
        credit_amount: settings.credit_amount,
        credit_type: settings.credit_type,
        certificate_id: result.certificate_id,
        attempt_id,
        case_id: result.case_id,
        title: result.title,
        score,
        passed,
        pass_mark: settings.pass_mark,
        questions,
        can_retake: settings
            .attempts_allowed
            .is_none_or(|n| result.attempts_used < n as i64),
    })
}
