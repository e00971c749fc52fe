//! Finding whom to ask, for the new consult page.

use super::*;
use crate::consults::people::Recipients;

/// The new consult page's recipients: the colleague (`to`) or pool (`pool`) chosen, by name;
/// colleagues and pools matching `find` (name or specialty; department or institution); and
/// without a search, the mentors the caller follows and the pools taking consults. For
/// verified clinicians, as consults are.
#[server(endpoint = "consults/find")]
#[tracing::instrument(skip_all)]
pub async fn find_recipients(
    find: Option<String>,
    to: Option<i64>,
    pool: Option<i64>,
) -> Result<Recipients, AppError> {
    use crate::consults::db::find;
    use crate::consults::people::Chosen;
    let db = crate::ssr::pool()?;
    let user = AuthUser::require(&db).await?;
    verified_clinician(&user)?;
    let words = find.unwrap_or_default().trim().to_owned();
    let chosen = match (to, pool) {
        (Some(id), _) if id != user.id => find::colleague(&db, id).await?.map(Chosen::Colleague),
        (None, Some(id)) => find::accepting_pool(&db, id).await?.map(Chosen::Pool),
        _ => None,
    };
    let unavailable = chosen.is_none() && (to.is_some() || pool.is_some());
    let (colleagues, pools) = if chosen.is_some() {
        (Vec::new(), Vec::new())
    } else if words.is_empty() {
        (
            find::followed(&db, user.id).await?,
            find::pools(&db, "").await?,
        )
    } else {
        (
            find::colleagues(&db, user.id, &words).await?,
            find::pools(&db, &words).await?,
        )
    };
    Ok(Recipients {
        find: words,
        chosen,
        unavailable,
        colleagues,
        pools,
    })
}
