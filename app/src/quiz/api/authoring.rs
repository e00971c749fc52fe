//! Writing a module: settings, GIFT and Moodle XML import, hotspot questions, deleting and
//! retiring questions.

use super::*;

/// The author's view of a case's module (settings, questions, item analysis, GIFT export).
#[server(endpoint = "quiz-editor")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn get_quiz_editor(case_id: i64) -> Result<QuizEditorData, AppError> {
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    let (title, _, _) = crate::cases::texts(&pool, case_id).await?;
    let images: Vec<(i64, String)> = crate::media::for_case(&pool, case_id)
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
    use crate::cme::CreditType;
    use crate::error::FieldErrors;
    use crate::quiz::{FeedbackMode, QuizSettings};
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
    let mode = FeedbackMode::from_form(&feedback_mode, &mut errors);
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
    let amount = match credit_amount.trim().parse::<f64>() {
        Ok(v) if (0.0..=50.0).contains(&v) && (v * 100.0).fract() == 0.0 => v,
        _ => {
            errors.add(
                "credit_amount",
                "Credit is a number from 0 to 50, e.g. 1 or 0.5.",
            );
            0.0
        }
    };
    let credit = CreditType::from_form(&credit_type, "credit_type", &mut errors);
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
            feedback_mode: mode.unwrap_or_default(),
            attempts_allowed: attempts,
            credit_amount: amount,
            credit_type: credit.unwrap_or_default(),
            time_limit_minutes: limit,
        },
    )
    .await?;
    tracing::info!(case_id, "quiz settings saved");
    // Back to the editor saying so: its forms are plain posts (the page is not an island).
    leptos_axum::redirect(&format!("/cases/{case_id}/quiz/edit?saved=1"));
    Ok(())
}

/// Adds the questions of a GIFT or Moodle XML text (told apart by its start: `<?xml` or
/// `<quiz`) to the case's module, creating it if needed. Nothing is imported while the text has
/// errors; unsupported kinds are skipped and listed.
#[server(endpoint = "quiz-import")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn import_gift(case_id: i64, gift: String) -> Result<Vec<String>, AppError> {
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    let (_, skipped) = import_questions(&pool, case_id, user.id, &gift, ImportFrom::Pasted).await?;
    // Back to the editor with what was skipped (the page reads it from the query).
    leptos_axum::redirect(&imported_page(case_id, &skipped));
    Ok(skipped)
}

/// Where imported questions come from: text pasted in the form (refilled after a problem, under
/// the field `gift`) or an uploaded file (field `file`; nothing to refill).
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ImportFrom {
    Pasted,
    File,
}

/// Adds the questions of GIFT or Moodle XML `text` to the module of `case_id` (whose author
/// the caller has been checked to be): all of them or, when any has a problem, none. Returns
/// how many were added and the skipped ones, explained.
#[cfg(feature = "ssr")]
pub(crate) async fn import_questions(
    pool: &sqlx::PgPool,
    case_id: i64,
    author_id: i64,
    text: &str,
    from: ImportFrom,
) -> Result<(usize, Vec<String>), AppError> {
    use crate::quiz::gift::IMPORT_MAX_BYTES;
    let field = match from {
        ImportFrom::Pasted => "gift",
        ImportFrom::File => "file",
    };
    if text.len() > IMPORT_MAX_BYTES {
        return Err(AppError::field(
            field,
            format!(
                "Import at most {} KB of questions at a time.",
                IMPORT_MAX_BYTES / 1024
            ),
        ));
    }
    let moodle = crate::quiz::moodle_xml::looks_like(text);
    let (items, errors) = if moodle {
        crate::quiz::moodle_xml::parse(text)
    } else {
        crate::quiz::gift::parse(text)
    };
    let keep = |message: String| {
        AppError::Invalid(crate::error::FieldErrors {
            errors: vec![(field.into(), message)],
            values: match from {
                ImportFrom::Pasted => vec![(field.into(), text.to_owned())],
                ImportFrom::File => Vec::new(),
            },
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
                questions.push((q, item.tags.clone()));
            }
            None => {
                let name = if item.name.is_empty() {
                    String::new()
                } else {
                    format!("“{}”: ", item.name.chars().take(80).collect::<String>())
                };
                skipped.push(format!(
                    "Line {}: {name}{} ({})",
                    item.line,
                    item.skipped.clone().unwrap_or_default(),
                    item.kind
                ))
            }
        }
    }
    if questions.is_empty() {
        return Err(keep("No questions Corridor can use were found.".into()));
    }
    if let Some(finding) = privacy_finding(pool, case_id, questions.iter().map(|(q, _)| q)).await? {
        // A file's refusal travels in the page's address: it names the kind of identifier,
        // never the text found.
        let problem = match from {
            ImportFrom::Pasted => privacy_sentence(&finding),
            ImportFrom::File => format!(
                "The questions may identify a patient ({}).",
                finding.kind.label()
            ),
        };
        return Err(keep(format!("{problem} Remove it and import again.")));
    }
    let quiz_id = match crate::quiz::db::for_case(pool, case_id).await? {
        Some((id, _)) => id,
        None => crate::quiz::db::save_settings(pool, case_id, &Default::default()).await?,
    };
    // Into the author's bank, with the tags the file gives.
    crate::quiz::db::append_tagged(pool, quiz_id, author_id, &questions).await?;
    tracing::info!(
        case_id,
        imported = questions.len(),
        skipped = skipped.len(),
        format = if moodle { "moodle_xml" } else { "gift" },
        "questions imported"
    );
    Ok((questions.len(), skipped))
}

/// The editor after an import, listing what was skipped (the page reads it from the query).
#[cfg(feature = "ssr")]
pub(crate) fn imported_page(case_id: i64, skipped: &[String]) -> String {
    let mut back = format!("/cases/{case_id}/quiz/edit?imported=1");
    for s in skipped.iter().take(20) {
        back.push_str("&skipped=");
        back.push_str(&crate::util::url_encode(s));
    }
    back
}

/// The questions learners now get (retired ones stay behind), for the exports; none when the
/// case has no module yet.
#[cfg(feature = "ssr")]
pub(crate) async fn offered_questions(
    pool: &sqlx::PgPool,
    case_id: i64,
) -> Result<Vec<crate::quiz::Question>, AppError> {
    let Some((quiz_id, _)) = crate::quiz::db::for_case(pool, case_id).await? else {
        return Ok(Vec::new());
    };
    Ok(crate::quiz::db::offered_questions(pool, quiz_id)
        .await?
        .into_iter()
        .map(|q| q.question)
        .collect())
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
) -> Result<i64, AppError> {
    use crate::media::annotations::{validate, Annotation, Shape};
    use crate::quiz::{Question, QuestionKind};
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    match crate::media::owner(&pool, image_id).await? {
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
    let labels = crate::admin::labels_for_case(&pool, case_id).await?;
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
    let ids = crate::quiz::db::append_questions(&pool, quiz_id, user.id, &[question]).await?;
    let id = ids
        .first()
        .copied()
        .ok_or_else(|| AppError::internal("no question id"))?;
    tracing::info!(
        case_id,
        image_id,
        question_id = id,
        "hotspot question added"
    );
    leptos_axum::redirect(&format!("/cases/{case_id}/quiz/edit"));
    Ok(id)
}

/// Deletes a question nobody has answered. One with answers belongs to learners' records
/// (their grades and certificates rest on it): that is refused, and the author retires it.
#[server(endpoint = "quiz-delete-question")]
#[tracing::instrument(skip_all, fields(case_id, question_id))]
pub async fn delete_question(case_id: i64, question_id: i64) -> Result<(), AppError> {
    change_question(
        case_id,
        question_id,
        crate::quiz::db::QuestionChange::Delete,
    )
    .await
}

/// Retires a question: attempts started from now on no longer include it, while earlier
/// attempts keep it in their history, grade and the item analysis.
#[server(endpoint = "quiz-retire-question")]
#[tracing::instrument(skip_all, fields(case_id, question_id))]
pub async fn retire_question(case_id: i64, question_id: i64) -> Result<(), AppError> {
    change_question(
        case_id,
        question_id,
        crate::quiz::db::QuestionChange::Retire,
    )
    .await
}

/// Moves a question one place up or down (`direction` "up" or "down") among the module's
/// offered questions. Attempts already started keep their order.
#[server(endpoint = "quiz-move-question")]
#[tracing::instrument(skip_all, fields(case_id, question_id))]
pub async fn move_question(
    case_id: i64,
    question_id: i64,
    direction: String,
) -> Result<(), AppError> {
    use crate::quiz::db::Direction;
    let direction = match direction.as_str() {
        "up" => Direction::Up,
        "down" => Direction::Down,
        _ => return Err(AppError::BadRequest),
    };
    let (pool, quiz_id, _) = authors_module(case_id).await?;
    if !crate::quiz::db::move_question(&pool, quiz_id, question_id, direction).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(case_id, question_id, ?direction, "question moved");
    Ok(())
}

/// Copies a question right after it, to be edited into a variant. Returns the copy's id.
#[server(endpoint = "quiz-duplicate-question")]
#[tracing::instrument(skip_all, fields(case_id, question_id))]
pub async fn duplicate_question(case_id: i64, question_id: i64) -> Result<i64, AppError> {
    let (pool, quiz_id, user_id) = authors_module(case_id).await?;
    let id = crate::quiz::db::duplicate_question(&pool, quiz_id, user_id, question_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tracing::info!(case_id, question_id, copy = id, "question duplicated");
    Ok(id)
}

/// The caller's own module on case `case_id` (the caller must author the case): the pool, the
/// module's id and the caller's.
#[cfg(feature = "ssr")]
pub(super) async fn authors_module(case_id: i64) -> Result<(sqlx::PgPool, i64, i64), AppError> {
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::author(&pool).await?;
    guard::owns_case(&pool, case_id, user.id).await?;
    let (quiz_id, _) = crate::quiz::db::for_case(&pool, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((pool, quiz_id, user.id))
}

/// Deleting or retiring a question of the caller's own module.
#[cfg(feature = "ssr")]
async fn change_question(
    case_id: i64,
    question_id: i64,
    change: crate::quiz::db::QuestionChange,
) -> Result<(), AppError> {
    use crate::quiz::db::{QuestionChange, QuestionChanged};
    let (pool, quiz_id, _) = authors_module(case_id).await?;
    match crate::quiz::db::change_question(&pool, quiz_id, question_id, change).await? {
        QuestionChanged::Done => {
            match change {
                QuestionChange::Delete => tracing::info!(case_id, question_id, "question deleted"),
                QuestionChange::Retire => tracing::info!(case_id, question_id, "question retired"),
            }
            Ok(())
        }
        QuestionChanged::NotFound => Err(AppError::NotFound),
        QuestionChanged::Answered => Err(AppError::conflict(
            "This question is in learners' attempts, so deleting it would rewrite their records. \
             Retire it instead: new attempts will no longer include it, and earlier attempts \
             keep their grades.",
        )),
    }
}

/// What the privacy guard finds in questions (they are published with the case): a sentence
/// naming the first finding, or None.
#[cfg(feature = "ssr")]
pub(super) async fn privacy_problem(
    pool: &sqlx::PgPool,
    case_id: i64,
    questions: &[crate::quiz::Question],
) -> Result<Option<String>, AppError> {
    Ok(privacy_finding(pool, case_id, questions.iter())
        .await?
        .map(|f| privacy_sentence(&f)))
}

#[cfg(feature = "ssr")]
fn privacy_sentence(f: &crate::privacy::PrivacyFinding) -> String {
    format!(
        "The questions may identify a patient: {} “{}”.",
        f.kind.label(),
        f.text
    )
}

/// The privacy guard's first finding in questions, if any.
#[cfg(feature = "ssr")]
async fn privacy_finding(
    pool: &sqlx::PgPool,
    case_id: i64,
    questions: impl Iterator<Item = &crate::quiz::Question>,
) -> Result<Option<crate::privacy::PrivacyFinding>, AppError> {
    let texts: String = questions
        .flat_map(|q| {
            [q.text.as_str(), q.explanation.as_str()].into_iter().chain(
                q.answers
                    .iter()
                    .flat_map(|a| [a.text.as_str(), a.feedback.as_str()]),
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let labels = crate::admin::labels_for_case(pool, case_id).await?;
    Ok(
        crate::privacy::PrivacyFinding::scan_fields_with(&[("quiz", &texts)], &labels)
            .into_iter()
            .next(),
    )
}
