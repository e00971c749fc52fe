//! Where sessions live: the `sessions` table, whose signed-in user and epoch are columns, so
//! that `AuthUser` reads a session and its user in one query without loading the session
//! first. The session library (tower-sessions) still issues the cookie, cycles the id on
//! sign-in and saves what changed; this is its store.

use crate::ssr::auth::{EPOCH_KEY, USER_KEY};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tower_sessions::cookie::time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};

#[derive(Debug, Clone)]
pub struct Store {
    pool: PgPool,
}

impl Store {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

fn backend(error: sqlx::Error) -> Error {
    Error::Backend(error.to_string())
}

fn to_chrono(at: OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or_default()
}

/// The columns a record is saved as: signed-in user, epoch, the rest of its data, expiry.
fn columns(record: &Record) -> Result<(Option<i64>, i32, serde_json::Value, DateTime<Utc>)> {
    let user_id = record
        .data
        .get(USER_KEY)
        .and_then(serde_json::Value::as_i64);
    let epoch = record
        .data
        .get(EPOCH_KEY)
        .and_then(serde_json::Value::as_i64)
        .and_then(|e| i32::try_from(e).ok())
        .unwrap_or(0);
    let data = serde_json::to_value(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
    Ok((user_id, epoch, data, to_chrono(record.expiry_date)))
}

#[async_trait::async_trait]
impl tower_sessions::SessionStore for Store {
    /// A new session under an id nobody holds (a collision of 128 random bits is not expected,
    /// but it must not hand one person another's session).
    async fn create(&self, record: &mut Record) -> Result<()> {
        let (user_id, epoch, data, expires_at) = columns(record)?;
        loop {
            let inserted = sqlx::query!(
                r#"
                insert into sessions (id, user_id, epoch, data, expires_at)
                values ($1, $2, $3, $4, $5)
                on conflict (id) do nothing
                "#,
                record.id.to_string(),
                user_id,
                epoch,
                data,
                expires_at
            )
            .execute(&self.pool)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let (user_id, epoch, data, expires_at) = columns(record)?;
        sqlx::query!(
            r#"
            insert into sessions (id, user_id, epoch, data, expires_at)
            values ($1, $2, $3, $4, $5)
            on conflict (id) do update
            set user_id = excluded.user_id, epoch = excluded.epoch, data = excluded.data,
                expires_at = excluded.expires_at
            "#,
            record.id.to_string(),
            user_id,
            epoch,
            data,
            expires_at
        )
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let row = sqlx::query!(
            r#"
            select data, extract(epoch from expires_at)::bigint as "expires!"
            from sessions where id = $1 and expires_at > now()
            "#,
            id.to_string()
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_value(row.data).map_err(|e| Error::Decode(e.to_string()))?,
            expiry_date: OffsetDateTime::from_unix_timestamp(row.expires)
                .map_err(|e| Error::Decode(e.to_string()))?,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sqlx::query!("delete from sessions where id = $1", id.to_string())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// Removes expired sessions (run hourly by the server).
pub async fn delete_expired(pool: &PgPool) -> std::result::Result<u64, sqlx::Error> {
    Ok(
        sqlx::query!("delete from sessions where expires_at <= now()")
            .execute(pool)
            .await?
            .rows_affected(),
    )
}
