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

/// An assignment as the home page reads it (as JSON); overdue is decided against today's date.
#[cfg(feature = "ssr")]
#[derive(Debug, Deserialize)]
pub struct AssignmentRecord {
    id: i64,
    case_id: i64,
    title: String,
    full_name: String,
    due_on: NaiveDate,
    completed: bool,
}

#[cfg(feature = "ssr")]
impl AssignmentRecord {
    pub fn into_row(self, today: NaiveDate) -> AssignmentRow {
        AssignmentRow {
            overdue: !self.completed && self.due_on < today,
            id: self.id,
            case_id: self.case_id,
            title: self.title,
            assignee: self.full_name,
            due_on: self.due_on,
            completed: self.completed,
        }
    }
}

/// One module assigned with one due date, summed over the department's people: a department
/// of thousands sees a line per assignment round, not a line per person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedModule {
    pub case_id: i64,
    pub title: String,
    pub due_on: NaiveDate,
    pub assigned: i64,
    pub completed: i64,
    /// Not completed and past the due date.
    pub overdue: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub department: String,
    /// How many people the department has (whatever the filter).
    pub member_count: i64,
    /// One page of members, by name, that pass the filter.
    pub members: Vec<MemberProgress>,
    /// Where the next page starts (`after` of `get_dashboard`), when there is one.
    pub next: Option<String>,
    pub assignments: Vec<AssignedModule>,
    /// One page of the external claims queue (pending first, or those of one status).
    pub claims: Vec<Claim>,
    /// Where the next page of claims starts (`claims_after` of `get_dashboard`).
    pub claims_next: Option<String>,
    /// Modules that can be assigned: (case id, title).
    pub modules: Vec<(i64, String)>,
}

/// How many members a dashboard page lists.
pub const MEMBERS_PER_PAGE: usize = 50;

/// Which members a dashboard lists: a role, a status label, and where the page starts.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    pub role: Option<Role>,
    pub status: Option<String>,
    /// The last member of the previous page: (name, id).
    pub after: Option<(String, i64)>,
}

/// How many external claims a dashboard page lists.
pub const CLAIMS_PER_PAGE: i64 = 20;

/// Which external claims the dashboard lists: those waiting (the default), those of one
/// decided status, or all of them, waiting first.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    /// `None`: every status.
    pub status: Option<crate::cme::ClaimStatus>,
    /// The last claim of the previous page (from `Dashboard::claims_next`).
    pub after: Option<String>,
}

impl ClaimFilter {
    /// The filter a link asks for: "" (or nothing) for claims waiting, "all", or a status.
    pub fn parse(status: Option<&str>, after: Option<String>) -> Self {
        use crate::cme::ClaimStatus;
        let status = match status.map(str::trim).unwrap_or("") {
            "all" => None,
            other => Some(ClaimStatus::parse(other).unwrap_or(ClaimStatus::Pending)),
        };
        ClaimFilter { status, after }
    }
}

/// Members of a department with their credit this cycle, by name, up to `limit` that pass the
/// filter, and whether more follow. Members are read and evaluated a batch at a time with one
/// query for the batch's credit, so a department of thousands costs a few queries, not one
/// per person. Without a status filter one batch is the page (and one more, to know whether
/// more follow); a status filter reads on in larger batches until the page is full.
#[cfg(feature = "ssr")]
pub async fn member_progress(
    pool: &sqlx::PgPool,
    department: i64,
    filter: &MemberFilter,
    limit: usize,
) -> Result<(Vec<MemberProgress>, bool), AppError> {
    let batch: i64 = if filter.status.is_some() {
        200
    } else {
        limit.saturating_add(1).min(200) as i64
    };
    let today = crate::cme::api::today();
    let profiles = crate::cme::profiles(pool).await?;
    let mut after = filter.after.clone();
    let mut members = Vec::new();
    loop {
        let (after_name, after_id) = after.clone().unzip();
        let rows = sqlx::query!(
            r#"
            select id, full_name, email, role as "role: Role", cme_profile_id,
                   cme_cycle_start as "start: NaiveDate"
            from users
            where department_id = $1
              and ($2::user_role is null or role = $2)
              and ($3::text is null or (full_name, id) > ($3, $4))
            order by full_name, id
            limit $5
            "#,
            department,
            filter.role as Option<Role>,
            after_name,
            after_id.unwrap_or(0),
            batch
        )
        .fetch_all(pool)
        .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut credit = crate::cme::cycle_entries(pool, &ids).await?;
        let exhausted = (rows.len() as i64) < batch;
        for r in rows {
            after = Some((r.full_name.clone(), r.id));
            let profile = r
                .cme_profile_id
                .and_then(|id| profiles.iter().find(|(p, _)| *p == id))
                .map(|(_, p)| p);
            let member = match (profile, r.start) {
                (Some(profile), Some(start)) => {
                    let entries = credit.remove(&r.id).unwrap_or_default();
                    let progress = crate::cme::rules::evaluate(profile, start, &entries, today);
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
            if filter.status.as_ref().is_some_and(|s| *s != member.status) {
                continue;
            }
            if members.len() == limit {
                return Ok((members, true));
            }
            members.push(member);
        }
        if exhausted {
            return Ok((members, false));
        }
    }
}

/// One page of a department's dashboard. `modules` is left empty: which modules may be
/// assigned depends on who asks (see `get_dashboard`).
#[cfg(feature = "ssr")]
pub async fn dashboard(
    pool: &sqlx::PgPool,
    department: i64,
    filter: &MemberFilter,
    claims: &ClaimFilter,
) -> Result<Dashboard, AppError> {
    let claims_after = crate::util::parse_cursor(claims.after.as_deref())?;
    let today = crate::cme::api::today();
    let heading = sqlx::query!(
        r#"
        select i.name || ' · ' || d.name as "name!",
               (select count(*) from users u where u.department_id = d.id) as "members!"
        from departments d join institutions i on i.id = d.institution_id where d.id = $1
        "#,
        department
    )
    .fetch_one(pool)
    .await?;
    let (members, more) = member_progress(pool, department, filter, MEMBERS_PER_PAGE).await?;
    let next = more
        .then(|| {
            members
                .last()
                .map(|m| crate::util::cursor(&m.name, m.user_id))
        })
        .flatten();
    let assignments = sqlx::query_as!(
        AssignedModule,
        r#"
        select q.case_id, c.title, a.due_on as "due_on: NaiveDate", count(*) as "assigned!",
               count(*) filter (where a.done) as "completed!",
               count(*) filter (where not a.done and a.due_on < $2) as "overdue!"
        from (select m.quiz_id, m.due_on,
                     exists (select 1 from quiz_attempts t
                             where t.quiz_id = m.quiz_id and t.user_id = m.user_id and t.passed) as done
              from module_assignments m join users u on u.id = m.user_id
              where u.department_id = $1) a
        join quizzes q on q.id = a.quiz_id
        join cases c on c.id = q.case_id
        group by q.case_id, c.title, a.due_on
        order by a.due_on, c.title
        "#,
        department,
        today
    )
    .fetch_all(pool)
    .await?;
    let (claims, claims_next) = crate::cme::claims_queue(
        pool,
        department,
        claims.status,
        claims_after,
        CLAIMS_PER_PAGE,
    )
    .await?;
    Ok(Dashboard {
        department: heading.name,
        member_count: heading.members,
        members,
        next,
        assignments,
        claims,
        claims_next,
        modules: Vec::new(),
    })
}

/// A page of the caller's department's dashboard, filtered by role and status ("" for all),
/// starting after the cursor `after` (from the previous page's `next`); its claims queue
/// filtered by `claim_status` ("" for those waiting, "all", "approved", "rejected") and
/// starting after `claims_after` (from `claims_next`). A cursor that does not read is a 400.
#[server(endpoint = "department/dashboard")]
#[tracing::instrument(skip_all)]
pub async fn get_dashboard(
    role: String,
    status: String,
    after: Option<String>,
    claim_status: Option<String>,
    claims_after: Option<String>,
) -> Result<Dashboard, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let admin = AuthUser::require(&pool).await?;
    let department = crate::ssr::guard::department_admin(&admin)?;
    let filter = MemberFilter {
        role: Role::parse(role.trim()),
        status: Some(status.trim().to_owned()).filter(|s| !s.is_empty()),
        after: crate::util::parse_cursor(after.as_deref())?,
    };
    let claims = ClaimFilter::parse(claim_status.as_deref(), claims_after);
    let mut dashboard = dashboard(&pool, department, &filter, &claims).await?;
    // Only modules the department can read: no titles of other departments' or draft cases.
    dashboard.modules = crate::quiz::assignable_modules(&pool, admin.id).await?;
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
