-- Trust: who someone is and which department they belong to must be something a hospital and a
-- council can rely on, not whatever was typed at registration.

-- `users.department_id` now means a *verified* membership: every existing query that grants
-- department access (case_readable, dashboards, assignments) keeps meaning "verified member".
-- What a person asked for at registration waits in `requested_department_id` until an e-mail
-- domain or a department admin confirms it.
alter table users
    add column email_verified_at         timestamptz,
    add column requested_department_id   bigint references departments (id) on delete set null,
    add column deactivated_at            timestamptz,
    add column deactivated_by            bigint references users (id) on delete set null,
    add column deactivation_reason       text,
    -- Bumped to end every session of the account at once (password reset, deactivation).
    add column session_epoch             integer not null default 0,
    -- The council registration number is self-declared until a department admin checks it.
    add column registration_verified_at  timestamptz,
    add column registration_verified_by  bigint references users (id) on delete set null;

-- Accounts made before verification existed were set up by their operators.
update users set email_verified_at = created_at;

create index users_requested_department_idx on users (requested_department_id)
    where requested_department_id is not null;

-- A certificate says whether the registration number on it had been checked by the department
-- when it was issued (the public verification page shows it).
alter table certificates add column registration_verified boolean not null default false;

-- How people join an institution: 'domain' lets an address at one of its domains join after
-- verifying that address (anyone else waits for approval); 'approval' always waits.
create type join_policy as enum ('domain', 'approval');
alter table institutions add column join_policy join_policy not null default 'domain';

create table institution_domains (
    domain          text primary key
                    check (domain = lower(domain)
                           and domain ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'),
    institution_id  bigint not null references institutions (id) on delete cascade,
    created_at      timestamptz not null default now()
);

create index institution_domains_institution_idx on institution_domains (institution_id);

-- Every membership decision, kept: a department can show who let whom in and why.
create type membership_event as enum
    ('requested', 'joined_by_domain', 'approved', 'declined', 'invited', 'joined_by_invitation',
     'left', 'removed');

create table membership_events (
    id             bigserial primary key,
    user_id        bigint references users (id) on delete restrict,
    department_id  bigint not null references departments (id) on delete restrict,
    event          membership_event not null,
    reason         text check (length(reason) <= 500),
    actor_id       bigint references users (id) on delete set null,
    at             timestamptz not null default now()
);

create index membership_events_user_idx on membership_events (user_id, at desc);
create index membership_events_department_idx on membership_events (department_id, at desc);

-- Links sent by mail: e-mail verification, password reset, invitation. Only a SHA-256 hash of
-- the random token is stored, so a copy of the database cannot be used to take over accounts.
create type email_token_purpose as enum ('verify', 'reset', 'invite');

create table email_tokens (
    token_hash     bytea primary key,
    purpose        email_token_purpose not null,
    user_id        bigint references users (id) on delete cascade,
    email          text not null check (email = lower(email)),
    department_id  bigint references departments (id) on delete cascade,
    created_by     bigint references users (id) on delete set null,
    expires_at     timestamptz not null,
    used_at        timestamptz,
    created_at     timestamptz not null default now(),
    check (purpose <> 'invite' or department_id is not null),
    check (purpose = 'invite' or user_id is not null)
);

create index email_tokens_user_idx on email_tokens (user_id, purpose);

-- Requests limited per address besides sign-in (registration, password-reset mails).
create table request_limits (
    kind  text not null,
    key   text not null,
    at    timestamptz not null default now()
);

create index request_limits_idx on request_limits (kind, key, at);

-- The audit log: who did what, when, from where. Append-only: rows are never changed, and only
-- rows past the retention period (at least 30 days old) may be removed, by housekeeping.
create table audit_log (
    id               bigserial primary key,
    at               timestamptz not null default now(),
    actor_id         bigint references users (id) on delete set null,
    action           text not null check (action ~ '^[a-z_.]+$'),
    -- The person the action was about, when there is one.
    subject_user_id  bigint references users (id) on delete set null,
    -- The department whose admins may read this entry.
    department_id    bigint references departments (id) on delete set null,
    -- What was acted on, e.g. 'case:12', 'certificate:…'.
    target           text,
    detail           text check (length(detail) <= 2000),
    ip               text,
    request_id       text
);

create index audit_log_at_idx on audit_log (at desc, id desc);
create index audit_log_department_idx on audit_log (department_id, at desc, id desc);

create function audit_log_append_only() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' and old.at < now() - interval '30 days' then
        return old;
    end if;
    raise exception 'the audit log is append-only';
end;
$$;

create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function audit_log_append_only();
