//! Sessions, password hashing and sign-in limits.

use super::LoginLimits;
use crate::accounts::{Role, SessionUser};
use crate::error::AppError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use sqlx::PgPool;
use std::sync::OnceLock;
use tower_sessions::Session;

/// What a signed-in session holds (the session store keeps both as columns too).
pub(crate) const USER_KEY: &str = "user_id";
pub(crate) const EPOCH_KEY: &str = "epoch";

/// Argon2 takes ~19 MiB and tens of milliseconds of CPU per hash: at most this many run at
/// once, so a flood of sign-ins or registrations queues instead of exhausting memory.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

async fn hashing_permit() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    HASHING.acquire().await.map_err(AppError::internal)
}

/// Hashes a password with Argon2id on the blocking pool: hashing takes tens of milliseconds of
/// CPU and must not stall the async runtime.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    let _permit = hashing_permit().await?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

/// Checks a password against a stored hash, also on the blocking pool.
pub async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    let _permit = hashing_permit().await?;
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash)?;
        Ok::<_, argon2::password_hash::Error>(
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
        )
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

/// A hash to verify against when the e-mail is unknown, so that an unknown address takes as
/// long to reject as a wrong password and the two cannot be told apart.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"corridor-timing-equaliser", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(AppError::internal)
}

/// The signed-in person: the one way every endpoint learns who is calling. Server functions
/// ask with `AuthUser::require(&pool)` (or a role check: `author`, `site_admin`, `admin`);
/// plain handlers take `AuthUser` as an extractor, or call `AuthUser::from_session` inside a
/// form handler so that a missing sign-in is answered like any other refusal. No one signed
/// in is 401; a database failure is 500, never a pretend sign-out.
#[derive(Debug, Clone)]
pub struct AuthUser(pub SessionUser);

impl std::ops::Deref for AuthUser {
    type Target = SessionUser;
    fn deref(&self) -> &SessionUser {
        &self.0
    }
}

impl AuthUser {
    /// The signed-in person, if any (for pages anyone may read).
    pub async fn current(pool: &PgPool) -> Result<Option<SessionUser>, AppError> {
        user_of(pool, &session().await?).await
    }

    pub async fn require(pool: &PgPool) -> Result<SessionUser, AppError> {
        Self::current(pool).await?.ok_or(AppError::Unauthenticated)
    }

    /// For plain handlers holding the session themselves.
    pub async fn from_session(pool: &PgPool, session: &Session) -> Result<SessionUser, AppError> {
        user_of(pool, session)
            .await?
            .ok_or(AppError::Unauthenticated)
    }

    /// Someone who writes cases and modules (`guard::can_author`).
    pub async fn author(pool: &PgPool) -> Result<SessionUser, AppError> {
        let user = Self::require(pool).await?;
        crate::ssr::guard::can_author(&user)?;
        Ok(user)
    }

    pub async fn site_admin(pool: &PgPool) -> Result<SessionUser, AppError> {
        Self::with_role(pool, &[Role::SiteAdmin]).await
    }

    /// A site admin or a department admin.
    pub async fn admin(pool: &PgPool) -> Result<SessionUser, AppError> {
        Self::with_role(pool, &[Role::SiteAdmin, Role::DepartmentAdmin]).await
    }

    pub async fn with_role(pool: &PgPool, allowed: &[Role]) -> Result<SessionUser, AppError> {
        let user = Self::require(pool).await?;
        if allowed.contains(&user.role) {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl<S> axum::extract::FromRequestParts<S> for AuthUser
where
    S: Send + Sync,
    crate::ssr::AppState: axum::extract::FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        use axum::extract::FromRef;
        let app = crate::ssr::AppState::from_ref(state);
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, message)| AppError::internal(message))?;
        Ok(AuthUser(Self::from_session(&app.pool, &session).await?))
    }
}

/// Who is calling, looked up once per request, so the layout's header and the page's own data
/// do not each ask. Put in the request's extensions by `ssr::with_request_id`; every clone of
/// the request parts shares it.
///
/// The first part to ask starts the lookup as a shared future, and every part that asks later,
/// even at the very same moment, awaits that same future: one query per request. Whichever
/// part polls it drives it, so Leptos setting one part's future aside cannot stall the others
/// (the lock below is only held to fetch or store the future, never across an `.await`).
///
/// The lookup is kept with the session id it answers for and used only for that id: whatever
/// context a part finds itself in, it can never be handed someone else's identity.
#[derive(Clone, Default)]
pub struct CallerMemo(std::sync::Arc<std::sync::Mutex<Option<Keyed>>>);

/// A lookup and the session id (none when no session) it answers for.
type Keyed = (Option<String>, Lookup);

type Lookup = futures_util::future::Shared<
    futures_util::future::BoxFuture<'static, Result<Option<SessionUser>, AppError>>,
>;

impl CallerMemo {
    fn of_request() -> Option<CallerMemo> {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<CallerMemo>().cloned())
    }

    /// This request's lookup, started now if nobody asked before.
    fn lookup(&self, pool: &PgPool, session: &Session) -> Option<Lookup> {
        use futures_util::FutureExt;
        let key = session.id().map(|id| id.to_string());
        let mut slot = self.0.lock().ok()?;
        match &*slot {
            Some((known, shared)) if *known == key => Some(shared.clone()),
            Some(_) => None,
            None => {
                let (pool, session) = (pool.clone(), session.clone());
                let shared = async move { lookup(&pool, &session).await }
                    .boxed()
                    .shared();
                *slot = Some((key, shared.clone()));
                Some(shared)
            }
        }
    }

    /// Forgets who was calling (the session just began or ended).
    fn forget() {
        if let Some(memo) = Self::of_request() {
            if let Ok(mut slot) = memo.0.lock() {
                *slot = None;
            }
        }
    }
}

/// The user a session belongs to. A session is ended when its account was deleted or
/// deactivated, or when all the account's sessions were ended (password reset) after it began.
async fn user_of(pool: &PgPool, session: &Session) -> Result<Option<SessionUser>, AppError> {
    match CallerMemo::of_request().and_then(|memo| memo.lookup(pool, session)) {
        Some(shared) => shared.await,
        None => lookup(pool, session).await,
    }
}

async fn lookup(pool: &PgPool, session: &Session) -> Result<Option<SessionUser>, AppError> {
    // A session changed during this request (signing in) is read as it now stands.
    if session.is_modified() {
        let Some(id) = session
            .get::<i64>(USER_KEY)
            .await
            .map_err(AppError::internal)?
        else {
            return Ok(None);
        };
        let epoch = session
            .get::<i32>(EPOCH_KEY)
            .await
            .map_err(AppError::internal)?
            .unwrap_or(0);
        return Ok(match crate::accounts::session_user(pool, id).await? {
            Some((user, current, true)) if current == epoch => Some(user),
            _ => None,
        });
    }
    // Otherwise one query reads the session and its user together, without loading the
    // session's data.
    let Some(id) = session.id() else {
        return Ok(None);
    };
    match crate::accounts::signed_in(pool, &id.to_string()).await? {
        Some((user, true)) => Ok(Some(user)),
        Some((_, false)) => {
            session.flush().await.map_err(AppError::internal)?;
            Ok(None)
        }
        None => Ok(None),
    }
}

/// Starts a signed-in session under a fresh session id, so an id planted before sign-in is
/// worthless after it (session fixation).
pub async fn start_session(session: &Session, user_id: i64, epoch: i32) -> Result<(), AppError> {
    CallerMemo::forget();
    session.cycle_id().await.map_err(AppError::internal)?;
    session
        .insert(USER_KEY, user_id)
        .await
        .map_err(AppError::internal)?;
    session
        .insert(EPOCH_KEY, epoch)
        .await
        .map_err(AppError::internal)
}

pub async fn end_session(session: &Session) -> Result<(), AppError> {
    CallerMemo::forget();
    session.flush().await.map_err(AppError::internal)
}

/// The client's address, for per-address sign-in limits.
pub fn client_ip(limits: &LoginLimits) -> String {
    let Some(parts) = leptos::prelude::use_context::<http::request::Parts>() else {
        return "unknown".into();
    };
    client_ip_of(&parts.headers, &parts.extensions, limits.trust_proxy)
}

/// The client's address from a request's headers and extensions. Behind a trusted proxy it is
/// the right-most `X-Forwarded-For` entry — the one the proxy itself appended; entries to its
/// left come from the client and can say anything.
pub fn client_ip_of(
    headers: &http::HeaderMap,
    extensions: &http::Extensions,
    trust_proxy: bool,
) -> String {
    if trust_proxy {
        if let Some(forwarded) = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .next_back()
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
        {
            return forwarded.to_owned();
        }
    }
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Minutes until a window that began at `oldest` is over (at least one).
fn minutes_left(oldest: Option<chrono::DateTime<chrono::Utc>>, window_minutes: i64) -> u32 {
    let left = oldest
        .map(|t| (t + chrono::Duration::minutes(window_minutes) - chrono::Utc::now()).num_seconds())
        .unwrap_or(window_minutes * 60);
    ((left + 59) / 60).clamp(1, window_minutes) as u32
}

/// Checks e-mail and password, applying the per-address and per-account limits first; returns
/// the account id and its session epoch. A wrong password and an unknown e-mail give the same
/// error, after the same amount of work.
///
/// Limits: an address that keeps failing is stopped first (it is the likely attacker). An
/// account is locked after repeated failures from anywhere, except from an address that signed
/// in to it successfully in the last 30 days — so a stranger guessing cannot lock the owner out
/// of their usual ward computer.
pub async fn authenticate(
    pool: &PgPool,
    limits: &LoginLimits,
    email: &str,
    password: &str,
    ip: &str,
) -> Result<(i64, i32), AppError> {
    use crate::ssr::audit;
    use crate::ssr::audit::Event;
    let email = email.trim().to_lowercase();
    let attempt = crate::accounts::begin_attempt(pool, &email, ip, limits.window_minutes).await?;
    let locked = if attempt.by_ip > limits.per_ip {
        Some(minutes_left(attempt.oldest_ip, limits.window_minutes))
    } else if attempt.by_account > limits.per_account && !attempt.known_address {
        Some(minutes_left(attempt.oldest_account, limits.window_minutes))
    } else {
        None
    };
    if let Some(minutes) = locked {
        crate::accounts::forget_attempt(pool, attempt.id).await?;
        tracing::warn!(%ip, "sign-in rate limit reached");
        metrics::counter!("corridor_rate_limited_total", "kind" => "sign-in").increment(1);
        audit::record(
            pool,
            Event::new("sign_in.limited").detail(format!("email {email}")),
        )
        .await?;
        return Err(AppError::RateLimited { minutes });
    }
    let credentials = crate::accounts::find_credentials(pool, &email).await?;
    let hash = credentials
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    let matches = verify_password(password.to_owned(), hash).await?;
    match credentials {
        Some(c) if matches && !c.active => {
            crate::accounts::forget_attempt(pool, attempt.id).await?;
            audit::record(
                pool,
                Event::new("sign_in.deactivated")
                    .subject(c.id)
                    .department(c.department_id),
            )
            .await?;
            metrics::counter!("corridor_sign_in_failures_total", "reason" => "deactivated")
                .increment(1);
            Err(AppError::Deactivated)
        }
        Some(c) if matches => {
            crate::accounts::attempt_succeeded(pool, attempt.id).await?;
            crate::accounts::clear_failures(pool, &email).await?;
            audit::record(
                pool,
                Event::new("sign_in")
                    .actor(c.id)
                    .subject(c.id)
                    .department(c.department_id),
            )
            .await?;
            Ok((c.id, c.session_epoch))
        }
        other => {
            audit::record(
                pool,
                Event::new("sign_in.failed")
                    .department(other.as_ref().and_then(|c| c.department_id))
                    .detail(format!("email {email}")),
            )
            .await?;
            metrics::counter!("corridor_sign_in_failures_total", "reason" => "bad_credentials")
                .increment(1);
            Err(AppError::BadCredentials)
        }
    }
}
