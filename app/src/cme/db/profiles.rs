//! Council profiles and each clinician s chosen requirement.

use super::*;

pub async fn profiles(pool: &PgPool) -> Result<Vec<(i64, Profile)>, AppError> {
    let rows = sqlx::query!(
        r#"
        select id, name, unit as "unit: CreditType", cycle_years, total_required::float8 as "total!",
               per_year_minimum::float8 as "per_year!", per_event_maximum::float8 as per_event,
               online_cap::float8 as online_cap, online_factor::float8 as "factor!"
        from cme_profiles order by name
        "#
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.id,
                Profile {
                    name: r.name,
                    unit: r.unit,
                    cycle_years: r.cycle_years as u32,
                    total_required: r.total,
                    per_year_minimum: r.per_year,
                    per_event_maximum: r.per_event,
                    online_cap: r.online_cap,
                    online_factor: r.factor,
                },
            )
        })
        .collect())
}

pub async fn update_profile(pool: &PgPool, id: i64, p: &Profile) -> Result<bool, AppError> {
    let done = sqlx::query!(
        r#"
        update cme_profiles
        set cycle_years = $2, total_required = $3::float8::numeric,
            per_year_minimum = $4::float8::numeric, per_event_maximum = $5::float8::numeric,
            online_cap = $6::float8::numeric, online_factor = $7::float8::numeric, unit = $8,
            updated_at = now()
        where id = $1
        "#,
        id,
        p.cycle_years as i32,
        p.total_required,
        p.per_year_minimum,
        p.per_event_maximum,
        p.online_cap,
        p.online_factor,
        p.unit as CreditType
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A user's chosen profile and cycle start.
pub async fn user_profile(
    pool: &PgPool,
    user_id: i64,
) -> Result<(Option<i64>, Option<NaiveDate>), AppError> {
    let row = sqlx::query!(
        r#"select cme_profile_id, cme_cycle_start as "start: NaiveDate" from users where id = $1"#,
        user_id
    )
    .fetch_one(pool)
    .await?;
    Ok((row.cme_profile_id, row.start))
}

pub async fn set_user_profile(
    pool: &PgPool,
    user_id: i64,
    profile_id: i64,
    cycle_start: NaiveDate,
) -> Result<bool, AppError> {
    let done = sqlx::query!(
        r#"
        update users set cme_profile_id = $2, cme_cycle_start = $3
        where id = $1 and exists (select 1 from cme_profiles where id = $2)
        "#,
        user_id,
        profile_id,
        cycle_start as _
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
