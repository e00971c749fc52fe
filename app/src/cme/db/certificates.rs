//! Certificates and their revocation.

use super::*;

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
