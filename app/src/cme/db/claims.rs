//! External claims and their decisions.

use super::*;

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

/// Where a department's claims queue stands, for its cursor: pending claims come first, then
/// decided ones, each newest first. Written `p.<micros>` or `d.<micros>` (the claim's
/// submission time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimKey {
    pub decided: bool,
    pub submitted_at: DateTime<Utc>,
}

impl std::fmt::Display for ClaimKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rank = if self.decided { 'd' } else { 'p' };
        write!(f, "{rank}.{}", self.submitted_at.timestamp_micros())
    }
}

impl std::str::FromStr for ClaimKey {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        let decided = match s.split_once('.') {
            Some(("p", _)) => false,
            Some(("d", _)) => true,
            _ => return Err(()),
        };
        let micros = s[2..].parse().map_err(|_| ())?;
        Ok(ClaimKey {
            decided,
            submitted_at: DateTime::from_timestamp_micros(micros).ok_or(())?,
        })
    }
}

/// A page of a department's claims queue: with `status`, only those; without, every claim,
/// pending first. After `after` (the last claim of the previous page), up to `limit`, and the
/// cursor of the page that follows when there is one.
pub async fn claims_queue(
    pool: &PgPool,
    department_id: i64,
    status: Option<ClaimStatus>,
    after: Option<(ClaimKey, i64)>,
    limit: i64,
) -> Result<(Vec<Claim>, Option<String>), AppError> {
    let (key, after_id) = after.unzip();
    let rows = sqlx::query!(
        r#"
        select c.id, u.full_name as claimant, c.title, c.organiser,
               c.held_on as "held_on: NaiveDate", c.accreditation_number,
               c.amount::float8 as "amount!", c.credit_type as "credit_type: CreditType", c.online,
               c.status as "status: ClaimStatus", c.decision_reason,
               c.certificate_key is not null as "has_file!",
               c.status <> 'pending' as "decided!", c.created_at as "created_at: DateTime<Utc>"
        from cme_claims c join users u on u.id = c.user_id
        where u.department_id = $1
          and ($2::claim_status is null or c.status = $2)
          and ($3::bool is null
               or (c.status <> 'pending') > $3
               or ((c.status <> 'pending') = $3 and (c.created_at, c.id) < ($4, $5)))
        order by c.status <> 'pending', c.created_at desc, c.id desc
        limit $6
        "#,
        department_id,
        status as Option<ClaimStatus>,
        key.map(|k| k.decided),
        key.map(|k| k.submitted_at),
        after_id,
        limit + 1
    )
    .fetch_all(pool)
    .await?;
    let more = rows.len() as i64 > limit;
    let mut next = None;
    let claims = rows
        .into_iter()
        .take(limit as usize)
        .map(|r| {
            let key = ClaimKey {
                decided: r.decided,
                submitted_at: r.created_at,
            };
            next = more.then(|| crate::util::cursor(key, r.id));
            Claim {
                id: r.id,
                claimant: r.claimant,
                title: r.title,
                organiser: r.organiser,
                held_on: r.held_on,
                accreditation_number: r.accreditation_number,
                amount: r.amount,
                credit_type: r.credit_type,
                online: r.online,
                status: r.status,
                decision_reason: r.decision_reason,
                has_file: r.has_file,
            }
        })
        .collect();
    Ok((claims, next))
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
