//! Consult endpoints. Each checks who calls (`AuthUser`), opens the consult as that person (a
//! consult they are nobody to is "not found"), asks the state machine whether the step is
//! theirs, and delegates to `db`: the guarded update, the event, the notification, then mail.
//!
//! `steps` holds the transitions, `pools` the pool settings, `teaching` the way from a closed
//! consult to a teaching case; reading and writing drafts are here.

// A consult's form sends one field per SBAR section: one argument each.
#![allow(clippy::too_many_arguments)]

mod find;
mod pools;
mod steps;
mod teaching;

pub use find::*;
pub use pools::*;
pub use steps::*;
pub use teaching::*;

use crate::consults::{ConsultDetail, MyConsults};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::auth::AuthUser;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use crate::accounts::SessionUser;
    use crate::consults::db::{self, ConsultRow};
    use crate::consults::notice::{self, Post};
    use crate::consults::{transition, Action, ConsultText, Party, Refusal, State};
    use crate::discussion::NotificationKind;
    use crate::error::AppError;
    use crate::privacy::PrivacyFinding;
    use crate::ssr::auth::AuthUser;
    use crate::ssr::AppState;
    use chrono::{DateTime, Utc};
    use sqlx::{PgConnection, PgPool};

    /// Mails `users` about consult `id` (a step that needs them), through the configured mailer.
    pub(crate) async fn mail_about(
        state: &AppState,
        id: i64,
        users: &[i64],
        kind: NotificationKind,
    ) -> Result<(), AppError> {
        let post = Post {
            mailer: &state.mailer,
            base: state.public_url.as_str(),
        };
        notice::mail(&state.pool, Some(post), id, users, kind).await
    }

    /// The consult `id` as `user` may see it, and who they are to it; "not found" for anyone
    /// who is nobody to it.
    pub(crate) async fn open(
        pool: &PgPool,
        id: i64,
        user: &SessionUser,
    ) -> Result<(ConsultRow, Party), AppError> {
        let row = db::row(pool, id, user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let party = row.party(user.id).ok_or(AppError::NotFound)?;
        Ok((row, party))
    }

    /// Consults are for verified clinicians: a confirmed address and a verified department.
    pub(crate) fn verified_clinician(user: &SessionUser) -> Result<(), AppError> {
        if user.email_verified && user.department_id.is_some() {
            Ok(())
        } else {
            Err(AppError::not_allowed(
                "Consults are for verified clinicians: confirm your e-mail address and your \
                 department membership first.",
            ))
        }
    }

    /// The privacy guard over a consult's texts, minus the requester's overrides for this
    /// consult (the cases' rule: same kind, same exact text, with a recorded reason).
    pub(crate) async fn check_private(
        pool: &PgPool,
        id: i64,
        actor: i64,
        fields: &[(&str, &str)],
    ) -> Result<(), AppError> {
        let findings = open_findings(pool, id, actor, fields).await?;
        if findings.is_empty() {
            Ok(())
        } else {
            tracing::info!(
                consult_id = id,
                findings = findings.len(),
                "consult blocked by the privacy guard"
            );
            Err(AppError::ConsultPrivacyBlocked {
                consult_id: id,
                findings,
            })
        }
    }

    pub(crate) async fn open_findings(
        pool: &PgPool,
        id: i64,
        actor: i64,
        fields: &[(&str, &str)],
    ) -> Result<Vec<PrivacyFinding>, AppError> {
        let overrides = db::privacy_overrides(pool, id).await?;
        let labels = crate::admin::labels_for_user(pool, actor).await?;
        Ok(PrivacyFinding::scan_fields_with(fields, &labels)
            .into_iter()
            .filter(|f| {
                !overrides
                    .iter()
                    .any(|(kind, text)| kind == f.kind.as_str() && *text == f.text)
            })
            .collect())
    }

    const TAKEN: &str = "Another responder accepted this consult a moment before you.";

    /// A step someone is about to take: who, on what, to which state.
    pub(crate) struct Taking {
        pub state: AppState,
        pub user: SessionUser,
        pub row: ConsultRow,
        pub action: Action,
        pub to: State,
        pub now: DateTime<Utc>,
    }

    impl Taking {
        /// Checks that `action` is the caller's to take on consult `id` now.
        pub(crate) async fn begin(id: i64, action: Action) -> Result<Taking, AppError> {
            let state = crate::ssr::state()?;
            let user = AuthUser::require(&state.pool).await?;
            let (row, party) = match open(&state.pool, id, &user).await {
                // A pool responder who saw the consult in the queue a moment ago and clicks
                // "accept" after a colleague did is told so, not that it does not exist.
                Err(AppError::NotFound)
                    if action == Action::Accept
                        && db::taken_in_my_pool(&state.pool, id, user.id).await? =>
                {
                    return Err(AppError::conflict(TAKEN));
                }
                other => other?,
            };
            let to = transition(row.state, action, party).map_err(|r| refused(r, row.state))?;
            Ok(Taking {
                state,
                user,
                row,
                action,
                to,
                now: Utc::now(),
            })
        }

        /// The guarded update and its event; a consult someone else moved first is a conflict.
        pub(crate) async fn step(
            &self,
            tx: &mut PgConnection,
            due_hours: Option<i32>,
            detail: Option<&str>,
        ) -> Result<(), AppError> {
            let moved = db::step(
                tx,
                self.row.id,
                self.row.state,
                self.to,
                self.action,
                Some(self.user.id),
                self.now,
                due_hours,
                detail,
            )
            .await?;
            if moved {
                tracing::info!(consult_id = self.row.id, action = %self.action, to = %self.to, "consult step");
                Ok(())
            } else if self.action == Action::Accept {
                Err(AppError::conflict(TAKEN))
            } else {
                Err(AppError::conflict(
                    "This consult changed while you were looking at it. Reload to see where it stands.",
                ))
            }
        }

        /// Notifies `users` in the app, within the step's transaction.
        pub(crate) async fn tell(
            &self,
            tx: &mut PgConnection,
            users: &[i64],
            kind: NotificationKind,
        ) -> Result<(), AppError> {
            db::notify(tx, self.row.id, users, kind, self.user.id).await
        }

        /// Mails `users`, after the step committed.
        pub(crate) async fn mail(
            &self,
            users: &[i64],
            kind: NotificationKind,
        ) -> Result<(), AppError> {
            mail_about(&self.state, self.row.id, users, kind).await
        }
    }

    /// A refused step, in words: a step that is not the caller's is forbidden; one the consult
    /// has moved past is a conflict.
    pub(crate) fn refused(refusal: Refusal, state: State) -> AppError {
        match refusal {
            Refusal::NotYours => {
                AppError::not_allowed("This step of the consult is for the other side to take.")
            }
            Refusal::WrongState if state == State::Accepted => {
                AppError::conflict("This consult has already been accepted.")
            }
            Refusal::WrongState => AppError::conflict(format!(
                "This consult is {}: that step is not possible now.",
                state.label().to_lowercase()
            )),
        }
    }

    /// Checks the request's text as typed (`complete` for sending) and the specialty.
    pub(crate) async fn check_text(
        pool: &PgPool,
        text: &ConsultText,
        complete: bool,
    ) -> Result<(), AppError> {
        let known = crate::accounts::specialty_exists(pool, text.specialty.trim()).await?;
        text.check(known, complete)
    }
}

/// Creates a consult draft (no `id`) addressed to one colleague (`responder_id`) or one pool
/// (`pool_id`), or rewrites a draft's text. Returns the consult's id. Nothing is sent until
/// `consults/submit`.
#[server(endpoint = "consults/save")]
#[tracing::instrument(skip_all, fields(consult_id = ?id))]
pub async fn save_consult(
    id: Option<i64>,
    responder_id: Option<String>,
    pool_id: Option<String>,
    specialty: String,
    urgency: Option<String>,
    question: Option<String>,
    situation: Option<String>,
    background: Option<String>,
    assessment: Option<String>,
    ask: Option<String>,
    age_band: Option<String>,
    sex: Option<String>,
    findings: Option<String>,
    investigations: Option<String>,
    medicines: Option<String>,
    tried: Option<String>,
) -> Result<i64, AppError> {
    use crate::consults::{
        db, parse_recipient, AgeBand, ConsultText, NewConsult, Recipient, Sex, Urgency,
    };
    let pool = crate::ssr::pool()?;
    let user = AuthUser::require(&pool).await?;
    verified_clinician(&user)?;
    let trim = |v: Option<String>| v.unwrap_or_default().trim().to_owned();
    let text = ConsultText {
        specialty: specialty.trim().to_owned(),
        urgency: urgency
            .as_deref()
            .and_then(Urgency::parse)
            .unwrap_or_default(),
        question: trim(question),
        situation: trim(situation),
        background: trim(background),
        assessment: trim(assessment),
        ask: trim(ask),
        age_band: age_band.as_deref().and_then(AgeBand::parse),
        sex: sex.as_deref().and_then(Sex::parse),
        findings: trim(findings),
        investigations: trim(investigations),
        medicines: trim(medicines),
        tried: trim(tried),
    };
    check_text(&pool, &text, false).await?;
    if let Some(id) = id {
        let (_, party) = open(&pool, id, &user).await?;
        if party != crate::consults::Party::Requester {
            return Err(AppError::NotFound);
        }
        db::update_draft(&pool, id, user.id, &text).await?;
        leptos_axum::redirect(&format!("/consults/{id}"));
        return Ok(id);
    }
    let to = parse_recipient(responder_id.as_deref(), pool_id.as_deref())?;
    match to {
        Recipient::Named(colleague) => {
            if colleague == user.id {
                return Err(AppError::field("to", "Ask a colleague, not yourself."));
            }
            if !db::consultable(&pool, colleague).await? {
                return Err(AppError::field(
                    "to",
                    "That colleague cannot take consults on Corridor (not a verified member).",
                ));
            }
        }
        Recipient::Pool(department) => {
            if !db::pool_accepting(&pool, department).await? {
                return Err(AppError::field(
                    "to",
                    "That department does not take consults at the moment.",
                ));
            }
        }
    }
    let id = db::create_draft(&pool, user.id, &NewConsult { to, text }, chrono::Utc::now()).await?;
    tracing::info!(consult_id = id, "consult draft created");
    leptos_axum::redirect(&format!("/consults/{id}"));
    Ok(id)
}

/// One consult, as its requester, responder or pool admin sees it. Every opening is recorded
/// in the audit log.
#[server(endpoint = "consult")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn get_consult(id: i64) -> Result<ConsultDetail, AppError> {
    use crate::ssr::audit::{self, Event};
    let pool = crate::ssr::pool()?;
    let user = AuthUser::require(&pool).await?;
    let (row, party) = open(&pool, id, &user).await?;
    audit::record(
        &pool,
        Event::new("consult.opened")
            .actor(user.id)
            .department(row.pool_id)
            .target(format!("consult:{id}"))
            .detail(format!("{party:?}")),
    )
    .await?;
    crate::consults::db::detail(&pool, &row, party).await
}

/// The caller's consults: sent, to answer, and waiting in the pools they respond for or run.
#[server(endpoint = "consults")]
#[tracing::instrument(skip_all)]
pub async fn list_consults() -> Result<MyConsults, AppError> {
    let pool = crate::ssr::pool()?;
    let user = AuthUser::require(&pool).await?;
    crate::consults::db::mine(&pool, user.id).await
}
