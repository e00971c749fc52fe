//! Ledger lines for the CSV exports, a batch at a time by keyset (oldest first).

use super::*;

/// A batch of a person's ledger for an export, oldest first, after the line `after`.
pub async fn ledger_batch(
    pool: &PgPool,
    user_id: i64,
    filter: &LedgerFilter,
    after: Option<(NaiveDate, i64)>,
    limit: i64,
) -> Result<Vec<LedgerEntry>, AppError> {
    let (after_date, after_id) = after.unzip();
    Ok(sqlx::query_as!(
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
          and ($5::date is null or (l.earned_on, l.id) > ($5, $6))
        order by l.earned_on, l.id
        limit $7
        "#,
        user_id,
        filter.year,
        filter.credit_type as Option<CreditType>,
        filter.source as Option<CreditSource>,
        after_date as Option<NaiveDate>,
        after_id,
        limit
    )
    .fetch_all(pool)
    .await?)
}

/// Where a department ledger export stands: the last line written, with its member's name
/// and id (lines go by member name, then oldest first).
pub type DepartmentLedgerKey = (String, i64, NaiveDate, i64);

/// A batch of the ledger lines of a department's members: (name, e-mail, line), by member
/// name and then oldest first, after `after`, with the position of its last line.
pub async fn department_ledger_batch(
    pool: &PgPool,
    department_id: i64,
    after: Option<DepartmentLedgerKey>,
    limit: i64,
) -> Result<
    (
        Vec<(String, String, LedgerEntry)>,
        Option<DepartmentLedgerKey>,
    ),
    AppError,
> {
    let (name, user, date, line) = match after {
        Some((name, user, date, line)) => (Some(name), Some(user), Some(date), Some(line)),
        None => (None, None, None, None),
    };
    let rows = sqlx::query!(
        r#"
        select u.full_name, u.email, u.id as user_id, l.id, l.activity, l.amount::float8 as "amount!",
               l.credit_type as "credit_type: CreditType", l.online,
               l.earned_on as "earned_on: NaiveDate", l.source as "source: CreditSource",
               (select c.id from certificates c where c.ledger_id = l.id) as certificate_id,
               l.reverses, l.reason
        from cme_ledger l join users u on u.id = l.user_id
        where u.department_id = $1
          and ($2::text is null or (u.full_name, u.id, l.earned_on, l.id) > ($2, $3, $4, $5))
        order by u.full_name, u.id, l.earned_on, l.id
        limit $6
        "#,
        department_id,
        name,
        user,
        date as Option<NaiveDate>,
        line,
        limit
    )
    .fetch_all(pool)
    .await?;
    let last = (rows.len() as i64 == limit)
        .then(|| {
            rows.last()
                .map(|r| (r.full_name.clone(), r.user_id, r.earned_on, r.id))
        })
        .flatten();
    let lines = rows
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
        .collect();
    Ok((lines, last))
}
