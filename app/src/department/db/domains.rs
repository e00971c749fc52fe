//! Institutions e-mail domains and join policy; a users standing.

use super::*;

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
    crate::ssr::db::changed(done, || AppError::NotFound)
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
