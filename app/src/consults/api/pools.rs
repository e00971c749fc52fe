//! Consult pools: a department admin (or a site admin) makes the department take consults, sets
//! its targets and names its responders.

use super::*;
use crate::consults::Pool;

/// A department's pool, for its admin; "not found" until the department takes consults.
#[server(endpoint = "consults/pool")]
#[tracing::instrument(skip_all, fields(department_id))]
pub async fn get_pool(department_id: i64) -> Result<Pool, AppError> {
    use crate::ssr::guard;
    let pool = crate::ssr::pool()?;
    let user = AuthUser::require(&pool).await?;
    guard::admin_of_department(&user, department_id)?;
    crate::consults::db::pool(&pool, department_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Makes a department take consults (or stop), with its answer targets per urgency and its
/// acknowledgement time, in hours.
#[server(endpoint = "consults/pool-settings")]
#[tracing::instrument(skip_all, fields(department_id))]
pub async fn set_pool(
    department_id: i64,
    accepting: Option<String>,
    routine_hours: String,
    soon_hours: String,
    ack_hours: String,
) -> Result<(), AppError> {
    use crate::error::FieldErrors;
    use crate::ssr::audit::{self, Event};
    use crate::ssr::guard;
    let pool = crate::ssr::pool()?;
    let user = AuthUser::require(&pool).await?;
    guard::admin_of_department(&user, department_id)?;
    crate::department::department_name(&pool, department_id).await?;
    let mut errors = FieldErrors::new();
    let mut hours = |field: &str, raw: &str| {
        let parsed = raw
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|h| (1..=720).contains(h));
        if parsed.is_none() {
            errors.add(field, "Give a whole number of hours from 1 to 720.");
        }
        parsed.unwrap_or_default()
    };
    let routine = hours("routine_hours", &routine_hours);
    let soon = hours("soon_hours", &soon_hours);
    let ack = hours("ack_hours", &ack_hours);
    if errors.is_empty() && soon > routine {
        errors.add("soon_hours", "'Soon' cannot take longer than 'routine'.");
    }
    errors.into_result()?;
    let accepting = matches!(accepting.as_deref(), Some("yes" | "on" | "true"));
    crate::consults::db::set_pool(&pool, department_id, accepting, routine, soon, ack).await?;
    audit::record(
        &pool,
        Event::new("consults.pool_settings")
            .actor(user.id)
            .department(Some(department_id))
            .detail(format!(
                "accepting {accepting}, routine {routine} h, soon {soon} h, acknowledge {ack} h"
            )),
    )
    .await?;
    Ok(())
}

/// Names (or, with `add` false, removes) a responder of the department's pool: a member of
/// the department.
#[server(endpoint = "consults/pool-responder")]
#[tracing::instrument(skip_all, fields(department_id, user_id))]
pub async fn set_pool_responder(
    department_id: i64,
    user_id: i64,
    add: bool,
) -> Result<(), AppError> {
    use crate::ssr::audit::{self, Event};
    use crate::ssr::guard;
    let pool = crate::ssr::pool()?;
    let admin = AuthUser::require(&pool).await?;
    guard::admin_of_department(&admin, department_id)?;
    if crate::consults::db::pool(&pool, department_id)
        .await?
        .is_none()
    {
        return Err(AppError::conflict(
            "Set the department up to take consults first (its targets), then name responders.",
        ));
    }
    let changed =
        crate::consults::db::set_responder(&pool, department_id, user_id, add, admin.id).await?;
    if add && !changed {
        return Err(AppError::field(
            "user_id",
            "Responders are members of the department (or already named).",
        ));
    }
    audit::record(
        &pool,
        Event::new(if add {
            "consults.responder_added"
        } else {
            "consults.responder_removed"
        })
        .actor(admin.id)
        .subject(user_id)
        .department(Some(department_id)),
    )
    .await?;
    Ok(())
}
