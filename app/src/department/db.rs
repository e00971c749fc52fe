//! Membership: e-mail verification, joining a department (by domain, approval or invitation),
//! leaving, removal, deactivation, the registration-number check, and the single-use tokens
//! sent by mail.
//!
//! `users.department_id` is the verified membership; `users.requested_department_id` holds a
//! request until it is decided. Every decision is kept in `membership_events`.

use crate::department::{InstitutionDomains, JoinPolicy, Member, MembershipRequest};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// What a token is for; the same strings as the SQL enum `email_token_purpose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "email_token_purpose", rename_all = "snake_case")]
pub enum Purpose {
    Verify,
    Reset,
    Invite,
}

impl Purpose {
    /// How long a link stays valid.
    pub fn lifetime_hours(self) -> i32 {
        match self {
            Purpose::Verify => 72,
            Purpose::Reset => 1,
            Purpose::Invite => 14 * 24,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "membership_event", rename_all = "snake_case")]
pub enum EventKind {
    Requested,
    JoinedByDomain,
    Approved,
    Declined,
    Invited,
    JoinedByInvitation,
    Left,
    Removed,
}

/// A fresh random token (256 bits, hex) for a link; only its hash is stored.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.trim().as_bytes()).to_vec()
}

/// Stores a token for a link and returns the token to put in the mail.
pub async fn create_token(
    pool: &PgPool,
    purpose: Purpose,
    user_id: Option<i64>,
    email: &str,
    department_id: Option<i64>,
    created_by: Option<i64>,
) -> Result<String, AppError> {
    let token = new_token();
    sqlx::query!(
        r#"
        insert into email_tokens (token_hash, purpose, user_id, email, department_id, created_by,
                                  expires_at)
        values ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))
        "#,
        hash(&token),
        purpose as Purpose,
        user_id,
        email,
        department_id,
        created_by,
        purpose.lifetime_hours()
    )
    .execute(pool)
    .await?;
    Ok(token)
}

/// What a token stood for.
#[derive(Debug, Clone)]
pub struct TokenGrant {
    pub user_id: Option<i64>,
    pub email: String,
    pub department_id: Option<i64>,
}

/// Uses a token once: the first caller gets its grant, every later caller (and any caller after
/// it expired) gets a clear "this link is no longer valid".
pub async fn take_token(
    tx: &mut sqlx::PgConnection,
    purpose: Purpose,
    token: &str,
) -> Result<TokenGrant, AppError> {
    let row = sqlx::query!(
        r#"
        update email_tokens set used_at = now()
        where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now()
        returning user_id, email, department_id
        "#,
        hash(token),
        purpose as Purpose
    )
    .fetch_optional(&mut *tx)
    .await?;
    row.map(|r| TokenGrant {
        user_id: r.user_id,
        email: r.email,
        department_id: r.department_id,
    })
    .ok_or_else(expired_link)
}

/// Reads a token without using it (to show what an invitation is for).
pub async fn peek_token(
    pool: &PgPool,
    purpose: Purpose,
    token: &str,
) -> Result<TokenGrant, AppError> {
    let row = sqlx::query!(
        r#"
        select user_id, email, department_id from email_tokens
        where token_hash = $1 and purpose = $2 and used_at is null and expires_at > now()
        "#,
        hash(token),
        purpose as Purpose
    )
    .fetch_optional(pool)
    .await?;
    row.map(|r| TokenGrant {
        user_id: r.user_id,
        email: r.email,
        department_id: r.department_id,
    })
    .ok_or_else(expired_link)
}

pub fn expired_link() -> AppError {
    AppError::field(
        "token",
        "This link has expired or was already used. Ask for a new one.",
    )
}

/// Counts one request of `kind` from `key` and refuses it when more than `max` were made in the
/// last `window_minutes`. Counting first and checking after makes concurrent requests see each
/// other, so a burst cannot slip past the limit together.
pub async fn limit(
    pool: &PgPool,
    kind: &str,
    key: &str,
    max: i64,
    window_minutes: i32,
) -> Result<(), AppError> {
    sqlx::query!(
        "insert into request_limits (kind, key) values ($1, $2)",
        kind,
        key
    )
    .execute(pool)
    .await?;
    let row = sqlx::query!(
        r#"
        select count(*) as "n!", min(at) as "oldest: DateTime<Utc>"
        from request_limits
        where kind = $1 and key = $2 and at > now() - make_interval(mins => $3)
        "#,
        kind,
        key,
        window_minutes
    )
    .fetch_one(pool)
    .await?;
    if row.n > max {
        let wait = row
            .oldest
            .map(|oldest| {
                (oldest + chrono::Duration::minutes(window_minutes.into()) - Utc::now())
                    .num_minutes()
                    + 1
            })
            .unwrap_or(window_minutes.into());
        tracing::warn!(kind, "request limit reached");
        return Err(AppError::RateLimited {
            minutes: wait.clamp(1, i64::from(window_minutes)) as u32,
        });
    }
    Ok(())
}

pub async fn prune_limits(pool: &PgPool) -> Result<u64, AppError> {
    Ok(
        sqlx::query!("delete from request_limits where at < now() - interval '1 day'")
            .execute(pool)
            .await?
            .rows_affected(),
    )
}

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
    if done.rows_affected() == 0 {
        return Err(AppError::conflict(
            "This request was already decided or withdrawn. Reload the page to see the current list.",
        ));
    }
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

/// Deactivates or reactivates an account. Deactivation ends every session at once.
pub async fn set_active(
    tx: &mut sqlx::PgConnection,
    user_id: i64,
    active: bool,
    actor: i64,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let done = if active {
        sqlx::query!(
            r#"
            update users set deactivated_at = null, deactivated_by = null, deactivation_reason = null
            where id = $1 and deactivated_at is not null
            "#,
            user_id
        )
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query!(
            r#"
            update users set deactivated_at = now(), deactivated_by = $2, deactivation_reason = $3,
                   session_epoch = session_epoch + 1
            where id = $1 and deactivated_at is null
            "#,
            user_id,
            actor,
            reason
        )
        .execute(&mut *tx)
        .await?
    };
    if done.rows_affected() == 0 {
        return Err(AppError::conflict(if active {
            "This account is already active."
        } else {
            "This account is already deactivated."
        }));
    }
    Ok(())
}

/// Records that a department admin checked the council registration number.
pub async fn verify_registration(
    tx: &mut sqlx::PgConnection,
    user_id: i64,
    actor: i64,
) -> Result<(), AppError> {
    let done = sqlx::query!(
        r#"
        update users set registration_verified_at = now(), registration_verified_by = $2
        where id = $1 and registration_number is not null
        "#,
        user_id,
        actor
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::conflict(
            "This person has not given a registration number yet.",
        ));
    }
    Ok(())
}

/// Sets a new password and ends every session of the account (the caller starts a fresh one).
/// Following the reset link also proves the address.
pub async fn reset_password(
    tx: &mut sqlx::PgConnection,
    user_id: i64,
    password_hash: &str,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        update users set password_hash = $2, session_epoch = session_epoch + 1,
               email_verified_at = coalesce(email_verified_at, now())
        where id = $1
        "#,
        user_id,
        password_hash
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Members of a department, a page at a time (by name), with what an admin needs to see.
pub async fn members(
    pool: &PgPool,
    department: i64,
    after_name: Option<(&str, i64)>,
    limit: i64,
) -> Result<Vec<Member>, AppError> {
    let (after, after_id) = after_name.unzip();
    Ok(sqlx::query_as!(
        Member,
        r#"
        select u.id, u.full_name, u.email, u.role as "role: crate::accounts::Role",
               u.designation, u.medical_council, u.registration_number,
               u.registration_verified_at as "registration_verified_at: DateTime<Utc>",
               u.deactivated_at as "deactivated_at: DateTime<Utc>"
        from users u
        where u.department_id = $1
          and ($2::text is null or (u.full_name, u.id) > ($2, $3))
        order by u.full_name, u.id
        limit $4
        "#,
        department,
        after,
        after_id.unwrap_or(0),
        limit
    )
    .fetch_all(pool)
    .await?)
}

/// Institutions with their domains and join policy, for the site admin.
pub async fn institution_domains(pool: &PgPool) -> Result<Vec<InstitutionDomains>, AppError> {
    Ok(sqlx::query_as!(
        InstitutionDomains,
        r#"
        select i.id, i.name, i.join_policy as "join_policy: JoinPolicy",
               array(select d.domain from institution_domains d where d.institution_id = i.id
                     order by d.domain) as "domains!"
        from institutions i order by i.name
        "#
    )
    .fetch_all(pool)
    .await?)
}

/// Adds a domain; a domain already used by another institution is refused beside the field.
pub async fn add_domain(pool: &PgPool, institution: i64, domain: &str) -> Result<(), AppError> {
    let inserted = sqlx::query!(
        r#"
        insert into institution_domains (domain, institution_id)
        select $1, id from institutions where id = $2
        on conflict (domain) do nothing
        "#,
        domain,
        institution
    )
    .execute(pool)
    .await?;
    if inserted.rows_affected() == 0 {
        let owner = sqlx::query_scalar!(
            "select institution_id from institution_domains where domain = $1",
            domain
        )
        .fetch_optional(pool)
        .await?;
        return match owner {
            Some(owner) if owner == institution => Ok(()),
            Some(_) => Err(AppError::field(
                "domain",
                "That domain already belongs to another institution.",
            )),
            None => Err(AppError::NotFound),
        };
    }
    Ok(())
}

pub async fn remove_domain(pool: &PgPool, institution: i64, domain: &str) -> Result<(), AppError> {
    sqlx::query!(
        "delete from institution_domains where institution_id = $1 and domain = $2",
        institution,
        domain
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn set_join_policy(
    pool: &PgPool,
    institution: i64,
    policy: JoinPolicy,
) -> Result<(), AppError> {
    let done = sqlx::query!(
        "update institutions set join_policy = $2 where id = $1",
        institution,
        policy as JoinPolicy
    )
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// A user's department, requested department, address, and whether the account is active —
/// what the guards and mails need.
#[derive(Debug, Clone)]
pub struct Standing {
    pub email: String,
    pub full_name: String,
    pub department_id: Option<i64>,
    pub requested_department_id: Option<i64>,
    pub active: bool,
}

pub async fn standing(pool: &PgPool, user_id: i64) -> Result<Standing, AppError> {
    let row = sqlx::query!(
        r#"
        select email, full_name, department_id, requested_department_id,
               deactivated_at is null as "active!"
        from users where id = $1
        "#,
        user_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Standing {
        email: row.email,
        full_name: row.full_name,
        department_id: row.department_id,
        requested_department_id: row.requested_department_id,
        active: row.active,
    })
}

pub async fn department_name(pool: &PgPool, department: i64) -> Result<String, AppError> {
    sqlx::query_scalar!(
        r#"select (i.name || ' · ' || d.name) as "name!" from departments d
           join institutions i on i.id = d.institution_id where d.id = $1"#,
        department
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)
}
