//! Institutions e-mail domains and join policy (site admins).

use super::*;

/// Institutions with their e-mail domains and join policy (site admins).
#[server(endpoint = "admin/domains")]
#[tracing::instrument(skip_all)]
pub async fn get_institution_domains() -> Result<Vec<InstitutionDomains>, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    AuthUser::site_admin(&pool).await?;
    crate::department::db::institution_domains(&pool).await
}

#[server(endpoint = "admin/add-domain")]
#[tracing::instrument(skip_all, fields(institution_id))]
pub async fn add_institution_domain(institution_id: i64, domain: String) -> Result<(), AppError> {
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    use crate::ssr::pool;
    let pool = pool()?;
    let admin = AuthUser::site_admin(&pool).await?;
    let Some(domain) = crate::department::parse_domain(&domain) else {
        let mut errors = crate::error::FieldErrors::new();
        errors.add(
            "domain",
            "Enter a domain such as sahyadri.edu.in (no @, no spaces).",
        );
        return Err(AppError::Invalid(
            errors.with_values(&[("domain", &domain)]),
        ));
    };
    crate::department::db::add_domain(&pool, institution_id, &domain).await?;
    audit::record(
        &pool,
        Event::new("institution.domain_added")
            .actor(admin.id)
            .target(format!("institution:{institution_id}"))
            .detail(domain),
    )
    .await
}

#[server(endpoint = "admin/remove-domain")]
#[tracing::instrument(skip_all, fields(institution_id))]
pub async fn remove_institution_domain(
    institution_id: i64,
    domain: String,
) -> Result<(), AppError> {
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    use crate::ssr::pool;
    let pool = pool()?;
    let admin = AuthUser::site_admin(&pool).await?;
    crate::department::db::remove_domain(&pool, institution_id, domain.trim()).await?;
    audit::record(
        &pool,
        Event::new("institution.domain_removed")
            .actor(admin.id)
            .target(format!("institution:{institution_id}"))
            .detail(domain),
    )
    .await
}

#[server(endpoint = "admin/join-policy")]
#[tracing::instrument(skip_all, fields(institution_id))]
pub async fn set_join_policy(institution_id: i64, policy: String) -> Result<(), AppError> {
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    use crate::ssr::pool;
    let pool = pool()?;
    let admin = AuthUser::site_admin(&pool).await?;
    let policy = crate::department::JoinPolicy::parse(policy.trim())
        .ok_or_else(|| AppError::field("policy", "Choose how people join."))?;
    crate::department::db::set_join_policy(&pool, institution_id, policy).await?;
    audit::record(
        &pool,
        Event::new("institution.join_policy")
            .actor(admin.id)
            .target(format!("institution:{institution_id}"))
            .detail(policy.as_str()),
    )
    .await
}
