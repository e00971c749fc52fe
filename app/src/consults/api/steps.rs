//! The consult's steps, one endpoint each: submit (with consent and the privacy guard), accept,
//! decline, request and provide information, answer, follow-up question and answer, close,
//! cancel; and the requester's privacy overrides.

use super::*;

/// Sends a draft. The patient's consent is recorded with it (no consent, no sending), and the
/// privacy guard runs over every text field (the images' descriptions and captions included)
/// first: nothing is stored or sent while either is missing.
#[server(endpoint = "consults/submit")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn submit_consult(
    id: i64,
    consent: Option<String>,
    consent_method: Option<String>,
    consent_date: Option<String>,
) -> Result<(), AppError> {
    use crate::consults::{db, Action, ConsentRecord, Recipient};
    use crate::discussion::NotificationKind as K;
    let t = Taking::begin(id, Action::Submit).await?;
    let pool = &t.state.pool;
    verified_clinician(&t.user)?;
    let record = ConsentRecord::parse(
        consent.as_deref(),
        consent_method.as_deref(),
        consent_date.as_deref(),
        db::today_ist(t.now),
    )?;
    let text = db::text(pool, id).await?;
    check_text(pool, &text, true).await?;
    // The images' descriptions and captions are read with the request's own text.
    let images = db::images::texts(pool, id).await?;
    let mut fields = text.fields();
    fields.push(("images", &images));
    check_private(pool, id, t.user.id, &fields).await?;
    let to = match (t.row.responder_id, t.row.pool_id) {
        (_, Some(department)) => Recipient::Pool(department),
        (Some(colleague), None) => Recipient::Named(colleague),
        (None, None) => return Err(AppError::NotFound),
    };
    let told = match to {
        Recipient::Named(colleague) => {
            if !db::consultable(pool, colleague).await? {
                return Err(AppError::conflict(
                    "That colleague can no longer take consults. Cancel this one and ask someone else.",
                ));
            }
            vec![colleague]
        }
        Recipient::Pool(department) => {
            if !db::pool_accepting(pool, department).await? {
                return Err(AppError::conflict(
                    "That department has stopped taking consults. Cancel this one and ask another.",
                ));
            }
            db::pool_people(pool, department).await?.0
        }
    };
    let hours = db::due_hours(pool, id).await?;
    let mut tx = pool.begin().await?;
    db::record_consent(&mut tx, id, &record, t.user.id).await?;
    t.step(&mut tx, Some(hours), None).await?;
    t.tell(&mut tx, &told, K::ConsultReceived).await?;
    tx.commit().await?;
    t.mail(&told, K::ConsultReceived).await
}

/// The requester accepts one privacy finding in their consult as not identifying, with a
/// reason kept for audit (as for cases).
#[server(endpoint = "consults/override-finding")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn override_consult_finding(
    id: i64,
    kind: String,
    text: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::consults::{db, Party};
    use crate::ssr::audit::{self, Event};
    let pool = crate::ssr::pool()?;
    let user = AuthUser::require(&pool).await?;
    let (row, party) = open(&pool, id, &user).await?;
    if party != Party::Requester {
        return Err(AppError::not_allowed(
            "Only the colleague who wrote the consult can override the privacy guard.",
        ));
    }
    let reason = reason.trim();
    if reason.chars().count() < 10 {
        return Err(AppError::field(
            "reason",
            "Say in a sentence why this does not identify the patient (at least 10 characters).",
        ));
    }
    let texts = db::text(&pool, id).await?;
    let images = db::images::texts(&pool, id).await?;
    let mut fields = texts.fields();
    fields.push(("images", &images));
    let present = open_findings(&pool, id, user.id, &fields)
        .await?
        .into_iter()
        .any(|f| f.kind.as_str() == kind && f.text == text);
    if !present {
        return Err(AppError::field(
            "reason",
            "That item is no longer in the consult.",
        ));
    }
    db::record_privacy_override(&pool, id, &kind, &text, reason, user.id).await?;
    audit::record(
        &pool,
        Event::new("privacy.override")
            .actor(user.id)
            .department(row.pool_id)
            .target(format!("consult:{id}"))
            .detail(format!("{kind}: {reason}")),
    )
    .await?;
    Ok(())
}

/// The named colleague, or one of the pool's responders, takes the consult. Two accepting at
/// once: exactly one wins, the other is told it was taken.
#[server(endpoint = "consults/accept")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn accept_consult(id: i64) -> Result<(), AppError> {
    use crate::consults::Action;
    use crate::discussion::NotificationKind as K;
    let t = Taking::begin(id, Action::Accept).await?;
    let told = vec![t.row.requester_id];
    let mut tx = t.state.pool.begin().await?;
    t.step(&mut tx, None, None).await?;
    t.tell(&mut tx, &told, K::ConsultAccepted).await?;
    tx.commit().await?;
    t.mail(&told, K::ConsultAccepted).await
}

/// Declines with a reason the requester is told. A pool consult goes back to the pool (its
/// responders are told again); a named one ends.
#[server(endpoint = "consults/decline")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn decline_consult(id: i64, reason: String) -> Result<(), AppError> {
    use crate::consults::{db, Action, State};
    use crate::discussion::NotificationKind as K;
    let t = Taking::begin(id, Action::Decline).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::field(
            "reason",
            "Say why you decline, in a sentence: your colleague will be told.",
        ));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::field(
            "reason",
            "Keep the reason to 500 characters.",
        ));
    }
    let requester = vec![t.row.requester_id];
    let pool_again = match (t.to, t.row.pool_id) {
        (State::Submitted, Some(department)) => db::pool_people(&t.state.pool, department)
            .await?
            .0
            .into_iter()
            .filter(|r| *r != t.user.id)
            .collect(),
        _ => Vec::new(),
    };
    let mut tx = t.state.pool.begin().await?;
    t.step(&mut tx, None, Some(reason)).await?;
    t.tell(&mut tx, &requester, K::ConsultDeclined).await?;
    t.tell(&mut tx, &pool_again, K::ConsultReceived).await?;
    tx.commit().await?;
    t.mail(&requester, K::ConsultDeclined).await?;
    t.mail(&pool_again, K::ConsultReceived).await
}

/// The responder asks the requester for more; the answer clock pauses until it comes.
#[server(endpoint = "consults/request-info")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn request_consult_info(id: i64, body: String) -> Result<(), AppError> {
    use crate::consults::{Action, MessageKind};
    use crate::discussion::NotificationKind as K;
    message_step(
        id,
        Action::RequestInfo,
        MessageKind::InfoRequest,
        &body,
        K::ConsultInfoRequested,
    )
    .await
}

/// The requester adds what was asked for; the answer clock runs again from where it stopped.
#[server(endpoint = "consults/provide-info")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn provide_consult_info(id: i64, body: String) -> Result<(), AppError> {
    use crate::consults::{Action, MessageKind};
    use crate::discussion::NotificationKind as K;
    message_step(
        id,
        Action::ProvideInfo,
        MessageKind::InfoReply,
        &body,
        K::ConsultInfoProvided,
    )
    .await
}

/// The requester asks a follow-up question, within 14 days of the answer.
#[server(endpoint = "consults/follow-up")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn ask_consult_follow_up(id: i64, body: String) -> Result<(), AppError> {
    use crate::consults::{Action, MessageKind};
    use crate::discussion::NotificationKind as K;
    message_step(
        id,
        Action::AskFollowUp,
        MessageKind::FollowUpQuestion,
        &body,
        K::ConsultFollowUp,
    )
    .await
}

/// The responder answers the follow-up question.
#[server(endpoint = "consults/answer-follow-up")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn answer_consult_follow_up(id: i64, body: String) -> Result<(), AppError> {
    use crate::consults::{Action, MessageKind};
    use crate::discussion::NotificationKind as K;
    message_step(
        id,
        Action::AnswerFollowUp,
        MessageKind::FollowUpAnswer,
        &body,
        K::ConsultFollowUpAnswered,
    )
    .await
}

/// A step that carries a message to the other side, which the privacy guard reads first.
#[cfg(feature = "ssr")]
async fn message_step(
    id: i64,
    action: crate::consults::Action,
    kind: crate::consults::MessageKind,
    body: &str,
    tell: crate::discussion::NotificationKind,
) -> Result<(), AppError> {
    use crate::consults::{db, parse_message, Action, FOLLOW_UP_DAYS};
    let t = Taking::begin(id, action).await?;
    let body = parse_message(body)?;
    if action == Action::AskFollowUp
        && t.row
            .answered_at
            .is_some_and(|at| t.now - at > chrono::Duration::days(FOLLOW_UP_DAYS))
    {
        return Err(AppError::conflict(format!(
            "Follow-up questions are possible for {FOLLOW_UP_DAYS} days after the answer. \
             Write a new consult instead."
        )));
    }
    check_private(&t.state.pool, id, t.user.id, &[("body", &body)]).await?;
    let told = t.row.others(t.user.id);
    let mut tx = t.state.pool.begin().await?;
    t.step(&mut tx, None, None).await?;
    db::add_message(&mut tx, id, kind, t.user.id, &body, t.now).await?;
    t.tell(&mut tx, &told, tell).await?;
    tx.commit().await?;
    t.mail(&told, tell).await
}

/// The responder's structured answer.
#[server(endpoint = "consults/answer")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn answer_consult(
    id: i64,
    impression: String,
    recommendations: String,
    red_flags: Option<String>,
    referral: String,
    investigations: Option<String>,
    citations: Option<String>,
    free_text: Option<String>,
) -> Result<(), AppError> {
    use crate::consults::{db, Action, Answer};
    use crate::discussion::NotificationKind as K;
    let t = Taking::begin(id, Action::Answer).await?;
    let answer = Answer::parse(
        &impression,
        &recommendations,
        red_flags.as_deref().unwrap_or(""),
        &referral,
        investigations.as_deref().unwrap_or(""),
        citations.as_deref().unwrap_or(""),
        free_text.as_deref().unwrap_or(""),
    )?;
    check_private(&t.state.pool, id, t.user.id, &answer.fields()).await?;
    let told = vec![t.row.requester_id];
    let mut tx = t.state.pool.begin().await?;
    t.step(&mut tx, None, None).await?;
    db::save_answer(&mut tx, id, &answer, t.user.id, t.now).await?;
    t.tell(&mut tx, &told, K::ConsultAnswered).await?;
    tx.commit().await?;
    t.mail(&told, K::ConsultAnswered).await
}

/// The requester closes the consult with a close-out: usefulness, educational value, outcome.
#[server(endpoint = "consults/close")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn close_consult(
    id: i64,
    useful: String,
    educational: String,
    outcome: String,
    note: Option<String>,
) -> Result<(), AppError> {
    use crate::consults::{db, Action, Closeout};
    let t = Taking::begin(id, Action::Close).await?;
    let closeout = Closeout::parse(
        &useful,
        &educational,
        &outcome,
        note.as_deref().unwrap_or(""),
    )?;
    check_private(&t.state.pool, id, t.user.id, &[("note", &closeout.note)]).await?;
    let mut tx = t.state.pool.begin().await?;
    t.step(&mut tx, None, None).await?;
    db::save_closeout(&mut tx, id, &closeout, t.user.id, t.now).await?;
    tx.commit().await?;
    Ok(())
}

/// The requester withdraws the consult before it is answered; a responder is told.
#[server(endpoint = "consults/cancel")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn cancel_consult(id: i64, reason: Option<String>) -> Result<(), AppError> {
    use crate::consults::Action;
    use crate::discussion::NotificationKind as K;
    let t = Taking::begin(id, Action::Cancel).await?;
    let reason = reason.unwrap_or_default().trim().to_owned();
    if reason.chars().count() > 500 {
        return Err(AppError::field(
            "reason",
            "Keep the reason to 500 characters.",
        ));
    }
    let told = if t.row.state == crate::consults::State::Draft {
        Vec::new()
    } else {
        t.row.others(t.user.id)
    };
    let mut tx = t.state.pool.begin().await?;
    t.step(
        &mut tx,
        None,
        Some(&reason).filter(|r| !r.is_empty()).map(String::as_str),
    )
    .await?;
    t.tell(&mut tx, &told, K::ConsultCancelled).await?;
    tx.commit().await?;
    t.mail(&told, K::ConsultCancelled).await
}
