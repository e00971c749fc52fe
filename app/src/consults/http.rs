//! The pool's export: one line per consult sent in the period, with its dates, hours and
//! outcome, and no clinical text. For the department's admin (or a site admin), as the pool
//! page is.

use crate::accounts::Role;
use crate::consults::api::period;
use crate::consults::db::stats::{export_batch, ExportRow};
use crate::error::AppError;
use crate::ssr::auth::AuthUser;
use crate::ssr::respond::csv_stream;
use crate::ssr::{guard, AppState};
use axum::{
    extract::{Query, State},
    response::Response,
    routing::get,
    Router,
};
use chrono::{DateTime, Utc};

pub fn routes() -> Router<AppState> {
    Router::new().route("/department/consults.csv", get(pool_csv))
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
