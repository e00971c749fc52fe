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
            "Responders are verified members of the department (or already named).",
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

/// The pool page: the department's pool (if any), members who could respond, and the
/// statistics of consults sent from `from` to `to` (dates, `YYYY-MM-DD`; the last 90 days by
/// default). A site admin picks the `department`; a department admin sees their own.
#[server(endpoint = "consults/pool-page")]
#[tracing::instrument(skip_all, fields(department))]
pub async fn get_pool_page(
    department: Option<i64>,
    from: Option<String>,
    to: Option<String>,
) -> Result<crate::consults::people::PoolPage, AppError> {
    use crate::accounts::Role;
    use crate::consults::db;
    use crate::consults::people::PoolPage;
    use crate::ssr::guard;
    let pool = crate::ssr::pool()?;
    let user = AuthUser::require(&pool).await?;
    let departments = if user.role == Role::SiteAdmin {
        db::stats::departments(&pool).await?
    } else {
        Vec::new()
    };
    let department_id = match (user.role, department) {
        (Role::SiteAdmin, Some(d)) => d,
        (Role::SiteAdmin, None) => departments.first().map(|d| d.0).ok_or(AppError::NotFound)?,
        _ => user.department_id.ok_or(AppError::Forbidden)?,
    };
    guard::admin_of_department(&user, department_id)?;
    let name = crate::department::department_name(&pool, department_id).await?;
    let (from, to) = period(from.as_deref(), to.as_deref(), crate::cme::api::today());
    Ok(PoolPage {
        department_id,
        department: name,
        departments,
        pool: db::pool(&pool, department_id).await?,
        candidates: db::stats::responder_candidates(&pool, department_id).await?,
        stats: db::stats::pool_stats(&pool, department_id, from, to).await?,
        may_open: user.role == Role::DepartmentAdmin && user.department_id == Some(department_id),
    })
}

/// The period a pool page or export asks for: dates as typed, in order; a missing or
/// unreadable end is today, a missing start 90 days before the end; at most two years.
pub fn period(
    from: Option<&str>,
    to: Option<&str>,
    today: chrono::NaiveDate,
) -> (chrono::NaiveDate, chrono::NaiveDate) {
    use crate::consults::people::{DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS};
    use chrono::{Days, NaiveDate};
    let date =
        |raw: Option<&str>| raw.and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok());
    let to = date(to).unwrap_or(today);
    let from = date(from).unwrap_or(to - Days::new(DEFAULT_PERIOD_DAYS as u64));
    let (from, to) = if from <= to { (from, to) } else { (to, from) };
    let earliest = to - Days::new(MAX_PERIOD_DAYS as u64);
    (from.max(earliest), to)
}

#[cfg(test)]
mod tests {
    use super::period;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_period_defaults_to_ninety_days_orders_and_is_bounded() {
        let today = d("2026-11-26");
        assert_eq!(period(None, None, today), (d("2026-08-28"), today));
        assert_eq!(
            period(Some("2026-11-01"), Some("2026-10-01"), today),
            (d("2026-10-01"), d("2026-11-01"))
        );
        assert_eq!(period(Some("nonsense"), Some(""), today).1, today);
        assert_eq!(
            period(Some("2000-01-01"), None, today),
            (d("2024-11-25"), today)
        );
    }
}
