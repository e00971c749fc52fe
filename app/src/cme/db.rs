//! CME: evaluations, requirement profiles, the append-only ledger, certificates and claims.

use crate::cme::rules::{Entry, Profile};
use crate::cme::{
    Certificate, Claim, ClaimStatus, CreditSource, CreditType, LedgerEntry, PracticeChange,
};
use crate::error::AppError;
use chrono::NaiveDate;
use sqlx::PgPool;

/// Whether an attempt's evaluation was completed.
pub async fn evaluated(pool: &PgPool, attempt_id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar!(
        r#"select exists(select 1 from activity_evaluations where attempt_id = $1) as "e!""#,
        attempt_id
    )
    .fetch_one(pool)
    .await?)
}

/// The facts a credit award needs about a passed attempt.
pub struct Award {
    pub user_id: i64,
    pub quiz_id: i64,
    pub activity: String,
    pub amount: f64,
    pub credit_type: CreditType,
    pub recipient_name: String,
    pub registration_number: Option<String>,
    pub issuer: String,
}

/// Stores the evaluation and, when the module carries credit and this learner has not been
/// credited for it before, the ledger entry and its certificate — all or nothing. Returns the
/// certificate id when one was issued.
pub async fn evaluate_and_award(
    pool: &PgPool,
    attempt_id: i64,
    evaluation: (i32, i32, PracticeChange, &str),
    award: Option<&Award>,
) -> Result<Option<String>, AppError> {
    let mut tx = pool.begin().await?;
    let (relevance, quality, change, comments) = evaluation;
    let inserted = sqlx::query!(
        r#"
        insert into activity_evaluations (attempt_id, relevance, quality, practice_change, comments)
        values ($1, $2, $3, $4, $5) on conflict do nothing
        "#,
        attempt_id,
        relevance,
        quality,
        change as PracticeChange,
        comments
    )
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        tx.rollback().await?;
        return Err(AppError::field(
            "evaluation",
            "The evaluation of this attempt was already completed.",
        ));
    }
    let Some(award) = award else {
        tx.commit().await?;
        return Ok(None);
    };
    let reference = format!("module:{}", award.quiz_id);
    let ledger_id = sqlx::query_scalar!(
        r#"
        insert into cme_ledger (user_id, activity, activity_ref, amount, credit_type, online,
                                earned_on, source, created_by)
        values ($1, $2, $3, $4::float8::numeric, $5, true, (now() at time zone 'Asia/Kolkata')::date,
                'corridor', $1)
        on conflict (user_id, activity_ref) where reverses is null do nothing
        returning id
        "#,
        award.user_id,
        award.activity,
        reference,
        award.amount,
        award.credit_type as CreditType
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(ledger_id) = ledger_id else {
        // Credited for this module already (an earlier pass): the evaluation is kept.
        tx.commit().await?;
        return Ok(None);
    };
    let certificate = sqlx::query_scalar!(
        r#"
        insert into certificates (user_id, ledger_id, recipient_name, registration_number, activity,
                                  amount, credit_type, issued_on, issuer, registration_verified)
        select $1, l.id, $3, $4, l.activity, l.amount, l.credit_type, l.earned_on, $5,
               coalesce((select u.registration_verified_at is not null
                           and u.registration_number is not distinct from $4
                         from users u where u.id = $1), false)
        from cme_ledger l where l.id = $2
        returning id
        "#,
        award.user_id,
        ledger_id,
        award.recipient_name,
        award.registration_number,
        award.issuer
    )
    .fetch_one(&mut *tx)
    .await?;
    // The ledger row learns its certificate through a reversing-free design: certificates point
    // at ledger rows, so the ledger itself never changes.
    tx.commit().await?;
    Ok(Some(certificate))
}

/// A user's name, registration number and institution, for certificates.
pub async fn recipient(
    pool: &PgPool,
    user_id: i64,
) -> Result<(String, Option<String>, String), AppError> {
    let row = sqlx::query!(
        r#"
        select u.full_name, u.registration_number, i.name as "institution?"
        from users u
        left join departments d on d.id = u.department_id
        left join institutions i on i.id = d.institution_id
        where u.id = $1
        "#,
        user_id
    )
    .fetch_one(pool)
    .await?;
    Ok((
        row.full_name,
        row.registration_number,
        row.institution.unwrap_or_else(|| "Corridor".into()),
    ))
}

pub async fn ledger(pool: &PgPool, user_id: i64) -> Result<Vec<LedgerEntry>, AppError> {
    Ok(sqlx::query_as!(
        LedgerEntry,
        r#"
        select l.id, l.activity, l.amount::float8 as "amount!",
               l.credit_type as "credit_type: CreditType", l.online,
               l.earned_on as "earned_on: NaiveDate", l.source as "source: CreditSource",
               (select c.id from certificates c where c.ledger_id = l.id) as certificate_id,
               l.reverses, l.reason
        from cme_ledger l where l.user_id = $1
        order by l.earned_on desc, l.id desc
        "#,
        user_id
    )
    .fetch_all(pool)
    .await?)
}

/// Every ledger line of a department's members: (name, e-mail, line), oldest first.
pub async fn department_ledger(
    pool: &PgPool,
    department_id: i64,
) -> Result<Vec<(String, String, LedgerEntry)>, AppError> {
    let rows = sqlx::query!(
        r#"
        select u.full_name, u.email, l.id, l.activity, l.amount::float8 as "amount!",
               l.credit_type as "credit_type: CreditType", l.online,
               l.earned_on as "earned_on: NaiveDate", l.source as "source: CreditSource",
               (select c.id from certificates c where c.ledger_id = l.id) as certificate_id,
               l.reverses, l.reason
        from cme_ledger l join users u on u.id = l.user_id
        where u.department_id = $1
        order by u.full_name, l.earned_on, l.id
        "#,
        department_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.full_name,
                r.email,
                LedgerEntry {
                    id: r.id,
                    activity: r.activity,
                    amount: r.amount,
                    credit_type: r.credit_type,
                    online: r.online,
                    earned_on: r.earned_on,
                    source: r.source,
                    certificate_id: r.certificate_id,
                    reverses: r.reverses,
                    reason: r.reason,
                },
            )
        })
        .collect())
}

/// Ledger lines as the rule engine reads them: a reversal counts against the activity it
/// reverses.
pub fn entries(ledger: &[LedgerEntry]) -> Vec<Entry> {
    ledger
        .iter()
        .map(|l| {
            let original = l
                .reverses
                .and_then(|id| ledger.iter().find(|o| o.id == id))
                .unwrap_or(l);
            Entry {
                activity: format!("{}#{}", original.id, original.activity),
                date: original.earned_on,
                amount: l.amount,
                online: original.online,
            }
        })
        .collect()
}

/// Adds a reversing entry for a ledger line (a correction); the line itself is untouched.
pub async fn reverse(
    pool: &PgPool,
    ledger_id: i64,
    reason: &str,
    by: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query!(
        r#"
        insert into cme_ledger (user_id, activity, activity_ref, amount, credit_type, online,
                                earned_on, source, reverses, reason, created_by)
        select user_id, activity, activity_ref, -amount, credit_type, online, earned_on, source,
               id, $2, $3
        from cme_ledger where id = $1 and reverses is null
        on conflict do nothing
        "#,
        ledger_id,
        reason,
        by
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

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

pub async fn certificate(pool: &PgPool, id: &str) -> Result<Option<(Certificate, i64)>, AppError> {
    let row = sqlx::query!(
        r#"
        select id, user_id, recipient_name, registration_number, registration_verified,
               activity, amount::float8 as "amount!",
               credit_type as "credit_type: CreditType", issued_on as "issued_on: NaiveDate", issuer,
               revoked_at is not null as "revoked!", revoked_reason
        from certificates where id = $1
        "#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| {
        (
            Certificate {
                id: r.id,
                recipient_name: r.recipient_name,
                registration_number: r.registration_number,
                registration_verified: r.registration_verified,
                activity: r.activity,
                amount: r.amount,
                credit_type: r.credit_type,
                issued_on: r.issued_on,
                issuer: r.issuer,
                revoked: r.revoked,
                revoked_reason: r.revoked_reason,
            },
            r.user_id,
        )
    }))
}

/// Revokes a certificate and reverses its credit, both or neither.
pub async fn revoke_certificate(
    pool: &PgPool,
    id: &str,
    reason: &str,
    by: i64,
) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let ledger_id = sqlx::query_scalar!(
        r#"
        update certificates set revoked_at = now(), revoked_reason = $2, revoked_by = $3
        where id = $1 and revoked_at is null
        returning ledger_id
        "#,
        id,
        reason,
        by
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(ledger_id) = ledger_id else {
        tx.rollback().await?;
        return Ok(false);
    };
    sqlx::query!(
        r#"
        insert into cme_ledger (user_id, activity, activity_ref, amount, credit_type, online,
                                earned_on, source, reverses, reason, created_by)
        select user_id, activity, activity_ref, -amount, credit_type, online, earned_on, source,
               id, $2, $3
        from cme_ledger where id = $1
        on conflict do nothing
        "#,
        ledger_id,
        format!("Certificate revoked: {reason}"),
        by
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// What a new claim says.
pub struct NewClaim<'a> {
    pub title: &'a str,
    pub organiser: &'a str,
    pub held_on: NaiveDate,
    pub accreditation_number: &'a str,
    pub amount: f64,
    pub credit_type: CreditType,
    pub online: bool,
    pub certificate_key: Option<&'a str>,
}

pub async fn insert_claim(pool: &PgPool, user_id: i64, c: &NewClaim<'_>) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"
        insert into cme_claims (user_id, title, organiser, held_on, accreditation_number, amount,
                                credit_type, online, certificate_key)
        values ($1, $2, $3, $4, $5, $6::float8::numeric, $7, $8, $9)
        returning id
        "#,
        user_id,
        c.title,
        c.organiser,
        c.held_on as _,
        c.accreditation_number,
        c.amount,
        c.credit_type as CreditType,
        c.online,
        c.certificate_key
    )
    .fetch_one(pool)
    .await?)
}

/// Claims of one person (`user_id`) or, with `department_id`, pending claims of its members.
pub async fn claims(
    pool: &PgPool,
    user_id: Option<i64>,
    department_id: Option<i64>,
) -> Result<Vec<Claim>, AppError> {
    Ok(sqlx::query_as!(
        Claim,
        r#"
        select c.id, u.full_name as claimant, c.title, c.organiser,
               c.held_on as "held_on: NaiveDate", c.accreditation_number,
               c.amount::float8 as "amount!", c.credit_type as "credit_type: CreditType", c.online,
               c.status as "status: ClaimStatus", c.decision_reason,
               c.certificate_key is not null as "has_file!"
        from cme_claims c join users u on u.id = c.user_id
        where ($1::bigint is null or c.user_id = $1)
          and ($2::bigint is null or (u.department_id = $2 and c.status = 'pending'))
        order by c.created_at desc, c.id desc
        "#,
        user_id,
        department_id
    )
    .fetch_all(pool)
    .await?)
}

/// A claim's owner, department and status, to check who may decide it.
pub async fn claim_info(
    pool: &PgPool,
    id: i64,
) -> Result<Option<(i64, Option<i64>, ClaimStatus, Option<String>)>, AppError> {
    let row = sqlx::query!(
        r#"
        select c.user_id, u.department_id, c.status as "status: ClaimStatus", c.certificate_key
        from cme_claims c join users u on u.id = c.user_id where c.id = $1
        "#,
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| (r.user_id, r.department_id, r.status, r.certificate_key)))
}

/// Approves (adding the credit to the ledger) or rejects a pending claim.
pub async fn decide_claim(
    pool: &PgPool,
    id: i64,
    approve: bool,
    reason: &str,
    by: i64,
) -> Result<bool, AppError> {
    let decision = if approve {
        ClaimStatus::Approved
    } else {
        ClaimStatus::Rejected
    };
    let mut tx = pool.begin().await?;
    let decided = sqlx::query!(
        r#"
        update cme_claims set status = $2, decided_by = $3, decided_at = now(), decision_reason = $4
        where id = $1 and status = 'pending'
        returning user_id, title, amount::float8 as "amount!", credit_type as "credit_type: CreditType", online,
                  held_on as "held_on: NaiveDate"
        "#,
        id,
        decision as ClaimStatus,
        by,
        reason
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(claim) = decided else {
        tx.rollback().await?;
        return Ok(false);
    };
    if approve {
        sqlx::query!(
            r#"
            insert into cme_ledger (user_id, activity, activity_ref, amount, credit_type, online,
                                    earned_on, source, created_by)
            values ($1, $2, $3, $4::float8::numeric, $5, $6, $7, 'external', $8)
            "#,
            claim.user_id,
            claim.title,
            format!("claim:{id}"),
            claim.amount,
            claim.credit_type as CreditType,
            claim.online,
            claim.held_on as _,
            by
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}
