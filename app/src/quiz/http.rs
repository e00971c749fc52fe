//! Taking a module: start (or resume), answer, submit. Plain form posts that redirect to the
//! next page, so a quiz works the same with JavaScript off; `Accept: application/json` gets JSON
//! (`{"attempt_id"}`, `{"saved"}`, `{"score","passed"}` or an `AppError`).
//!
//! Every answer is stored when it is posted, inside a transaction that locks the attempt, and
//! is refused once the attempt is submitted or its time is up.

use crate::error::AppError;
use crate::quiz::db::{AnswerOutcome, StartRefused};
use crate::ssr::auth::AuthUser;
use crate::ssr::respond::{refused, Caller, PostedForm};
use crate::ssr::{guard, AppState};
use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    routing::post,
    Form, Json, Router,
};
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/quiz/{case_id}/start", post(start))
        .route("/quiz/attempts/{id}/answer", post(answer))
        .route("/quiz/attempts/{id}/submit", post(submit))
}

/// A refused quiz post: back to `page` with the message (there is nothing typed to keep).
fn refuse(caller: Caller, error: AppError, action: &str, page: &str) -> Response {
    refused(
        caller,
        error,
        &PostedForm {
            action,
            page,
            values: &[],
        },
    )
}

/// The caller's own attempt at a module they may still take for credit, with its settings:
/// every answer and the submission ask again, so a case withdrawn mid-attempt stops at once.
async fn learners_attempt(
    pool: &sqlx::PgPool,
    session: &Session,
    attempt_id: i64,
) -> Result<
    (
        crate::accounts::SessionUser,
        crate::quiz::AttemptRow,
        crate::quiz::QuizSettings,
    ),
    AppError,
> {
    let user = AuthUser::from_session(pool, session).await?;
    let attempt = guard::owns_attempt(pool, attempt_id, &user).await?;
    guard::learner_of_case(pool, attempt.case_id, user.id).await?;
    let (_, settings) = crate::quiz::db::for_case(pool, attempt.case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((user, attempt, settings))
}

async fn start(
    State(state): State<AppState>,
    session: Session,
    Path(case_id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let caller = Caller::of(&headers);
    let back = format!("/cases/{case_id}/quiz");
    let result = async {
        let pool = &state.pool;
        let user = AuthUser::from_session(pool, &session).await?;
        // Only readers of a released case may take its module, and never its author.
        guard::learner_of_case(pool, case_id, user.id).await?;
        let (quiz_id, settings) = crate::quiz::db::for_case(pool, case_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if crate::quiz::db::offered_questions(pool, quiz_id)
            .await?
            .is_empty()
        {
            return Err(AppError::field(
                "attempt",
                "This module has no questions yet.",
            ));
        }
        match crate::quiz::db::start_attempt(pool, quiz_id, user.id, &settings).await? {
            Ok(id) => Ok(id),
            Err(StartRefused::NoAttemptsLeft(n)) => Err(AppError::field(
                "attempt",
                format!("You have used all {n} attempts of this module."),
            )),
        }
    }
    .await;
    match result {
        Ok(id) if caller == Caller::Json => {
            Json(serde_json::json!({ "attempt_id": id })).into_response()
        }
        Ok(id) => Redirect::to(&format!("/quiz/attempts/{id}/1")).into_response(),
        Err(error) => refuse(caller, error, &format!("/quiz/{case_id}/start"), &back),
    }
}

async fn answer(
    State(state): State<AppState>,
    session: Session,
    Path(attempt_id): Path<i64>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let caller = Caller::of(&headers);
    let number: usize = fields
        .iter()
        .find(|(k, _)| k == "number")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1);
    let here = format!("/quiz/attempts/{attempt_id}/{number}");
    let result = async {
        let pool = &state.pool;
        let (_, attempt, settings) = learners_attempt(pool, &session, attempt_id).await?;
        let questions =
            crate::quiz::db::attempt_questions(pool, attempt_id)
                .await?;
        let question_id: i64 = fields
            .iter()
            .find(|(k, _)| k == "question_id")
            .and_then(|(_, v)| v.parse().ok())
            .ok_or(AppError::BadRequest)?;
        let stored = questions
            .iter()
            .find(|q| q.id == question_id)
            .ok_or(AppError::NotFound)?;
        let (shown_width, ratio) = match stored.question.image_id {
            Some(image_id) => crate::media::for_case(pool, attempt.case_id)
                .await?
                .into_iter()
                .find(|i| i.id == image_id)
                .map(|i| {
                    (
                        crate::quiz::hotspot_width(i.width),
                        i.height as f64 / i.width.max(1) as f64,
                    )
                })
                .unwrap_or((1, 1.0)),
            None => (1, 1.0),
        };
        let response = crate::quiz::feedback::response_from_form(&stored.question, &fields, shown_width, ratio)
            .map_err(|message| AppError::field("answer", message))?;
        let fraction = stored.question.grade(&response);
        let outcome = crate::quiz::db::save_answer(
            pool,
            attempt_id,
            question_id,
            &response,
            fraction,
            settings.feedback_each(),
        )
        .await?;
        match outcome {
            AnswerOutcome::Saved | AnswerOutcome::Unchanged => {
                Ok((outcome == AnswerOutcome::Saved, settings.feedback_each(), questions.len()))
            }
            AnswerOutcome::Submitted => Err(AppError::field(
                "answer",
                "This attempt has been submitted, so its answers can no longer change. Start a new attempt to try again.",
            )),
            AnswerOutcome::TimeUp => Err(AppError::field(
                "answer",
                "Time is up for this attempt: the answer was not saved. Submit the attempt to see your result.",
            )),
            AnswerOutcome::AlreadyAnswered => Err(AppError::field(
                "answer",
                "You have already answered this question; its feedback is shown below.",
            )),
        }
    }
    .await;
    match result {
        Ok((saved, _, _)) if caller == Caller::Json => {
            Json(serde_json::json!({ "saved": saved })).into_response()
        }
        // With feedback after each question, stay to read it; otherwise go on.
        Ok((_, true, _)) => Redirect::to(&here).into_response(),
        Ok((_, false, total)) if number < total => {
            Redirect::to(&format!("/quiz/attempts/{attempt_id}/{}", number + 1)).into_response()
        }
        Ok(_) => Redirect::to(&here).into_response(),
        Err(error) => refuse(
            caller,
            error,
            &format!("/quiz/attempts/{attempt_id}/answer"),
            &here,
        ),
    }
}

async fn submit(
    State(state): State<AppState>,
    session: Session,
    Path(attempt_id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let caller = Caller::of(&headers);
    let result = async {
        let pool = &state.pool;
        let (_, _, settings) = learners_attempt(pool, &session, attempt_id).await?;
        let outcome = crate::quiz::db::submit(pool, attempt_id, settings.pass_mark).await?;
        tracing::info!(
            attempt_id,
            score = outcome.0,
            passed = outcome.1,
            "attempt submitted"
        );
        Ok(outcome)
    }
    .await;
    match result {
        Ok((score, passed)) if caller == Caller::Json => {
            Json(serde_json::json!({ "score": score, "passed": passed })).into_response()
        }
        Ok(_) => Redirect::to(&format!("/quiz/attempts/{attempt_id}/result")).into_response(),
        Err(error) => refuse(
            caller,
            error,
            &format!("/quiz/attempts/{attempt_id}/submit"),
            &format!("/quiz/attempts/{attempt_id}/1"),
        ),
    }
}
