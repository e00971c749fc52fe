//! A consult's images: plain HTTP handlers, because an upload is a multipart body and a file is
//! bytes, not JSON.
//!
//! `POST /consults/{id}/images` takes the consult page's form (`image`, `alt_text`, `caption`)
//! from its requester, while the consult is a draft or information is asked for, with or
//! without JavaScript: on success it redirects back to the consult, on a problem back to the
//! page with the message beside the field. `Accept: application/json` gets `{"id"}` or an
//! `AppError` instead. The picture goes through `media::upload`, as a case's images do.
//!
//! `GET /media/consult-images/{id}/{display|thumb}` serves a rendition to the consult's readers
//! only (`consult_readable`); everyone else is told it does not exist. Opening the consult is
//! audited; its pictures are part of what was opened, so they add no audit rows of their own.
//!
//! `GET /department/consults.csv` is the pool's export: one line per consult sent in the period,
//! with its dates, hours and outcome, and no clinical text. For the department's admin (or a
//! site admin), as the pool page is.

use crate::accounts::Role;
use crate::consults::api::{open, open_findings, period, verified_clinician};
use crate::consults::db::images::{self, NewConsultImage};
use crate::consults::db::stats::{export_batch, ExportRow};
use crate::consults::Refusal;
use crate::error::AppError;
use crate::media::upload::{self, Form, Refused};
use crate::ssr::auth::AuthUser;
use crate::ssr::respond::{csv_stream, Caller};
use crate::ssr::{guard, AppState};
use axum::{
    extract::{multipart::MultipartRejection, DefaultBodyLimit, Multipart, Path, Query, State},
    http::HeaderMap,
    response::Response,
    routing::{get, post},
    Router,
};
use chrono::{DateTime, Utc};
use tower_sessions::Session;

/// The routes, the upload's with a body limit a little above the upload limit (the form's
/// other fields).
pub fn routes(max_bytes: usize) -> Router<AppState> {
    Router::new()
        .route(
            "/consults/{id}/images",
            post(upload).layer(DefaultBodyLimit::max(max_bytes + 256 * 1024)),
        )
        .route("/media/consult-images/{id}/{size}", get(serve))
        .route("/department/consults.csv", get(pool_csv))
}

async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path(consult_id): Path<i64>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let caller = Caller::of(&headers);
    let mut form = Form::default();
    let outcome = match multipart {
        Ok(multipart) => accept(&state, &session, consult_id, multipart, &mut form).await,
        Err(_) => Err(Refused::Error(AppError::BadRequest)),
    };
    let page = format!("/consults/{consult_id}");
    let action = format!("{page}/images");
    upload::answer(caller, outcome, &action, &page, &form, |_| {
        format!("/consults/{consult_id}#images")
    })
}

async fn accept(
    state: &AppState,
    session: &Session,
    consult_id: i64,
    multipart: Multipart,
    form: &mut Form,
) -> Result<i64, Refused> {
    let pool = &state.pool;
    let user = AuthUser::from_session(pool, session).await?;
    let (row, party) = open(pool, consult_id, &user).await?;
    crate::consults::images::may_add(row.state, party).map_err(|refusal| match refusal {
        Refusal::NotYours => {
            AppError::not_allowed("Only the colleague who wrote the consult can add images to it.")
        }
        Refusal::WrongState => AppError::conflict(
            "Images can be added while the consult is a draft, or when the responder asks for \
             more information.",
        ),
    })?;
    verified_clinician(&user)?;
    upload::read(multipart, state.media.max_bytes, form).await?;
    // The scanner that reads the consult's text, with the requester's overrides for it.
    let texts = [
        ("alt_text", form.alt_text.as_str()),
        ("caption", form.caption.as_str()),
    ];
    let findings = open_findings(pool, consult_id, user.id, &texts).await?;
    if !findings.is_empty() {
        tracing::info!(
            consult_id,
            findings = findings.len(),
            "consult image refused by the privacy guard"
        );
        let (field, message) = upload::privacy_message(
            &findings,
            "A consult is about a de-identified patient: remove it and upload again.",
        );
        return Err(Refused::Private(field, message));
    }

    let bytes = std::mem::take(&mut form.bytes);
    let stored =
        upload::process_and_store(&state.media, &format!("consults/{consult_id}"), bytes).await?;
    let inserted = images::insert(
        pool,
        &NewConsultImage {
            consult_id,
            alt_text: &form.alt_text,
            caption: &form.caption,
            content_type: stored.content_type,
            width: stored.width,
            height: stored.height,
            display_key: &stored.display_key,
            thumb_key: &stored.thumb_key,
            display_bytes: stored.display_bytes,
            uploaded_by: user.id,
        },
    )
    .await;
    match inserted {
        Ok(Some(id)) => {
            tracing::info!(consult_id, image_id = id, "consult image uploaded");
            Ok(id)
        }
        Ok(None) => {
            stored.discard(&state.media).await;
            Err(AppError::conflict(
                "This consult changed while the image was uploading (it was sent or ended): \
                 images can no longer be added.",
            )
            .into())
        }
        Err(error) => {
            stored.discard(&state.media).await;
            Err(error.into())
        }
    }
}

async fn serve(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, size)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let thumb = upload::thumb_asked(&size)?;
    let (key, content_type) = images::rendition(&state.pool, id, user.id, thumb)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(upload::rendition_file(&state.media, &key, &content_type).await)
}

/// Lines per round trip while exporting.
const EXPORT_BATCH: i64 = 500;

pub const EXPORT_COLUMNS: [&str; 11] = [
    "id",
    "submitted",
    "accepted",
    "answered",
    "closed",
    "urgency",
    "state",
    "hours_to_acknowledge",
    "hours_to_answer",
    "within_target",
    "outcome",
];

#[derive(serde::Deserialize, Default)]
struct PoolQuery {
    department: Option<i64>,
    from: Option<String>,
    to: Option<String>,
}

async fn pool_csv(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<PoolQuery>,
) -> Result<Response, AppError> {
    let department = match (user.role, query.department) {
        (Role::SiteAdmin, Some(d)) => d,
        (Role::SiteAdmin, None) => return Err(AppError::NotFound),
        _ => user.department_id.ok_or(AppError::Forbidden)?,
    };
    guard::admin_of_department(&user, department)?;
    crate::department::department_name(&state.pool, department).await?;
    let (from, to) = period(
        query.from.as_deref(),
        query.to.as_deref(),
        crate::cme::api::today(),
    );
    let pool = state.pool.clone();
    csv_stream(
        "corridor-consult-pool.csv",
        &EXPORT_COLUMNS,
        move |after: Option<i64>| {
            let pool = pool.clone();
            async move {
                let rows = export_batch(&pool, department, from, to, after, EXPORT_BATCH).await?;
                let next = (rows.len() as i64 == EXPORT_BATCH)
                    .then(|| rows.last().map(|r| r.id))
                    .flatten();
                Ok((rows.into_iter().map(line).collect(), next))
            }
        },
    )
    .await
}

fn line(r: ExportRow) -> Vec<String> {
    let at = |d: Option<DateTime<Utc>>| d.map(|d| d.to_rfc3339()).unwrap_or_default();
    let hours = |h: Option<f64>| h.map(|h| format!("{h:.1}")).unwrap_or_default();
    vec![
        r.id.to_string(),
        at(r.submitted_at),
        at(r.accepted_at),
        at(r.answered_at),
        at(r.ended_at),
        r.urgency.as_str().to_owned(),
        r.state.as_str().to_owned(),
        hours(r.ack_hours),
        hours(r.answer_hours),
        r.within_target
            .map(|w| if w { "yes" } else { "no" }.to_owned())
            .unwrap_or_default(),
        r.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default(),
    ]
}
