//! `GET /admin/audit.csv?action=…`: the audit log as CSV, for site admins (everything) and
//! department admins (their department's entries).

use crate::audit::api::audit_scope;
use crate::error::AppError;
use crate::ssr::auth::AuthUser;
use crate::ssr::{audit, AppState};
use axum::{
    extract::{Query, State},
    response::Response,
    routing::get,
    Router,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/audit.csv", get(audit_csv))
}

#[derive(serde::Deserialize)]
struct Filter {
    action: Option<String>,
}

/// Rows fetched per round trip while exporting.
const BATCH: i64 = 1000;

async fn audit_csv(
    State(state): State<AppState>,
    user: AuthUser,
    Query(filter): Query<Filter>,
) -> Result<Response, AppError> {
    let scope = audit_scope(&user)?;
    let action = filter.action.as_deref().map(str::trim).filter(|a| {
        !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_lowercase() || "._".contains(c))
    });
    let mut rows = vec![[
        "id",
        "at",
        "action",
        "actor_id",
        "actor",
        "subject_user_id",
        "subject",
        "department_id",
        "target",
        "detail",
        "ip",
        "request_id",
    ]
    .map(str::to_owned)
    .to_vec()];
    let mut before = None;
    loop {
        let entries = audit::page(&state.pool, scope, action, before, BATCH).await?;
        let done = (entries.len() as i64) < BATCH;
        before = entries.last().map(|e| (e.at, e.id));
        let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        rows.extend(entries.into_iter().map(|e| {
            vec![
                e.id.to_string(),
                e.at.to_rfc3339(),
                e.action,
                opt(e.actor_id),
                e.actor_name.unwrap_or_default(),
                opt(e.subject_user_id),
                e.subject_name.unwrap_or_default(),
                opt(e.department_id),
                e.target.unwrap_or_default(),
                e.detail.unwrap_or_default(),
                e.ip.unwrap_or_default(),
                e.request_id.unwrap_or_default(),
            ]
        }));
        if done {
            break;
        }
    }
    Ok(crate::ssr::respond::csv_response(
        "corridor-audit-log.csv",
        rows,
    ))
}
