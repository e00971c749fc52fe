//! Finding whom to ask: verified clinicians (the same rule as `consultable`) by name or
//! specialty, and pools taking consults by department or institution; at most `FIND_LIMIT` of
//! each.

use crate::consults::people::{Colleague, PoolChoice, FIND_LIMIT};
use crate::error::AppError;
use sqlx::PgPool;

/// `words` as a `like` pattern matching anywhere, its wildcards taken literally.
fn pattern(words: &str) -> String {
    let escaped = words
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Verified clinicians other than `viewer` whose name or specialty matches `words`, by name.
pub async fn colleagues(
    pool: &PgPool,
    viewer: i64,
    words: &str,
) -> Result<Vec<Colleague>, AppError> {
    Ok(sqlx::query_as!(
        Colleague,
        r#"
        select u.id, u.full_name, u.designation, s.name as "specialty?",
               d.name as department, i.name as institution
        from users u
        join departments d on d.id = u.department_id
        join institutions i on i.id = d.institution_id
        left join specialties s on s.slug = u.specialty
        where u.deactivated_at is null and u.email_verified_at is not null and u.id <> $1
          and (u.full_name ilike $2 or s.name ilike $2 or u.specialty ilike $2)
        order by u.full_name, u.id
        limit $3
        "#,
        viewer,
        pattern(words),
        FIND_LIMIT
    )
    .fetch_all(pool)
    .await?)
}

/// The verified clinicians `viewer` follows, by name.
pub async fn followed(pool: &PgPool, viewer: i64) -> Result<Vec<Colleague>, AppError> {
    Ok(sqlx::query_as!(
        Colleague,
        r#"
        select u.id, u.full_name, u.designation, s.name as "specialty?",
               d.name as department, i.name as institution
        from follows f
        join users u on u.id = f.mentor_id
        join departments d on d.id = u.department_id
        join institutions i on i.id = d.institution_id
        left join specialties s on s.slug = u.specialty
        where f.follower_id = $1 and u.deactivated_at is null and u.email_verified_at is not null
        order by u.full_name, u.id
        limit $2
        "#,
        viewer,
        FIND_LIMIT
    )
    .fetch_all(pool)
    .await?)
}

/// One colleague who may be asked by name.
pub async fn colleague(pool: &PgPool, id: i64) -> Result<Option<Colleague>, AppError> {
    Ok(sqlx::query_as!(
        Colleague,
        r#"
        select u.id, u.full_name, u.designation, s.name as "specialty?",
               d.name as department, i.name as institution
        from users u
        join departments d on d.id = u.department_id
        join institutions i on i.id = d.institution_id
        left join specialties s on s.slug = u.specialty
        where u.id = $1 and u.deactivated_at is null and u.email_verified_at is not null
        "#,
        id
    )
    .fetch_optional(pool)
    .await?)
}

/// Pools taking consults whose department or institution matches `words` (all of them, for
/// no words), by name.
pub async fn pools(pool: &PgPool, words: &str) -> Result<Vec<PoolChoice>, AppError> {
    Ok(sqlx::query_as!(
        PoolChoice,
        r#"
        select p.department_id, (i.name || ' · ' || d.name) as "name!", p.routine_hours,
               p.soon_hours
        from consult_pools p
        join departments d on d.id = p.department_id
        join institutions i on i.id = d.institution_id
        where p.accepting and (d.name ilike $1 or i.name ilike $1)
        order by i.name, d.name
        limit $2
        "#,
        pattern(words),
        FIND_LIMIT
    )
    .fetch_all(pool)
    .await?)
}

/// One pool, if it takes consults now.
pub async fn accepting_pool(pool: &PgPool, id: i64) -> Result<Option<PoolChoice>, AppError> {
    Ok(sqlx::query_as!(
        PoolChoice,
        r#"
        select p.department_id, (i.name || ' · ' || d.name) as "name!", p.routine_hours,
               p.soon_hours
        from consult_pools p
        join departments d on d.id = p.department_id
        join institutions i on i.id = d.institution_id
        where p.department_id = $1 and p.accepting
        "#,
        id
    )
    .fetch_optional(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcards_are_taken_literally() {
        assert_eq!(super::pattern(" 50%_a\\ "), "%50\\%\\_a\\\\%");
    }
}
