-- Sessions in a table of our own. The session library's store kept each session as one opaque
-- blob, so finding out who is calling took two queries (load and decode the session, then read
-- its user). Here the signed-in user and the session epoch are columns, and `AuthUser` reads
-- the session and its user in one query.
create table sessions (
    id text primary key,
    -- Null for a session that holds something but nobody signed in.
    user_id bigint references users (id) on delete cascade,
    -- The account's session_epoch when the session began: a password reset or deactivation
    -- raises the account's epoch and so ends every older session.
    epoch integer not null default 0,
    -- Everything else the session holds, as JSON.
    data jsonb not null,
    expires_at timestamptz not null
);

create index sessions_user_id on sessions (user_id);
create index sessions_expires_at on sessions (expires_at);

-- The old store's sessions are not carried over: everyone signs in again once.
drop schema if exists tower_sessions cascade;
