//! Database helpers shared by every feature's `db` module.
//!
//! Transactions: a step that fails without having changed a row may simply return with `?`;
//! the dropped transaction rolls back. A step that changed or locked rows and then refuses
//! calls `tx.rollback()` first, so the lock is released at once rather than when the pooled
//! connection is next used.

/// Whether an error is a violation of the named unique constraint or index.
pub fn is_unique_violation(error: &sqlx::Error, constraint: &str) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            db.is_unique_violation() && db.constraint() == Some(constraint)
        }
        _ => false,
    }
}

/// An update meant to change a row: when none matched (already done, decided by someone else,
/// or not there), the refusal the caller chose.
pub fn changed(
    done: sqlx::postgres::PgQueryResult,
    refusal: impl FnOnce() -> crate::error::AppError,
) -> Result<(), crate::error::AppError> {
    if done.rows_affected() == 0 {
        Err(refusal())
    } else {
        Ok(())
    }
}
