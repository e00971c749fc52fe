//! Joining: domain rules, membership events, address verification, requests and their decisions, invitations, leaving.

use super::*;

/// Whether `email`'s domain (or a parent domain of it) belongs to the department's institution
/// and that institution lets such addresses join without approval.
pub async fn domain_admits(
    db: &mut sqlx::PgConnection,
    email: &str,
    department_id: i64,
) -> Result<bool, AppError> {
    let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    Ok(sqlx::query_scalar!(
        r#"
        select exists(
            select 1 from departments d
            join institutions i on i.id = d.institution_id
            join institution_domains dom on dom.institution_id = i.id
            where d.id = $1 and i.join_policy = 'domain'
              and ($2 = dom.domain or $2 like '%.' || dom.domain)
        ) as "admits!"
        "#,
        department_id,
        domain
    )
    .fetch_one(&mut *db)
    .await?)
}

pub async fn add_event(
    db: &mut sqlx::PgConnection,
    user_id: Option<i64>,
    department_id: i64,
    event: EventKind,
    reason: Option<&str>,
    actor: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        insert into membership_events (user_id, department_id, event, reason, actor_id)
        values ($1, $2, $3, $4, $5)
        "#,
        user_id,
        department_id,
        event as EventKind,
        reason,
        actor
    )
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// What verifying an address led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// Verified; no department was requested.
    Address,
    /// Verified, and the requested department was joined by the institution's domain.
    Joined(i64),
    /// Verified; the department request waits for its admin.
    Waiting(i64),
}

/// Marks the account's address verified and, when the institution's domain allows it, turns
/// the pending department request into membership.
pub async fn verify_email(tx: &mut sqlx::PgConnection, user_id: i64) -> Result<Verified, AppError> {
    let row = sqlx::query!(
        r#"
        update users set email_verified_at = coalesce(email_verified_at, now())
        where id = $1
        returning email, requested_department_id
        "#,
        user_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let Some(department) = row.requested_department_id else {
        return Ok(Verified::Address);
    };
    if domain_admits(tx, &row.email, department).await? {
        sqlx::query!(
            r#"
            update users set department_id = requested_department_id, requested_department_id = null
            where id = $1 and requested_department_id = $2
            "#,
            user_id,
            department
        )
        .execute(&mut *tx)
        .await?;
        add_event(
            tx,
            Some(user_id),
            department,
            EventKind::JoinedByDomain,
            None,
            None,
        )
        .await?;
        Ok(Verified::Joined(department))
    } else {
        Ok(Verified::Waiting(department))
    }
}

/// Requests for a department (or every department, for a site admin) whose address is verified.
pub async fn pending(
    pool: &PgPool,
    department: Option<i64>,
) -> Result<Vec<MembershipRequest>, AppError> {
    Ok(sqlx::query_as!(
        MembershipRequest,
        r#"
        select u.id as user_id, u.full_name, u.email, u.designation,
               u.medical_council, u.registration_number,
               d.id as department_id, (i.name || ' · ' || d.name) as "department!",
               (select max(e.at) from membership_events e
                 where e.user_id = u.id and e.department_id = d.id and e.event = 'requested')
                 as "requested_at: DateTime<Utc>"
        from users u
        join departments d on d.id = u.requested_department_id
        join institutions i on i.id = d.institution_id
        where u.email_verified_at is not null and u.deactivated_at is null
          and ($1::bigint is null or d.id = $1)
        order by u.created_at, u.id
        "#,
        department
    )
    .fetch_all(pool)
    .await?)
}

/// The department a user asked to join, if the request is open.
pub async fn requested_department(pool: &PgPool, user_id: i64) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar!(
        "select requested_department_id from users where id = $1",
        user_id
    )
    .fetch_optional(pool)
    .await?
    .flatten())
}

/// Approves or declines the open request of `user_id` for `department`. Only an open request
/// for that department is decided (two admins clicking at once decide it once).
pub async fn decide(
    tx: &mut sqlx::PgConnection,
    user_id: i64,
    department: i64,
    approve: bool,
    reason: Option<&str>,
    actor: i64,
) -> Result<(), AppError> {
    let done = if approve {
        sqlx::query!(
            r#"
            update users set department_id = requested_department_id, requested_department_id = null
            where id = $1 and requested_department_id = $2 and email_verified_at is not null
            "#,
            user_id,
            department
        )
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query!(
            r#"
            update users set requested_department_id = null
            where id = $1 and requested_department_id = $2
            "#,
            user_id,
            department
        )
        .execute(&mut *tx)
        .await?
    };
    crate::ssr::db::changed(done, || {
        AppError::conflict(
            "This request was already decided or withdrawn. Reload the page to see the current list.",
        )
    })?;
    let event = if approve {
        EventKind::Approved
    } else {
        EventKind::Declined
    };
    add_event(tx, Some(user_id), department, event, reason, Some(actor)).await
}

/// Asks to join a department (replacing any open request). Leaves current membership alone.
pub async fn request(
    tx: &mut sqlx::PgConnection,
    user_id: i64,
    department: i64,
) -> Result<(), AppError> {
    sqlx::query!(
        "update users set requested_department_id = $2 where id = $1",
        user_id,
        department
    )
    .execute(&mut *tx)
    .await?;
    add_event(
        tx,
        Some(user_id),
        department,
        EventKind::Requested,
        None,
        Some(user_id),
    )
    .await
}

/// Ends a membership (leaving, or removal by an admin); access ends with it.
pub async fn end_membership(
    tx: &mut sqlx::PgConnection,
    user_id: i64,
    actor: i64,
    reason: Option<&str>,
) -> Result<i64, AppError> {
    let department = sqlx::query_scalar!(
        r#"
        update users u set department_id = null
        from users old
        where u.id = $1 and old.id = u.id and old.department_id is not null
        returning old.department_id as "department!"
        "#,
        user_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::conflict("This person is not a member of a department."))?;
    let event = if actor == user_id {
        EventKind::Left
    } else {
        EventKind::Removed
    };
    add_event(tx, Some(user_id), department, event, reason, Some(actor)).await?;
    Ok(department)
}

/// Joins by invitation: the invited address is verified by following the link.
pub async fn join_by_invitation(
    tx: &mut sqlx::PgConnection,
    user_id: i64,
    department: i64,
    invited_by: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        update users set department_id = $2, email_verified_at = coalesce(email_verified_at, now()),
               requested_department_id = case when requested_department_id = $2 then null
                                              else requested_department_id end
        where id = $1
        "#,
        user_id,
        department
    )
    .execute(&mut *tx)
    .await?;
    add_event(
        tx,
        Some(user_id),
        department,
        EventKind::JoinedByInvitation,
        None,
        invited_by,
    )
    .await
}
