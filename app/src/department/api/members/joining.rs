//! Members and requests: the list, decisions, invitations, asking to join, leaving.

use super::*;

/// The members page: open requests and a page of members. A department admin always sees their
/// own department; a site admin picks one (`department`, defaulting to the first).
#[server(endpoint = "department/members")]
#[tracing::instrument(skip_all)]
pub async fn get_members(
    department: Option<i64>,
    after: Option<String>,
) -> Result<MembersPage, AppError> {
    use crate::accounts::Role;
    use crate::department::db as m;
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let departments: Vec<(i64, String)> = if user.role == Role::SiteAdmin {
        sqlx::query!(
            r#"select d.id, (i.name || ' · ' || d.name) as "name!" from departments d
               join institutions i on i.id = d.institution_id order by i.name, d.name"#
        )
        .fetch_all(&pool)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect()
    } else {
        Vec::new()
    };
    let department_id = match (user.role, department) {
        (Role::SiteAdmin, Some(d)) => d,
        (Role::SiteAdmin, None) => departments.first().map(|d| d.0).ok_or(AppError::NotFound)?,
        _ => user.department_id.ok_or(AppError::Forbidden)?,
    };
    guard::admin_of_department(&user, department_id)?;
    let name = m::department_name(&pool, department_id).await?;
    let after = after.as_deref().and_then(parse_member_cursor);
    let mut members = m::members(
        &pool,
        department_id,
        after.as_ref().map(|(n, id)| (n.as_str(), *id)),
        MEMBERS_PER_PAGE + 1,
    )
    .await?;
    let next = if members.len() as i64 > MEMBERS_PER_PAGE {
        members.truncate(MEMBERS_PER_PAGE as usize);
        members.last().map(member_cursor)
    } else {
        None
    };
    Ok(MembersPage {
        department_id,
        department: name,
        requests: m::pending(&pool, Some(department_id)).await?,
        members,
        next,
        departments,
    })
}

/// Approves or declines a request to join. A decline needs a reason, which the person is told.
#[server(endpoint = "department/decide-membership")]
#[tracing::instrument(skip_all, fields(user_id, department_id))]
pub async fn decide_membership(
    user_id: i64,
    department_id: i64,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::department::db as m;
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    use crate::ssr::{guard, state};
    let state = state()?;
    let admin = AuthUser::require(&state.pool).await?;
    guard::admin_of_department(&admin, department_id)?;
    let approve = match decision.as_str() {
        "approve" => true,
        "decline" => false,
        _ => return Err(AppError::BadRequest),
    };
    let reason = reason.unwrap_or_default().trim().to_owned();
    if !approve && reason.is_empty() {
        return Err(AppError::field(
            "reason",
            "Say why you decline, in a sentence: the person will be told.",
        ));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::field(
            "reason",
            "Keep the reason to 500 characters.",
        ));
    }
    let mut tx = state.pool.begin().await?;
    m::decide(
        &mut tx,
        user_id,
        department_id,
        approve,
        Some(&reason).filter(|r| !r.is_empty()).map(String::as_str),
        admin.id,
    )
    .await?;
    audit::record(
        &mut *tx,
        Event::new(if approve {
            "membership.approved"
        } else {
            "membership.declined"
        })
        .actor(admin.id)
        .subject(user_id)
        .department(Some(department_id))
        .detail(reason.clone()),
    )
    .await?;
    tx.commit().await?;
    let person = m::standing(&state.pool, user_id).await?;
    let department = m::department_name(&state.pool, department_id).await?;
    state
        .mailer
        .send_later(crate::ssr::mail::messages::decision(
            &person.email,
            &person.full_name,
            &department,
            approve,
            &reason,
        ));
    Ok(())
}

/// Invites a colleague by e-mail: following the link verifies the address and joins the
/// department.
#[server(endpoint = "department/invite")]
#[tracing::instrument(skip_all, fields(department_id))]
pub async fn invite_member(department_id: i64, email: String) -> Result<(), AppError> {
    use crate::department::db::{self as m, Purpose};
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    use crate::ssr::{guard, state};
    let state = state()?;
    let admin = AuthUser::require(&state.pool).await?;
    guard::admin_of_department(&admin, department_id)?;
    let email = email.trim().to_lowercase();
    if !crate::accounts::is_plausible_email(&email) {
        let mut errors = crate::error::FieldErrors::new();
        errors.add(
            "email",
            "Enter the colleague's e-mail address (name@hospital.in).",
        );
        return Err(AppError::Invalid(errors.with_values(&[("email", &email)])));
    }
    m::limit(&state.pool, "invite", &admin.id.to_string(), 50, 60).await?;
    let department = m::department_name(&state.pool, department_id).await?;
    let token = m::create_token(
        &state.pool,
        Purpose::Invite,
        None,
        &email,
        Some(department_id),
        Some(admin.id),
    )
    .await?;
    let mut tx = state.pool.begin().await?;
    m::add_event(
        &mut tx,
        None,
        department_id,
        m::EventKind::Invited,
        Some(&email),
        Some(admin.id),
    )
    .await?;
    audit::record(
        &mut *tx,
        Event::new("membership.invited")
            .actor(admin.id)
            .department(Some(department_id))
            .detail(email.clone()),
    )
    .await?;
    tx.commit().await?;
    let link = format!("{}/invitation?token={token}", state.public_url);
    state
        .mailer
        .send_later(crate::ssr::mail::messages::invitation(
            &email,
            &admin.full_name,
            &department,
            &link,
        ));
    crate::ssr::respond::back_with("invited", "1");
    Ok(())
}

/// What an invitation link is for (anyone holding the link may ask).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub email: String,
    pub department: String,
    /// Whether the invited address already has an account (then: sign in and accept).
    pub registered: bool,
}

#[server(endpoint = "invitation")]
#[tracing::instrument(skip_all)]
pub async fn get_invitation(token: String) -> Result<Invitation, AppError> {
    use crate::department::db as m;
    let pool = crate::ssr::pool()?;
    let grant = m::peek_token(&pool, m::Purpose::Invite, &token).await?;
    let department =
        m::department_name(&pool, grant.department_id.ok_or(AppError::NotFound)?).await?;
    Ok(Invitation {
        registered: crate::accounts::email_taken(&pool, &grant.email).await?,
        email: grant.email,
        department,
    })
}

/// Accepts an invitation with the signed-in account (which must have the invited address).
#[server(endpoint = "accept-invitation")]
#[tracing::instrument(skip_all)]
pub async fn accept_invitation(token: String) -> Result<(), AppError> {
    use crate::department::db::{self as m, Purpose};
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let standing = m::standing(&pool, user.id).await?;
    let mut tx = pool.begin().await?;
    let grant = m::take_token(&mut tx, Purpose::Invite, &token).await?;
    if grant.email != standing.email {
        // The token was just marked used: undo that now, and release its row at once.
        tx.rollback().await?;
        return Err(AppError::conflict(
            "This invitation was sent to another address. Sign in with the invited account.",
        ));
    }
    let department = grant.department_id.ok_or(AppError::NotFound)?;
    m::join_by_invitation(&mut tx, user.id, department, None).await?;
    audit::record(
        &mut *tx,
        Event::new("membership.joined_by_invitation")
            .actor(user.id)
            .subject(user.id)
            .department(Some(department)),
    )
    .await?;
    tx.commit().await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Asks to join a department (after leaving one, or after a decline).
#[server(endpoint = "request-membership")]
#[tracing::instrument(skip_all, fields(department_id))]
pub async fn request_membership(department_id: String) -> Result<(), AppError> {
    use crate::department::db as m;
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    use crate::ssr::pool;
    let department_id: i64 = department_id
        .trim()
        .parse()
        .map_err(|_| AppError::field("department_id", "Choose a department from the list."))?;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    if user.department_id.is_some() {
        return Err(AppError::conflict(
            "You already belong to a department. Leave it first to join another.",
        ));
    }
    m::department_name(&pool, department_id).await?;
    let mut tx = pool.begin().await?;
    m::request(&mut tx, user.id, department_id).await?;
    audit::record(
        &mut *tx,
        Event::new("membership.requested")
            .actor(user.id)
            .subject(user.id)
            .department(Some(department_id)),
    )
    .await?;
    // A verified address at the institution's domain joins at once, as at registration.
    let joined = if user.email_verified {
        matches!(
            m::verify_email(&mut tx, user.id).await?,
            m::Verified::Joined(_)
        )
    } else {
        false
    };
    if joined {
        audit::record(
            &mut *tx,
            Event::new("membership.joined_by_domain")
                .actor(user.id)
                .subject(user.id)
                .department(Some(department_id)),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Leaves one's department: its restricted cases and assignments are out of reach at once.
#[server(endpoint = "leave-department")]
#[tracing::instrument(skip_all)]
pub async fn leave_department() -> Result<(), AppError> {
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let mut tx = pool.begin().await?;
    let department = crate::department::db::end_membership(&mut tx, user.id, user.id, None).await?;
    audit::record(
        &mut *tx,
        Event::new("membership.left")
            .actor(user.id)
            .subject(user.id)
            .department(Some(department)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The department a target person belongs to, checked against the admin's reach. Admins cannot
/// act on themselves or on site admins (only a site admin can act on another admin).
#[cfg(feature = "ssr")]
pub(super) async fn managed_member(
    pool: &sqlx::PgPool,
    admin: &crate::accounts::SessionUser,
    user_id: i64,
) -> Result<crate::department::db::Standing, AppError> {
    use crate::accounts::Role;
    if admin.id == user_id {
        return Err(AppError::conflict(
            "You cannot do this to your own account.",
        ));
    }
    let target = crate::department::db::standing(pool, user_id).await?;
    if admin.role != Role::SiteAdmin {
        let department = target.department_id.ok_or(AppError::NotFound)?;
        crate::ssr::guard::admin_of_department(admin, department)
            .map_err(|_| AppError::NotFound)?;
        let role = sqlx::query_scalar!(
            r#"select role as "role: Role" from users where id = $1"#,
            user_id
        )
        .fetch_one(pool)
        .await?;
        if role == Role::SiteAdmin {
            return Err(AppError::Forbidden);
        }
    }
    Ok(target)
}
