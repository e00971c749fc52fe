//! Taking a module: the overview, each question with its feedback, the result.

use super::*;

/// A learner's overview of a module: settings, their attempts, whether they may start one.
#[server(endpoint = "quiz")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn get_quiz(case_id: i64) -> Result<QuizOverview, AppError> {
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let case = crate::cases::get_visible(&pool, case_id, user.id, None).await?;
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
pub(super) async fn own_attempt(
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
        Some((_, response, fraction)) if settings.feedback_each() || submitted => {
            Some(crate::quiz::feedback::review(&pool, &stored, response.clone(), *fraction).await?)
        }
        _ => None,
    };
    let q = &stored.question;
    let hotspot = match (q.kind, q.image_id) {
        (QuestionKind::Hotspot, Some(image_id)) => crate::media::for_case(&pool, attempt.case_id)
            .await?
            .into_iter()
            .find(|i| i.id == image_id)
            .map(|i| {
                let w = hotspot_width(i.width);
                (i, w)
            }),
        _ => None,
    };
    let (title, _, _) = crate::cases::texts(&pool, attempt.case_id).await?;
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
        feedback_each: settings.feedback_each(),
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
    let (title, _, _) = crate::cases::texts(&pool, attempt.case_id).await?;
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
        needs_evaluation: passed && !crate::cme::evaluated(&pool, attempt_id).await?,
        credit_amount: settings.credit_amount,
        credit_type: settings.credit_type,
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
