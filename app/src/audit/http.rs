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

/// Rows fetched per round trip while exporting (public so tests can export more than one).
pub const BATCH: i64 = 1000;

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
    let action = action.map(str::to_owned);
    let pool = state.pool.clone();
    // Newest first, a batch at a time, keyset by (time, id) as the log's pages are.
    crate::ssr::respond::csv_stream(
        "corridor-audit-log.csv",
        &[
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
        ],
        move |before| {
            let (pool, action) = (pool.clone(), action.clone());
            async move {
                let entries = audit::page(&pool, scope, action.as_deref(), before, BATCH).await?;
                let after = if entries.len() as i64 == BATCH {
                    entries.last().map(|e| (e.at, e.id))
                } else {
                    None
                };
                let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
                let rows = entries
                    .into_iter()
                    .map(|e| {
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
                    })
                    .collect();
                Ok((rows, after))
            }
        },
    )
    .await
}
