//! The credit ledger: awards after evaluation, reversals, exports.

use super::*;

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

/// Which lines of a ledger a page or export shows: a calendar year, a credit type, a source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LedgerFilter {
    pub year: Option<i32>,
    pub credit_type: Option<CreditType>,
    pub source: Option<CreditSource>,
}

/// A page of a person's ledger, newest first, after `after` (the last line of the previous
/// page: its date and id), up to `limit` lines, and the cursor of the next page.
pub async fn ledger_page(
    pool: &PgPool,
    user_id: i64,
    filter: &LedgerFilter,
    after: Option<(NaiveDate, i64)>,
    limit: i64,
) -> Result<(Vec<LedgerEntry>, Option<String>), AppError> {
    let (after_date, after_id) = after.unzip();
    let mut lines = sqlx::query_as!(
        LedgerEntry,
        r#"
        select l.id, l.activity, l.amount::float8 as "amount!",
               l.credit_type as "credit_type: CreditType", l.online,
               l.earned_on as "earned_on: NaiveDate", l.source as "source: CreditSource",
               (select c.id from certificates c where c.ledger_id = l.id) as certificate_id,
               l.reverses, l.reason
        from cme_ledger l
        where l.user_id = $1
          and ($2::int is null or l.earned_on >= make_date($2, 1, 1) and l.earned_on < make_date($2 + 1, 1, 1))
          and ($3::credit_type is null or l.credit_type = $3)
          and ($4::credit_source is null or l.source = $4)
          and ($5::date is null or (l.earned_on, l.id) < ($5, $6))
        order by l.earned_on desc, l.id desc
        limit $7
        "#,
        user_id,
        filter.year,
        filter.credit_type as Option<CreditType>,
        filter.source as Option<CreditSource>,
        after_date as Option<NaiveDate>,
        after_id,
        limit + 1
    )
    .fetch_all(pool)
    .await?;
    let next = if lines.len() as i64 > limit {
        lines.truncate(limit as usize);
        lines.last().map(|l| crate::util::cursor(l.earned_on, l.id))
    } else {
        None
    };
    Ok((lines, next))
}

/// What the whole of a person's ledger under `filter` adds up to (every line, not a page),
/// and the years it has lines in, newest first (for the filter's choices).
pub async fn ledger_totals(
    pool: &PgPool,
    user_id: i64,
    filter: &LedgerFilter,
) -> Result<LedgerTotals, AppError> {
    let row = sqlx::query!(
        r#"
        select count(*) as "lines!",
               coalesce(sum(l.amount) filter (where l.credit_type = 'points'), 0)::float8 as "points!",
               coalesce(sum(l.amount) filter (where l.credit_type = 'hours'), 0)::float8 as "hours!",
               (select coalesce(array_agg(y order by y desc), '{}')
                from (select distinct extract(year from a.earned_on)::int as y
                      from cme_ledger a where a.user_id = $1) years) as "years!: Vec<i32>"
        from cme_ledger l
        where l.user_id = $1
          and ($2::int is null or l.earned_on >= make_date($2, 1, 1) and l.earned_on < make_date($2 + 1, 1, 1))
          and ($3::credit_type is null or l.credit_type = $3)
          and ($4::credit_source is null or l.source = $4)
        "#,
        user_id,
        filter.year,
        filter.credit_type as Option<CreditType>,
        filter.source as Option<CreditSource>,
    )
    .fetch_one(pool)
    .await?;
    Ok(LedgerTotals {
        lines: row.lines,
        points: row.points,
        hours: row.hours,
        years: row.years,
    })
}

/// What the credit rules need of several people's ledgers (a page of a department's dashboard),
/// in one query: per person, one entry per award netted with its correction, as `entries`
/// makes them, leaving out awards earned before the person's current cycle began (the rules
/// would skip them). The netting happens in the database, so a page of members reads one row
/// per award in the cycle rather than every ledger line with its certificate.
pub async fn cycle_entries(
    pool: &PgPool,
    user_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<Entry>>, AppError> {
    let rows = sqlx::query!(
        r#"
        select l.user_id, coalesce(l.reverses, l.id)::text || '#' || min(l.activity) as "activity!",
               min(l.earned_on) as "earned_on!: NaiveDate", sum(l.amount)::float8 as "amount!",
               bool_or(l.online) as "online!"
        from cme_ledger l join users u on u.id = l.user_id
        where l.user_id = any($1) and u.id = any($1) and l.earned_on >= u.cme_cycle_start
        group by l.user_id, coalesce(l.reverses, l.id)
        "#,
        user_ids
    )
    .fetch_all(pool)
    .await?;
    let mut by_user: std::collections::HashMap<i64, Vec<Entry>> = Default::default();
    for r in rows {
        by_user.entry(r.user_id).or_default().push(Entry {
            activity: r.activity,
            date: r.earned_on,
            amount: r.amount,
            online: r.online,
        });
    }
    Ok(by_user)
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
