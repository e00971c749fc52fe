//! Accounts in the database: users, sign-in attempts, sessions, choices for the forms.
//! A little over 400 lines: each function is one checked query, and the sign-in limits
//! (attempts, locks) read best beside the credentials they guard.

use crate::accounts::{FormChoices, NewUser, PublicUser, Role, SessionUser};
use crate::admin::AdminUser;
use crate::error::{AppError, FieldErrors};
use crate::util::Choice;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Inserts a new account. The department chosen becomes a request, not a membership.
pub async fn insert(
    db: &mut sqlx::PgConnection,
    user: &NewUser,
    password_hash: &str,
) -> Result<i64, AppError> {
    let inserted = sqlx::query_scalar!(
        r#"
        insert into users (email, password_hash, full_name, designation, specialty,
                           requested_department_id, medical_council, registration_number)
        values ($1, $2, $3, $4, $5, $6, $7, $8)
        returning id
        "#,
        user.email,
        password_hash,
        user.full_name,
        user.designation,
        user.specialty,
        user.department_id,
        user.medical_council,
        user.registration_number,
    )
    .fetch_one(&mut *db)
    .await;
    match inserted {
        Ok(id) => Ok(id),
        Err(e) if crate::ssr::db::is_unique_violation(&e, "users_email_key") => {
            Err(email_taken_error(user))
        }
        Err(sqlx::Error::Database(db)) if db.is_foreign_key_violation() => Err(AppError::field(
            "department_id",
            "Choose your department, specialty and council from the lists.",
        )),
        Err(e) => Err(e.into()),
    }
}

/// "That e-mail is already registered", beside the field, with the form's values kept.
pub fn email_taken_error(user: &NewUser) -> AppError {
    let mut errors = FieldErrors::new();
    errors.add(
        "email",
        "That e-mail is already registered. Sign in instead, or use another address.",
    );
    let department = user
        .department_id
        .map(|d| d.to_string())
        .unwrap_or_default();
    AppError::Invalid(errors.with_values(&[
        ("email", &user.email),
        ("full_name", &user.full_name),
        ("designation", user.designation.as_deref().unwrap_or("")),
        ("specialty", user.specialty.as_deref().unwrap_or("")),
        ("department_id", &department),
        (
            "medical_council",
            user.medical_council.as_deref().unwrap_or(""),
        ),
        (
            "registration_number",
            user.registration_number.as_deref().unwrap_or(""),
        ),
    ]))
}

/// What signing in needs to know about an account.
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub session_epoch: i32,
    pub active: bool,
    pub department_id: Option<i64>,
}

pub async fn find_credentials(pool: &PgPool, email: &str) -> Result<Option<Credentials>, AppError> {
    Ok(sqlx::query_as!(
        Credentials,
        r#"
        select id, password_hash, session_epoch, deactivated_at is null as "active!", department_id
        from users where email = $1
        "#,
        email
    )
    .fetch_optional(pool)
    .await?)
}

pub async fn email_taken(pool: &PgPool, email: &str) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select exists(select 1 from users where email = $1) as "taken!""#,
        email
    )
    .fetch_one(pool)
    .await?)
}

/// A person as their session sees them, with what decides whether the session still holds.
struct SessionUserRow {
    id: i64,
    full_name: String,
    role: Role,
    unread: i64,
    email_verified: bool,
    department_id: Option<i64>,
    requested_department: Option<String>,
    session_epoch: i32,
    active: bool,
}

impl SessionUserRow {
    fn split(self) -> (SessionUser, i32, bool) {
        (
            SessionUser {
                id: self.id,
                full_name: self.full_name,
                role: self.role,
                unread: self.unread,
                email_verified: self.email_verified,
                department_id: self.department_id,
                requested_department: self.requested_department,
            },
            self.session_epoch,
            self.active,
        )
    }
}

/// A person as a session would see them, with the account's session epoch (bumped to end all
/// sessions) and whether it is active.
pub async fn session_user(
    pool: &PgPool,
    id: i64,
) -> Result<Option<(SessionUser, i32, bool)>, AppError> {
    let row = sqlx::query_as!(
        SessionUserRow,
        r#"
        select u.id, u.full_name, u.role as "role: Role",
               (select count(*) from notifications n where n.user_id = u.id and n.read_at is null) as "unread!",
               u.email_verified_at is not null as "email_verified!",
               u.department_id,
               (select i.name || ' · ' || d.name from departments d
                  join institutions i on i.id = d.institution_id
                 where d.id = u.requested_department_id) as requested_department,
               u.session_epoch, u.deactivated_at is null as "active!"
        from users u where u.id = $1
        "#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(SessionUserRow::split))
}

/// Who holds the session `session_id`, in one query: None when the session is unknown,
/// expired or nobody signed in; otherwise the person and whether the session still holds
/// (the account is active and no password reset or deactivation ended it since).
pub async fn signed_in(
    pool: &PgPool,
    session_id: &str,
) -> Result<Option<(SessionUser, bool)>, AppError> {
    let row = sqlx::query_as!(
        SessionUserRow,
        r#"
        select u.id, u.full_name, u.role as "role: Role",
               (select count(*) from notifications n where n.user_id = u.id and n.read_at is null) as "unread!",
               u.email_verified_at is not null as "email_verified!",
               u.department_id,
               (select i.name || ' · ' || d.name from departments d
                  join institutions i on i.id = d.institution_id
                 where d.id = u.requested_department_id) as requested_department,
               u.session_epoch,
               (u.deactivated_at is null and s.epoch = u.session_epoch) as "active!"
        from sessions s join users u on u.id = s.user_id
        where s.id = $1 and s.expires_at > now()
        "#,
        session_id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        let (user, _, holds) = r.split();
        (user, holds)
    }))
}

pub async fn public_user(pool: &PgPool, id: i64) -> Result<Option<PublicUser>, AppError> {
    Ok(sqlx::query_as!(
        PublicUser,
        r#"
        select u.id, u.full_name, u.designation, s.name as "specialty?",
               d.name as "department?", i.name as "institution?", u.role as "role: Role"
        from users u
        left join specialties s on s.slug = u.specialty
        left join departments d on d.id = u.department_id
        left join institutions i on i.id = d.institution_id
        where u.id = $1
        "#,
        id
    )
    .fetch_optional(pool)
    .await?)
}

pub async fn list_for_admin(pool: &PgPool) -> Result<Vec<AdminUser>, AppError> {
    Ok(sqlx::query_as!(
        AdminUser,
        r#"
        select u.id, u.full_name, u.email, u.role as "role: Role",
               (i.name || ' — ' || d.name) as "department?"
        from users u
        left join departments d on d.id = u.department_id
        left join institutions i on i.id = d.institution_id
        order by u.full_name, u.id
        "#
    )
    .fetch_all(pool)
    .await?)
}

pub async fn set_role(pool: &PgPool, id: i64, role: Role) -> Result<(), AppError> {
    let done = sqlx::query!("update users set role = $2 where id = $1", id, role as Role)
        .execute(pool)
        .await?;
    crate::ssr::db::changed(done, || AppError::NotFound)
}

/// Records a sign-in attempt as failed before the password is checked, and returns its id
/// with the failures now in the window for this account and for this address (this one
/// included). Recording first means concurrent attempts count each other: a burst of parallel
/// guesses cannot all pass the check before any is recorded.
pub async fn begin_attempt(
    pool: &PgPool,
    email: &str,
    ip: &str,
    window_minutes: i64,
) -> Result<AttemptCount, AppError> {
    let id = sqlx::query_scalar!(
        "insert into login_attempts (email, ip, succeeded) values ($1, $2, false) returning id",
        email,
        ip
    )
    .fetch_one(pool)
    .await?;
    let row = sqlx::query!(
        r#"
        select count(*) filter (where email = $1) as "by_account!",
               count(*) filter (where ip = $2) as "by_ip!",
               min(at) filter (where email = $1) as "oldest_account: DateTime<Utc>",
               min(at) filter (where ip = $2) as "oldest_ip: DateTime<Utc>",
               exists(select 1 from login_attempts s
                      where s.email = $1 and s.ip = $2 and s.succeeded
                        and s.at > now() - interval '30 days') as "known_address!"
        from login_attempts
        where not succeeded
          and at > now() - make_interval(mins => $3::int)
          and (email = $1 or ip = $2)
        "#,
        email,
        ip,
        window_minutes as i32
    )
    .fetch_one(pool)
    .await?;
    Ok(AttemptCount {
        id,
        by_account: row.by_account,
        by_ip: row.by_ip,
        oldest_account: row.oldest_account,
        oldest_ip: row.oldest_ip,
        known_address: row.known_address,
    })
}

pub struct AttemptCount {
    pub id: i64,
    pub by_account: i64,
    pub by_ip: i64,
    pub oldest_account: Option<DateTime<Utc>>,
    pub oldest_ip: Option<DateTime<Utc>>,
    /// This address signed in to this account successfully within 30 days.
    pub known_address: bool,
}

/// An attempt refused by the limits is not kept, so waiting out a lock is not prolonged by the
/// attempts made while locked.
pub async fn forget_attempt(pool: &PgPool, id: i64) -> Result<(), AppError> {
    sqlx::query!("delete from login_attempts where id = $1", id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn attempt_succeeded(pool: &PgPool, id: i64) -> Result<(), AppError> {
    sqlx::query!(
        "update login_attempts set succeeded = true where id = $1",
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// After a successful sign-in the account's earlier failures no longer count against it.
pub async fn clear_failures(pool: &PgPool, email: &str) -> Result<(), AppError> {
    sqlx::query!(
        "delete from login_attempts where email = $1 and not succeeded",
        email
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Drops failed attempts older than a day and successful ones older than 30 days (kept that
/// long to recognise a person's usual address); called periodically by the server.
pub async fn prune_attempts(pool: &PgPool) -> Result<u64, AppError> {
    Ok(
        sqlx::query!("delete from login_attempts where at < now() - interval '1 day' and (not succeeded or at < now() - interval '30 days')")
            .execute(pool)
            .await?
            .rows_affected(),
    )
}

pub async fn form_choices(pool: &PgPool) -> Result<FormChoices, AppError> {
    let departments = sqlx::query_as!(
        Choice,
        r#"
        select d.id::text as "value!", (i.name || ' — ' || d.name) as "label!"
        from departments d join institutions i on i.id = d.institution_id
        order by i.name, d.name
        "#
    )
    .fetch_all(pool)
    .await?;
    let specialties = specialties(pool).await?;
    let councils = sqlx::query_as!(
        Choice,
        r#"select code as "value!", name as "label!" from medical_councils order by name"#
    )
    .fetch_all(pool)
    .await?;
    Ok(FormChoices {
        departments,
        specialties,
        councils,
    })
}

pub async fn specialty_exists(pool: &PgPool, slug: &str) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select exists(select 1 from specialties where slug = $1) as "exists!""#,
        slug
    )
    .fetch_one(pool)
    .await?)
}

/// Adds a department, creating its institution on first use. A department that already exists
/// is reported next to the field.
pub async fn add_department(
    pool: &PgPool,
    institution: &str,
    city: Option<&str>,
    department: &str,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let institution_id = sqlx::query_scalar!(
        r#"
        insert into institutions (name, city) values ($1, $2)
        on conflict (name) do update set city = coalesce(excluded.city, institutions.city)
        returning id
        "#,
        institution,
        city
    )
    .fetch_one(&mut *tx)
    .await?;
    let inserted = sqlx::query_scalar!(
        "insert into departments (institution_id, name) values ($1, $2) returning id",
        institution_id,
        department
    )
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(e)
            if crate::ssr::db::is_unique_violation(&e, "departments_institution_id_name_key") =>
        {
            return Err(AppError::field(
                "department",
                "That department already exists at this institution.",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok(id)
}

/// The department a user belongs to, if any.
pub async fn department_of(pool: &PgPool, id: i64) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar!("select department_id from users where id = $1", id)
            .fetch_optional(pool)
            .await?
            .flatten(),
    )
}

pub async fn specialties(pool: &PgPool) -> Result<Vec<Choice>, AppError> {
    Ok(sqlx::query_as!(
        Choice,
        r#"select slug as "value!", name as "label!" from specialties order by name"#
    )
    .fetch_all(pool)
    .await?)
}
