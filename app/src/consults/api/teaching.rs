//! From consult to teaching case: after the close, either doctor proposes; the other agrees
//! (which makes a case draft with both as authors and returns its id) or declines. Each step is
//! kept in the consult's history and told to the other doctor, in the app and by mail.
//!
//! Statuses as for the consult's steps: someone who is nobody to the consult gets 404; the pool
//! admin (who reads it for routing) and the proposer answering their own proposal get 403; a
//! consult that is not closed, purged, or already decided is a 409.

use super::*;

#[cfg(feature = "ssr")]
mod teaching_side {
    use crate::accounts::SessionUser;
    use crate::consults::db::ConsultRow;
    use crate::consults::teaching::db::{self, Locked};
    use crate::consults::{Party, State};
    use crate::discussion::NotificationKind;
    use crate::error::AppError;
    use crate::ssr::auth::AuthUser;
    use crate::ssr::AppState;

    /// The caller, one of the consult's two doctors.
    pub(super) struct Doctor {
        pub state: AppState,
        pub user: SessionUser,
        pub row: ConsultRow,
    }

    pub(super) async fn doctor(id: i64) -> Result<Doctor, AppError> {
        let state = crate::ssr::state()?;
        let user = AuthUser::require(&state.pool).await?;
        let (row, party) = super::open(&state.pool, id, &user).await?;
        match party {
            Party::Requester | Party::NamedResponder | Party::PoolResponder => {
                Ok(Doctor { state, user, row })
            }
            Party::PoolAdmin | Party::Corridor => Err(AppError::not_allowed(
                "Only the two doctors of a consult can make it a teaching case.",
            )),
        }
    }

    /// A consult that can become a teaching case: closed, its text still there.
    pub(super) fn convertible(locked: &Locked) -> Result<(), AppError> {
        if locked.state != State::Closed {
            return Err(AppError::conflict(format!(
                "This consult is {}: only a closed consult can become a teaching case.",
                locked.state.label().to_lowercase()
            )));
        }
        if locked.purged {
            return Err(AppError::conflict(
                "The clinical text of this consult was removed after the retention period, so \
                 it can no longer become a teaching case.",
            ));
        }
        Ok(())
    }

    /// The waiting proposal, for the doctor who did not make it.
    pub(super) fn answerable(locked: &Locked, me: i64) -> Result<&db::LockedProposal, AppError> {
        let proposal = locked.proposal.as_ref().ok_or_else(|| {
            AppError::conflict("Nobody has proposed making this consult a teaching case.")
        })?;
        if proposal.proposed_by == me {
            return Err(AppError::not_allowed(
                "You proposed this teaching case: your colleague agrees or declines.",
            ));
        }
        Ok(proposal)
    }

    impl Doctor {
        pub(super) async fn tell(
            &self,
            tx: &mut sqlx::PgConnection,
            kind: NotificationKind,
        ) -> Result<Vec<i64>, AppError> {
            let others = self.row.others(self.user.id);
            crate::consults::db::notify(tx, self.row.id, &others, kind, self.user.id).await?;
            Ok(others)
        }

        pub(super) async fn mail(
            &self,
            users: &[i64],
            kind: NotificationKind,
        ) -> Result<(), AppError> {
            crate::consults::api::mail_about(&self.state, self.row.id, users, kind).await
        }
    }
}

/// One of the two doctors proposes making the closed consult a teaching case; the other is
/// asked. A declined proposal may be made again.
#[server(endpoint = "consults/propose-teaching")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn propose_teaching_case(id: i64) -> Result<(), AppError> {
    use crate::discussion::NotificationKind as K;
    use teaching_side::*;
    let d = doctor(id).await?;
    let mut tx = d.state.pool.begin().await?;
    let locked = crate::consults::teaching::db::lock(&mut tx, id).await?;
    convertible(&locked)?;
    match &locked.proposal {
        Some(p) if p.agreed => {
            return Err(AppError::conflict(
                "This consult is a teaching case already.",
            ))
        }
        Some(p) if !p.declined => {
            return Err(AppError::conflict(
                "A teaching case has been proposed already; it waits for an answer.",
            ))
        }
        _ => {}
    }
    crate::consults::teaching::db::propose(&mut tx, id, d.user.id, chrono::Utc::now()).await?;
    let told = d.tell(&mut tx, K::ConsultTeachingProposed).await?;
    tx.commit().await?;
    tracing::info!(consult_id = id, "teaching case proposed");
    d.mail(&told, K::ConsultTeachingProposed).await
}

/// The other doctor agrees: a case draft is made, with the proposer as its author and both as
/// its writers, carrying the consult's request and answer. Returns the case's id (the same one
/// when agreed again, or when both agree at once).
#[server(endpoint = "consults/agree-teaching")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn agree_teaching_case(id: i64) -> Result<i64, AppError> {
    use crate::discussion::NotificationKind as K;
    use crate::ssr::{guard, markdown};
    use teaching_side::*;
    let d = doctor(id).await?;
    let mut tx = d.state.pool.begin().await?;
    let locked = crate::consults::teaching::db::lock(&mut tx, id).await?;
    let proposal = answerable(&locked, d.user.id)?;
    if let (true, Some(case_id)) = (proposal.agreed, proposal.case_id) {
        // Agreed a moment ago (a second click, or the other tab): the same draft.
        leptos_axum::redirect(&format!("/cases/{case_id}"));
        return Ok(case_id);
    }
    if proposal.agreed {
        return Err(AppError::conflict(
            "This consult was made a teaching case, and its draft has since been deleted.",
        ));
    }
    if proposal.declined {
        return Err(AppError::conflict(
            "This proposal was declined. Either of you can propose it again.",
        ));
    }
    convertible(&locked)?;
    let author = proposal.proposed_by;
    let answer = crate::consults::teaching::db::answer(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::conflict("This consult has no answer to teach from."))?;
    let text = crate::consults::db::text(&mut *tx, id).await?;
    let case = crate::consults::teaching_case(&text, &answer);
    let html = markdown::render(&case.body);
    let case_id =
        crate::cases::insert_co_authored(&mut tx, author, &[d.user.id], &case, &html).await?;
    let media = &d.state.media;
    let copies = crate::consults::teaching::db::copy_images(&mut tx, media, id, case_id).await?;
    let now = chrono::Utc::now();
    let finished = async {
        crate::consults::teaching::db::agree(&mut tx, id, d.user.id, case_id, now).await?;
        let told = d.tell(&mut tx, K::ConsultTeachingAgreed).await?;
        tx.commit().await?;
        Ok::<_, AppError>(told)
    }
    .await;
    let told = match finished {
        Ok(told) => told,
        Err(error) => {
            crate::consults::teaching::db::discard(media, &copies).await;
            return Err(error);
        }
    };
    // The privacy guard again, over the new draft: its findings show in the editor as any
    // draft's do, and block its publication until each is dealt with.
    let findings = guard::open_findings(
        &d.state.pool,
        case_id,
        &case.title,
        &case.summary,
        &case.body,
    )
    .await?;
    tracing::info!(
        consult_id = id,
        case_id,
        findings = findings.len(),
        "teaching case drafted from a consult"
    );
    d.mail(&told, K::ConsultTeachingAgreed).await?;
    leptos_axum::redirect(&format!("/cases/{case_id}"));
    Ok(case_id)
}

/// The other doctor declines; the proposer is told. Either may propose again later.
#[server(endpoint = "consults/decline-teaching")]
#[tracing::instrument(skip_all, fields(consult_id = id))]
pub async fn decline_teaching_case(id: i64) -> Result<(), AppError> {
    use crate::discussion::NotificationKind as K;
    use teaching_side::*;
    let d = doctor(id).await?;
    let mut tx = d.state.pool.begin().await?;
    let locked = crate::consults::teaching::db::lock(&mut tx, id).await?;
    let proposal = answerable(&locked, d.user.id)?;
    if proposal.agreed {
        return Err(AppError::conflict(
            "This consult is a teaching case already.",
        ));
    }
    if proposal.declined {
        return Err(AppError::conflict("This proposal was declined already."));
    }
    crate::consults::teaching::db::decline(&mut tx, id, d.user.id, chrono::Utc::now()).await?;
    let told = d.tell(&mut tx, K::ConsultTeachingDeclined).await?;
    tx.commit().await?;
    tracing::info!(consult_id = id, "teaching case declined");
    d.mail(&told, K::ConsultTeachingDeclined).await
}
