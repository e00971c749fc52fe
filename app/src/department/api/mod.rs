//! The department admin's dashboard: members' credit this cycle against their requirement,
//! module assignments with due dates, pending external claims; and assigning modules.

pub mod members;

use crate::accounts::Role;
use crate::cme::Claim;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::auth::AuthUser;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberProgress {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub profile: Option<String>,
    pub cycle_start: Option<NaiveDate>,
    pub cycle_end: Option<NaiveDate>,
    pub counted: f64,
    pub required: Option<f64>,
    /// "Complete", "On track", "Behind" or "No requirement set".
    pub status: String,
    pub gap: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentRow {
    pub id: i64,
    pub case_id: i64,
    pub title: String,
    pub assignee: String,
    pub due_on: NaiveDate,
    pub completed: bool,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub department: String,
    pub members: Vec<MemberProgress>,
    pub assignments: Vec<AssignmentRow>,
    pub claims: Vec<Claim>,
    /// Modules that can be assigned: (case id, title).
    pub modules: Vec<(i64, String)>,
}

/// The dashboard of a department (used by the page and the CSV export). `modules` is left
/// empty: which modules may be assigned depends on who asks (see `get_dashboard`).
#[cfg(feature = "ssr")]
pub async fn dashboard(pool: &sqlx::PgPool, department: i64) -> Result<Dashboard, AppError> {
    let today = crate::cme::api::today();
    let name = sqlx::query_scalar!(
        "select i.name || ' · ' || d.name from departments d join institutions i on i.id = d.institution_id where d.id = $1",
        department
    )
    .fetch_one(pool)
    .await?
    .unwrap_or_default();
    let profiles = crate::cme::profiles(pool).await?;
    let rows = sqlx::query!(
        r#"
        select id, full_name, email, role as "role: Role", cme_profile_id,
               cme_cycle_start as "start: NaiveDate"
        from users where department_id = $1 order by full_name, id
        "#,
        department
    )
    .fetch_all(pool)
    .await?;
    let mut members = Vec::new();
    for r in rows {
        let profile = r
            .cme_profile_id
            .and_then(|id| profiles.iter().find(|(p, _)| *p == id))
            .map(|(_, p)| p.clone());
        let member = match (profile, r.start) {
            (Some(profile), Some(start)) => {
                let ledger = crate::cme::ledger(pool, r.id).await?;
                let progress = crate::cme::rules::evaluate(
                    &profile,
                    start,
                    &crate::cme::entries(&ledger),
                    today,
                );
                MemberProgress {
                    user_id: r.id,
                    name: r.full_name,
                    email: r.email,
                    role: r.role,
                    profile: Some(profile.name.clone()),
                    cycle_start: Some(start),
                    cycle_end: Some(progress.cycle_end),
                    counted: progress.counted,
                    required: Some(progress.required),
                    status: progress.status.label().to_owned(),
                    gap: progress.gap,
                }
            }
            _ => MemberProgress {
                user_id: r.id,
                name: r.full_name,
                email: r.email,
                role: r.role,
                profile: None,
                cycle_start: None,
                cycle_end: None,
                counted: 0.0,
                required: None,
                status: "No requirement set".into(),
                gap: String::new(),
            },
        };
        members.push(member);
    }
    let assignments = sqlx::query!(
        r#"
        select a.id, q.case_id, c.title, u.full_name, a.due_on as "due_on: NaiveDate",
               exists (select 1 from quiz_attempts t
                       where t.quiz_id = a.quiz_id and t.user_id = a.user_id and t.passed) as "completed!"
        from module_assignments a
        join quizzes q on q.id = a.quiz_id
        join cases c on c.id = q.case_id
        join users u on u.id = a.user_id
        where u.department_id = $1
        order by a.due_on, c.title, u.full_name
        "#,
        department
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| AssignmentRow {
        id: r.id,
        case_id: r.case_id,
        title: r.title,
        assignee: r.full_name,
        due_on: r.due_on,
        completed: r.completed,
        overdue: !r.completed && r.due_on < today,
    })
    .collect();
    Ok(Dashboard {
        department: name,
        members,
        assignments,
        claims: crate::cme::claims(pool, None, Some(department)).await?,
        modules: Vec::new(),
    })
}

/// The dashboard of the caller's department, filtered by role and status ("" for all).
#[server(endpoint = "department/dashboard")]
#[tracing::instrument(skip_all)]
pub async fn get_dashboard(role: String, status: String) -> Result<Dashboard, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let admin = AuthUser::require(&pool).await?;
    let department = crate::ssr::guard::department_admin(&admin)?;
    let mut dashboard = dashboard(&pool, department).await?;
    // Only modules the department can read: no titles of other departments' or draft cases.
    dashboard.modules = crate::quiz::assignable_modules(&pool, admin.id).await?;
    if let Some(role) = Role::parse(role.trim()) {
        dashboard.members.retain(|m| m.role == role);
    }
    let status = status.trim();
    if !status.is_empty() {
        dashboard.members.retain(|m| m.status == status);
    }
    Ok(dashboard)
}

/// Assigns a case's module to every resident of the admin's department, or to one member,
/// with a due date. Assigning again changes the due date.
#[server(endpoint = "department/assign")]
#[tracing::instrument(skip_all, fields(case_id))]
pub async fn assign_module(
    case_id: String,
    assignee: String,
    due_on: String,
) -> Result<u64, AppError> {
    use crate::error::FieldErrors;
    use crate::ssr::pool;
    let pool = pool()?;
    let admin = AuthUser::require(&pool).await?;
    let department = crate::ssr::guard::department_admin(&admin)?;
    let mut errors = FieldErrors::new();
    let case_id = case_id.trim().parse::<i64>().ok();
    // A module the department cannot read is "not found", as its case would be.
    let quiz = match case_id {
        Some(id) => Some(
            crate::quiz::assignable_quiz(&pool, id, admin.id)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    if quiz.is_none() {
        errors.add("case_id", "Choose a module to assign.");
    }
    let due = NaiveDate::parse_from_str(due_on.trim(), "%Y-%m-%d").ok();
    match due {
        None => errors.add("due_on", "Give the date it is due."),
        Some(d) if d < crate::cme::api::today() => {
            errors.add("due_on", "The due date has passed already.")
        }
        _ => {}
    }
    let target = match assignee.trim() {
        "residents" => None,
        other => match other.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add("assignee", "Choose who must complete it.");
                None
            }
        },
    };
    errors.into_result()?;
    let (Some(quiz), Some(due)) = (quiz, due) else {
        return Err(AppError::BadRequest);
    };
    let done = sqlx::query!(
        r#"
        insert into module_assignments (quiz_id, user_id, due_on, assigned_by)
        select $1, u.id, $2, $3 from users u
        where u.department_id = $4
          and (($5::bigint is null and u.role = 'resident') or u.id = $5)
        on conflict (quiz_id, user_id) do update set due_on = excluded.due_on
        "#,
        quiz,
        due as _,
        admin.id,
        department,
        target
    )
    .execute(&pool)
    .await?;
    if target.is_some() && done.rows_affected() == 0 {
        return Err(AppError::field(
            "assignee",
            "That person is not in your department.",
        ));
    }
    tracing::info!(quiz, count = done.rows_affected(), "module assigned");
    crate::ssr::respond::back_with("assigned", &done.rows_affected().to_string());
    Ok(done.rows_affected())
}

/// The modules assigned to the signed-in person, due first.
#[cfg(feature = "ssr")]
pub async fn assigned_to(
    pool: &sqlx::PgPool,
    user_id: i64,
) -> Result<Vec<AssignmentRow>, AppError> {
    let today = crate::cme::api::today();
    Ok(sqlx::query!(
        r#"
        select a.id, q.case_id, c.title, u.full_name, a.due_on as "due_on: NaiveDate",
               exists (select 1 from quiz_attempts t
                       where t.quiz_id = a.quiz_id and t.user_id = a.user_id and t.passed) as "completed!"
        from module_assignments a
        join quizzes q on q.id = a.quiz_id
        join cases c on c.id = q.case_id
        join users u on u.id = a.user_id
        where a.user_id = $1
        order by a.due_on, c.title
        "#,
        user_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| AssignmentRow {
        id: r.id,
        case_id: r.case_id,
        title: r.title,
        assignee: r.full_name,
        due_on: r.due_on,
        completed: r.completed,
        overdue: !r.completed && r.due_on < today,
    })
    .collect())
}
