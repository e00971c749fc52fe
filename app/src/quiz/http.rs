//! Taking a module: start (or resume), answer, submit. Plain form posts that redirect to the
//! next page, so a quiz works the same with JavaScript off; `Accept: application/json` gets JSON
//! (`{"attempt_id"}`, `{"saved"}`, `{"score","passed"}` or an `AppError`).
//!
//! Every answer is stored when it is posted, inside a transaction that locks the attempt, and
//! is refused once the attempt is submitted or its time is up.
//!
//! For the module's author: the questions as files (`export.xml` in Moodle XML, `export.gift`)
//! and the import of a Moodle XML or GIFT file (a multipart form, so it works without
//! JavaScript; it ends like the pasted import, back on the editor saying what was skipped).

use crate::error::AppError;
use crate::quiz::api::{import_questions, imported_page, offered_questions, ImportFrom};
use crate::quiz::db::{AnswerOutcome, StartRefused};
use crate::quiz::gift::IMPORT_MAX_BYTES;
use crate::ssr::auth::AuthUser;
use crate::ssr::respond::private_file;
use crate::ssr::respond::{refused, Caller, PostedForm};
use crate::ssr::{guard, AppState};
use axum::{
    extract::{multipart::MultipartRejection, DefaultBodyLimit, Multipart, Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Form, Json, Router,
};
use tower_sessions::Session;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/quiz/{case_id}/start", post(start))
        .route("/quiz/attempts/{id}/answer", post(answer))
        .route("/quiz/attempts/{id}/submit", post(submit))
        .route("/cases/{id}/quiz/export.xml", get(export_xml))
        .route("/cases/{id}/quiz/export.gift", get(export_gift))
        .route(
            "/cases/{id}/quiz/import",
            post(import_file).layer(DefaultBodyLimit::max(IMPORT_MAX_BYTES + 64 * 1024)),
        )
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

/// The author of case `case_id`, or why not: the guard of the module editor.
async fn module_author(
    pool: &sqlx::PgPool,
    session: &Session,
    case_id: i64,
) -> Result<crate::accounts::SessionUser, AppError> {
    let user = AuthUser::from_session(pool, session).await?;
    guard::can_author(&user)?;
    guard::owns_case(pool, case_id, user.id).await?;
    Ok(user)
}

/// The module's questions in Moodle XML, as a file to import into Moodle or back into Corridor.
async fn export_xml(state: State<AppState>, session: Session, case_id: Path<i64>) -> Response {
    export(state, session, case_id, Format::MoodleXml).await
}

/// The module's questions in GIFT, as a file.
async fn export_gift(state: State<AppState>, session: Session, case_id: Path<i64>) -> Response {
    export(state, session, case_id, Format::Gift).await
}

/// The file formats a module downloads in.
#[derive(Clone, Copy)]
enum Format {
    MoodleXml,
    Gift,
}

/// The questions learners now get, for the module's author, as a file in `format`.
async fn export(
    State(state): State<AppState>,
    session: Session,
    Path(case_id): Path<i64>,
    format: Format,
) -> Response {
    let exported = async {
        module_author(&state.pool, &session, case_id).await?;
        offered_questions(&state.pool, case_id).await
    };
    match exported.await {
        Ok(questions) => {
            let (bytes, content_type, extension) = match format {
                Format::MoodleXml => (
                    crate::quiz::moodle_xml::export(&questions),
                    "application/xml; charset=utf-8",
                    "xml",
                ),
                Format::Gift => (
                    crate::quiz::gift::export(&questions),
                    "text/plain; charset=utf-8",
                    "gift.txt",
                ),
            };
            private_file(
                bytes,
                content_type,
                Some(&format!("corridor-case-{case_id}-questions.{extension}")),
            )
        }
        Err(error) => error.into_response(),
    }
}

/// A Moodle XML or GIFT file (`file`) added to the module, as the pasted import adds text.
async fn import_file(
    State(state): State<AppState>,
    session: Session,
    Path(case_id): Path<i64>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let caller = Caller::of(&headers);
    let result = async {
        let pool = &state.pool;
        let user = module_author(pool, &session, case_id).await?;
        let text = read_file(multipart.map_err(|_| AppError::BadRequest)?).await?;
        import_questions(pool, case_id, user.id, &text, ImportFrom::File).await
    }
    .await;
    match result {
        Ok((imported, skipped)) if caller == Caller::Json => {
            Json(serde_json::json!({ "imported": imported, "skipped": skipped })).into_response()
        }
        Ok((_, skipped)) => Redirect::to(&imported_page(case_id, &skipped)).into_response(),
        Err(error) => refused(
            caller,
            error,
            &PostedForm {
                action: &format!("/cases/{case_id}/quiz/import"),
                page: &format!("/cases/{case_id}/quiz/edit"),
                values: &[],
            },
        ),
    }
}

/// The text of the form's `file`, within the import limit.
async fn read_file(mut multipart: Multipart) -> Result<String, AppError> {
    let too_large = || {
        AppError::field(
            "file",
            format!(
                "The file is larger than {} KB: import at most {} KB of questions at a time.",
                IMPORT_MAX_BYTES / 1024,
                IMPORT_MAX_BYTES / 1024
            ),
        )
    };
    let unreadable = |error: axum::extract::multipart::MultipartError| {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            tracing::info!(%error, "unreadable question file");
            AppError::BadRequest
        }
    };
    let mut bytes = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() != Some("file") {
            continue;
        }
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if bytes.len() + chunk.len() > IMPORT_MAX_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
    }
    if bytes.is_empty() {
        return Err(AppError::field(
            "file",
            "Choose a Moodle XML or GIFT file to import.",
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        AppError::field(
            "file",
            "The file is not UTF-8 text: save it as UTF-8 (Moodle's exports are) and try again.",
        )
    })?;
    Ok(text.trim_start_matches('\u{feff}').to_owned())
}
