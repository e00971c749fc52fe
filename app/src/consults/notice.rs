//! Telling the other side: a notification in the app (in the step's transaction) and a mail
//! (after it commits) to each person a step waits on.

use crate::consults::headline;
use crate::discussion::NotificationKind;
use crate::error::AppError;
use crate::ssr::mail::{consult_messages, Mailer};
use sqlx::PgPool;

/// Where mail goes and the address its links start with.
#[derive(Clone, Copy)]
pub struct Post<'a> {
    pub mailer: &'a Mailer,
    pub base: &'a str,
}

/// Mails `users` about consult `id` (in the background; a failure is logged).
pub async fn mail(
    pool: &PgPool,
    post: Option<Post<'_>>,
    id: i64,
    users: &[i64],
    kind: NotificationKind,
) -> Result<(), AppError> {
    let Some(post) = post else {
        return Ok(());
    };
    let link = format!("{}/consults/{id}", post.base);
    for (email, name) in super::db::mail_addresses(pool, users).await? {
        post.mailer.send_later(consult_messages::step(
            &email,
            &name,
            headline(kind),
            id,
            &link,
        ));
    }
    Ok(())
}
