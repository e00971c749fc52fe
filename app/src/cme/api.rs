// The profile editor sends one form field per rule: one argument each.
#![allow(clippy::too_many_arguments)]

//! CME credit: the activity evaluation that releases a module's credit, a clinician's progress
//! against their council's rules, certificates (public verification, revocation), external
//! claims and their approval, and the requirement profiles.

use crate::cme::{Certificate, CmeOverview};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::auth::AuthUser;
use leptos::prelude::*;

/// The learner's evaluation of a passed module. Credit (and its certificate) is awarded when
/// it is completed, once per module.
#[server(endpoint = "evaluate-activity")]
#[tracing::instrument(skip_all, fields(attempt_id))]
pub async fn evaluate_activity(
    attempt_id: i64,
    relevance: String,
    quality: String,
    practice_change: String,
    comments: String,
) -> Result<Option<String>, AppError> {
    use crate::cme::db::Award;
    use crate::error::FieldErrors;
    use crate::ssr::{guard, pool};
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let attempt = crate::ssr::guard::owns_attempt(&pool, attempt_id, &user).await?;
    // Credit only from a module the learner may still read, released, and not their own.
    guard::learner_of_case(&pool, attempt.case_id, user.id).await?;
    // An attempt passed under a pass mark set below the floor (before it existed) earns no
    // credit: half the marks is the least a council accepts.
    if attempt.passed != Some(true) || attempt.score.is_none_or(|s| s < 0.5 - 1e-9) {
        return Err(AppError::field(
            "evaluation",
            "The evaluation follows a passed attempt.",
        ));
    }
    let mut errors = FieldErrors::new();
    let scale = |raw: &str| {
        raw.trim()
            .parse::<i32>()
            .ok()
            .filter(|v| (1..=5).contains(v))
    };
    let relevance_value = scale(&relevance);
    if relevance_value.is_none() {
        errors.add("relevance", "Rate the relevance from 1 to 5.");
    }
    let quality_value = scale(&quality);
    if quality_value.is_none() {
        errors.add("quality", "Rate the quality from 1 to 5.");
    }
    let change = crate::cme::PracticeChange::from_form(&practice_change, &mut errors);
    if comments.chars().count() > 2000 {
        errors.add("comments", "Keep comments to 2,000 characters.");
    }
    errors
        .with_values(&[("comments", &comments)])
        .into_result()?;
    let (quiz_id, settings) = crate::quiz::for_case(&pool, attempt.case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (title, _, _) = crate::cases::texts(&pool, attempt.case_id).await?;
    let (name, registration, institution) = crate::cme::db::recipient(&pool, user.id).await?;
    let award = (settings.credit_amount > 0.0).then(|| Award {
        user_id: user.id,
        quiz_id,
        activity: format!("{title} (case module)"),
        amount: settings.credit_amount,
        credit_type: settings.credit_type,
        recipient_name: name,
        registration_number: registration,
        issuer: institution,
    });
    let certificate = crate::cme::db::evaluate_and_award(
        &pool,
        attempt_id,
        (
            relevance_value.unwrap_or(1),
            quality_value.unwrap_or(1),
            change.unwrap_or(crate::cme::PracticeChange::None),
            comments.trim(),
        ),
        award.as_ref(),
    )
    .await?;
    tracing::info!(attempt_id, certificate = ?certificate, "activity evaluated");
    Ok(certificate)
}

/// The ledger filter a link asks for: a year ("2026"), a credit type, a source; anything else
/// (or nothing) is no filter.
#[cfg(feature = "ssr")]
pub fn ledger_filter(
    year: Option<&str>,
    credit_type: Option<&str>,
    source: Option<&str>,
) -> crate::cme::db::LedgerFilter {
    let trimmed = |v: Option<&str>| v.map(str::trim).unwrap_or_default().to_owned();
    crate::cme::db::LedgerFilter {
        year: trimmed(year)
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=9999).contains(y)),
        credit_type: crate::cme::CreditType::parse(&trimmed(credit_type)),
        source: crate::cme::CreditSource::parse(&trimmed(source)),
    }
}

/// The signed-in clinician's CME: profile, progress this cycle (over every line of the
/// cycle), one page of the ledger (newest first, filtered by `year`, `credit_type`, `source`,
/// older than the cursor `before`, from the previous page's `ledger_next`) with the totals of
/// all of it, and claims. A cursor that does not read is a 400.
#[server(endpoint = "cme")]
#[tracing::instrument(skip_all)]
pub async fn get_cme(
    year: Option<String>,
    credit_type: Option<String>,
    source: Option<String>,
    before: Option<String>,
) -> Result<CmeOverview, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let before = crate::util::parse_cursor(before.as_deref())?;
    let filter = ledger_filter(year.as_deref(), credit_type.as_deref(), source.as_deref());
    let profiles = crate::cme::db::profiles(&pool).await?;
    let (profile_id, cycle_start) = crate::cme::db::user_profile(&pool, user.id).await?;
    let (ledger, ledger_next) =
        crate::cme::db::ledger_page(&pool, user.id, &filter, before, crate::cme::LEDGER_PER_PAGE)
            .await?;
    let ledger_totals = crate::cme::db::ledger_totals(&pool, user.id, &filter).await?;
    let progress = match (
        profile_id.and_then(|id| profiles.iter().find(|(p, _)| *p == id)),
        cycle_start,
    ) {
        (Some((_, profile)), Some(start)) => {
            let entries = crate::cme::db::cycle_entries(&pool, &[user.id])
                .await?
                .remove(&user.id)
                .unwrap_or_default();
            Some(crate::cme::rules::evaluate(
                profile,
                start,
                &entries,
                today(),
            ))
        }
        _ => None,
    };
    Ok(CmeOverview {
        profiles: profiles.into_iter().map(|(id, p)| (id, p.name)).collect(),
        profile_id,
        cycle_start,
        progress,
        ledger,
        ledger_next,
        ledger_totals,
        claims: crate::cme::db::claims(&pool, Some(user.id), None).await?,
    })
}

/// Today in India, where the councils' cycles are counted.
#[cfg(feature = "ssr")]
pub fn today() -> chrono::NaiveDate {
    let ist = chrono::FixedOffset::east_opt(19_800).expect("IST is a valid offset");
    chrono::Utc::now().with_timezone(&ist).date_naive()
}

#[server(endpoint = "cme-profile")]
#[tracing::instrument(skip_all)]
pub async fn set_cme_profile(profile_id: String, cycle_start: String) -> Result<(), AppError> {
    use crate::error::FieldErrors;
    use crate::ssr::pool;
    let pool = pool()?;
    let user = AuthUser::require(&pool).await?;
    let mut errors = FieldErrors::new();
    let profile = profile_id.trim().parse::<i64>().ok();
    if profile.is_none() {
        errors.add("profile_id", "Choose your council's requirement.");
    }
    let start = chrono::NaiveDate::parse_from_str(cycle_start.trim(), "%Y-%m-%d").ok();
    match start {
        None => errors.add("cycle_start", "Give the date your current cycle began."),
        Some(d) if d > today() => {
            errors.add("cycle_start", "The cycle cannot start in the future.")
        }
        _ => {}
    }
    errors
        .with_values(&[("profile_id", &profile_id), ("cycle_start", &cycle_start)])
        .into_result()?;
    if let (Some(profile), Some(start)) = (profile, start) {
        if !crate::cme::db::set_user_profile(&pool, user.id, profile, start).await? {
            return Err(AppError::field(
                "profile_id",
                "Choose one of the listed councils.",
            ));
        }
    }
    Ok(())
}

/// A certificate as the public verification page shows it (no sign-in needed).
#[server(endpoint = "certificate")]
#[tracing::instrument(skip_all)]
pub async fn get_certificate(id: String) -> Result<Certificate, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    crate::cme::db::certificate(&pool, &id)
        .await?
        .map(|(c, _)| c)
        .ok_or(AppError::NotFound)
}

/// A site admin, or the department admin of the holder's department, revokes a certificate
/// with a reason; its credit is reversed in the ledger.
#[server(endpoint = "revoke-certificate")]
#[tracing::instrument(skip_all)]
pub async fn revoke_certificate(id: String, reason: String) -> Result<(), AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let admin = AuthUser::admin(&pool).await?;
    let (_, holder) = crate::cme::db::certificate(&pool, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let holder_department = crate::accounts::department_of(&pool, holder).await?;
    crate::ssr::guard::admin_of_department(&admin, holder_department)?;
    let reason = reason.trim();
    if reason.chars().count() < 5 {
        return Err(AppError::field(
            "reason",
            "Give the reason for revoking (at least 5 characters).",
        ));
    }
    if !crate::cme::db::revoke_certificate(&pool, &id, reason, admin.id).await? {
        return Err(AppError::field(
            "reason",
            "This certificate is already revoked.",
        ));
    }
    crate::ssr::audit::record(
        &pool,
        crate::ssr::audit::Event::new("certificate.revoked")
            .actor(admin.id)
            .subject(holder)
            .department(holder_department)
            .target(format!("certificate:{id}"))
            .detail(reason),
    )
    .await?;
    tracing::info!(certificate = id, admin = admin.id, "certificate revoked");
    crate::ssr::respond::back_with("revoked", "1");
    Ok(())
}

/// A department admin (of the claimant's department) or a site admin approves or rejects an
/// external claim; approval adds the credit to the ledger.
#[server(endpoint = "decide-claim")]
#[tracing::instrument(skip_all, fields(claim_id))]
pub async fn decide_claim(claim_id: i64, decision: String, reason: String) -> Result<(), AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    let admin = AuthUser::admin(&pool).await?;
    let (owner, department, status, _) = crate::cme::db::claim_info(&pool, claim_id)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::ssr::guard::admin_of_department(&admin, department)?;
    if owner == admin.id {
        return Err(AppError::Forbidden);
    }
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::field("decision", "Approve or reject the claim.")),
    };
    let reason = reason.trim();
    if !approve && reason.chars().count() < 5 {
        return Err(AppError::field(
            "reason",
            "Say why the claim is rejected (at least 5 characters).",
        ));
    }
    if status != crate::cme::ClaimStatus::Pending
        || !crate::cme::db::decide_claim(&pool, claim_id, approve, reason, admin.id).await?
    {
        return Err(AppError::field(
            "decision",
            "This claim was already decided.",
        ));
    }
    crate::ssr::audit::record(
        &pool,
        crate::ssr::audit::Event::new(if approve {
            "claim.approved"
        } else {
            "claim.rejected"
        })
        .actor(admin.id)
        .subject(owner)
        .department(department)
        .target(format!("claim:{claim_id}"))
        .detail(reason),
    )
    .await?;
    tracing::info!(claim_id, approve, admin = admin.id, "claim decided");
    Ok(())
}

/// The council requirement profiles (all signed-in users may read them).
#[server(endpoint = "cme-profiles")]
#[tracing::instrument(skip_all)]
pub async fn get_cme_profiles() -> Result<Vec<(i64, crate::cme::rules::Profile)>, AppError> {
    use crate::ssr::pool;
    let pool = pool()?;
    AuthUser::require(&pool).await?;
    crate::cme::db::profiles(&pool).await
}

/// A site admin edits a council's rules (they are data, not code).
#[server(endpoint = "cme-profile-edit")]
#[tracing::instrument(skip_all, fields(profile_id))]
pub async fn edit_cme_profile(
    profile_id: i64,
    unit: String,
    cycle_years: String,
    total_required: String,
    per_year_minimum: String,
    per_event_maximum: String,
    online_cap: String,
    online_factor: String,
) -> Result<(), AppError> {
    use crate::error::FieldErrors;
    use crate::ssr::pool;
    let pool = pool()?;
    let admin = AuthUser::site_admin(&pool).await?;
    let mut errors = FieldErrors::new();
    let number = |raw: &str| raw.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    let optional = |raw: &str| -> Result<Option<f64>, ()> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            number(raw).filter(|v| *v >= 0.0).map(Some).ok_or(())
        }
    };
    let unit = crate::cme::CreditType::from_form(&unit, "unit", &mut errors);
    let years = cycle_years
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|y| (1..=10).contains(y));
    if years.is_none() {
        errors.add("cycle_years", "A cycle lasts 1 to 10 years.");
    }
    let total = number(&total_required).filter(|v| *v > 0.0 && *v <= 500.0);
    if total.is_none() {
        errors.add("total_required", "The total required is a number above 0.");
    }
    let per_year = number(&per_year_minimum).filter(|v| *v >= 0.0);
    if per_year.is_none() {
        errors.add("per_year_minimum", "Give the yearly minimum (0 for none).");
    }
    let per_event = optional(&per_event_maximum);
    if per_event.is_err() || per_event == Ok(Some(0.0)) {
        errors.add(
            "per_event_maximum",
            "Leave empty for no limit, or give a number above 0.",
        );
    }
    let cap = optional(&online_cap);
    if cap.is_err() {
        errors.add("online_cap", "Leave empty for no cap, or give a number.");
    }
    let factor = number(&online_factor).filter(|v| *v > 0.0 && *v <= 1.0);
    if factor.is_none() {
        errors.add(
            "online_factor",
            "Online credit counts at a share from 0.01 to 1 (e.g. 0.5 for half).",
        );
    }
    errors.into_result()?;
    let profile = crate::cme::rules::Profile {
        name: String::new(),
        unit: unit.unwrap_or_default(),
        cycle_years: years.unwrap_or(5),
        total_required: total.unwrap_or(30.0),
        per_year_minimum: per_year.unwrap_or(0.0),
        per_event_maximum: per_event.unwrap_or(None),
        online_cap: cap.unwrap_or(None),
        online_factor: factor.unwrap_or(1.0),
    };
    if !crate::cme::db::update_profile(&pool, profile_id, &profile).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(profile_id, admin = admin.id, "CME profile edited");
    Ok(())
}
