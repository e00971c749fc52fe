//! A mentor's question bank: searching it, tagging questions, adding them to a module,
//! deleting unused ones. Every endpoint is for the bank's author only: another mentor's
//! question is "not found", whoever asks.

use super::*;
use crate::quiz::bank::{BankFilter, BankPage};

/// A page of the caller's bank, searched by `filter`, older than `before`. With `module` (a
/// case the caller writes), the page builds that case's module: it says which questions the
/// module offers already.
#[server(endpoint = "quiz-bank")]
#[tracing::instrument(skip_all)]
pub async fn get_bank(
    #[server(default)] filter: BankFilter,
    before: Option<i64>,
    module: Option<i64>,
) -> Result<BankPage, AppError> {
    use crate::quiz::bank::BANK_PAGE;
    use crate::quiz::db::bank;
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    let (target, in_target) = match module {
        Some(case_id) => {
            guard::owns_case(&pool, case_id, user.id).await?;
            let (title, _, _) = crate::cases::texts(&pool, case_id).await?;
            let offered = match crate::quiz::db::for_case(&pool, case_id).await? {
                Some((quiz_id, _)) => crate::quiz::db::offered_questions(&pool, quiz_id)
                    .await?
                    .into_iter()
                    .map(|q| q.id)
                    .collect(),
                None => Vec::new(),
            };
            (Some((case_id, title)), offered)
        }
        None => (None, Vec::new()),
    };
    let mut questions = bank::search(&pool, user.id, &filter, before, BANK_PAGE).await?;
    let next = (questions.len() as i64 > BANK_PAGE).then(|| {
        questions.truncate(BANK_PAGE as usize);
        questions.last().map(|q| q.id)
    });
    Ok(BankPage {
        questions,
        next: next.flatten(),
        tags: bank::tags(&pool, user.id).await?,
        modules: bank::author_cases(&pool, user.id).await?,
        target,
        in_target,
    })
}

/// Changes a question's tags (comma-separated). Not an edit of the question: no new version.
/// `back` is the bank page to return to.
#[server(endpoint = "quiz-bank-tags")]
#[tracing::instrument(skip_all, fields(question_id))]
pub async fn save_bank_tags(
    question_id: i64,
    tags: String,
    #[server(default)] back: String,
) -> Result<(), AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    let field = format!("tags-{question_id}");
    let tags = crate::quiz::bank::parse_tags(&tags).map_err(|message| {
        let mut errors = crate::error::FieldErrors::new();
        errors.add(&field, message);
        AppError::Invalid(errors.with_values(&[(field.as_str(), tags.as_str())]))
    })?;
    if !crate::quiz::db::bank::set_tags(&pool, user.id, question_id, &tags).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(question_id, tags = tags.len(), "question tags saved");
    leptos_axum::redirect(&bank_page(&back, Some(question_id)));
    Ok(())
}

/// Adds a question of the caller's bank to the module of a case they write (making the module
/// if the case has none), after its other questions.
#[server(endpoint = "quiz-bank-add")]
#[tracing::instrument(skip_all, fields(case_id, question_id))]
pub async fn add_from_bank(
    case_id: i64,
    question_id: i64,
    #[server(default)] back: String,
) -> Result<(), AppError> {
    use crate::quiz::db::bank::Added;
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    match crate::quiz::db::bank::add_to_module(&pool, case_id, user.id, question_id).await? {
        Added::Done => {}
        Added::NotFound => return Err(AppError::NotFound),
        Added::AlreadyThere => {
            return Err(AppError::conflict(
                "That module already offers this question.",
            ))
        }
        Added::ImageOfAnotherCase => {
            return Err(AppError::conflict(
                "A hotspot question is drawn on an image of its own case, so it serves only that \
                 case's module. Draw a new one on this case's image.",
            ))
        }
    }
    tracing::info!(case_id, question_id, "bank question added to a module");
    leptos_axum::redirect(&bank_page(&back, Some(question_id)));
    Ok(())
}

/// Deletes a question of the caller's bank that no module has held (one that served a module
/// is part of its history; one in attempts is part of learners' records).
#[server(endpoint = "quiz-bank-delete")]
#[tracing::instrument(skip_all, fields(question_id))]
pub async fn delete_from_bank(
    question_id: i64,
    #[server(default)] back: String,
) -> Result<(), AppError> {
    use crate::quiz::db::bank::Deleted;
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    match crate::quiz::db::bank::delete(&pool, user.id, question_id).await? {
        Deleted::Done => {}
        Deleted::NotFound => return Err(AppError::NotFound),
        Deleted::InUse => {
            return Err(AppError::conflict(
                "This question serves or has served a module, so it stays: the module's history \
                 and learners' attempts rest on it. Retire it from the module instead.",
            ))
        }
    }
    tracing::info!(question_id, "bank question deleted");
    leptos_axum::redirect(&bank_page(&back, None));
    Ok(())
}

/// The bank page a form came from (only a bank address is followed), at the question.
#[cfg(feature = "ssr")]
fn bank_page(back: &str, question_id: Option<i64>) -> String {
    let page = if back.starts_with("/quiz/bank") && !back.contains("//") && !back.contains('#') {
        back
    } else {
        "/quiz/bank"
    };
    match question_id {
        Some(id) => format!("{page}#bank-{id}"),
        None => page.to_owned(),
    }
}
