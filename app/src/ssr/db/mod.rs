//! Plain async functions over a `PgPool`. Server functions check who is calling, then call these.
//! SQL is compile-time checked (`query!`), with offline data in `.sqlx/` for builds without a DB.

pub mod cases;
pub mod cme;
pub mod discussion;
pub mod follows;
pub mod images;
pub mod institutions;
pub mod membership;
pub mod quizzes;
pub mod users;

/// Whether an error is a violation of the named unique constraint or index.
pub fn is_unique_violation(error: &sqlx::Error, constraint: &str) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            db.is_unique_violation() && db.constraint() == Some(constraint)
        }
        _ => false,
    }
}
