-- CME credit: activity evaluations, council requirement profiles, the append-only credit
-- ledger, certificates, external claims and module assignments.

-- The short evaluation a learner completes after passing a module; credit follows it.
create table activity_evaluations (
    attempt_id       bigint primary key references quiz_attempts (id) on delete cascade,
    relevance        integer not null check (relevance between 1 and 5),
    quality          integer not null check (quality between 1 and 5),
    practice_change  text not null check (practice_change in ('none', 'considering', 'will_change', 'already_changed')),
    comments         text not null default '' check (length(comments) <= 2000),
    created_at       timestamptz not null default now()
);

-- Council rules are data: a site admin edits them without a release.
create table cme_profiles (
    id                 bigserial primary key,
    name               text not null unique,
    unit               text not null check (unit in ('points', 'hours')),
    cycle_years        integer not null check (cycle_years between 1 and 10),
    total_required     numeric(6, 2) not null check (total_required > 0),
    per_year_minimum   numeric(6, 2) not null default 0 check (per_year_minimum >= 0),
    per_event_maximum  numeric(6, 2) check (per_event_maximum > 0),
    online_cap         numeric(6, 2) check (online_cap >= 0),
    online_factor      numeric(4, 2) not null default 1 check (online_factor > 0 and online_factor <= 1),
    updated_at         timestamptz not null default now()
);

insert into cme_profiles (name, unit, cycle_years, total_required, per_year_minimum, per_event_maximum, online_cap, online_factor) values
    ('Maharashtra Medical Council', 'points', 5, 30, 6, 4, 10, 1),
    ('Tamil Nadu Medical Council', 'hours', 5, 30, 0, null, null, 0.5),
    ('Karnataka Medical Council', 'points', 5, 30, 0, 4, 15, 1),
    ('Delhi Medical Council', 'hours', 5, 50, 0, null, 25, 1);

alter table users
    add column cme_profile_id bigint references cme_profiles (id) on delete set null,
    add column cme_cycle_start date;

-- Every credit ever awarded or corrected. Rows are never changed or removed: a correction is
-- a new row with a negative amount that names the row it reverses.
create table cme_ledger (
    id             bigserial primary key,
    user_id        bigint not null references users (id) on delete restrict,
    activity       text not null,
    -- What earned it: 'module:<quiz id>' or 'claim:<claim id>'.
    activity_ref   text not null,
    amount         numeric(6, 2) not null,
    credit_type    text not null check (credit_type in ('points', 'hours')),
    online         boolean not null,
    earned_on      date not null,
    source         text not null check (source in ('corridor', 'external')),
    certificate_id text,
    reverses       bigint references cme_ledger (id),
    reason         text,
    created_by     bigint references users (id) on delete set null,
    created_at     timestamptz not null default now(),
    check ((reverses is null) = (amount >= 0))
);

-- One award per activity and person, and one reversal per award.
create unique index cme_ledger_award_idx on cme_ledger (user_id, activity_ref) where reverses is null;
create unique index cme_ledger_reversal_idx on cme_ledger (reverses) where reverses is not null;
create index cme_ledger_user_idx on cme_ledger (user_id, earned_on);

create function cme_ledger_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'the CME ledger is append-only: add a reversing entry instead';
end;
$$;

create trigger cme_ledger_no_change before update or delete on cme_ledger
    for each row execute function cme_ledger_append_only();

-- A certificate for each credit-earning completion; verifiable by its id without signing in.
create table certificates (
    id                   text primary key default replace(gen_random_uuid()::text, '-', ''),
    user_id              bigint not null references users (id) on delete restrict,
    ledger_id            bigint not null unique references cme_ledger (id),
    recipient_name       text not null,
    registration_number  text,
    activity             text not null,
    amount               numeric(6, 2) not null,
    credit_type          text not null,
    issued_on            date not null,
    issuer               text not null,
    revoked_at           timestamptz,
    revoked_reason       text,
    revoked_by           bigint references users (id) on delete set null,
    created_at           timestamptz not null default now()
);

-- External CME (conferences, workshops) claimed by a clinician, decided by a department admin.
create table cme_claims (
    id                    bigserial primary key,
    user_id               bigint not null references users (id) on delete cascade,
    title                 text not null check (length(title) between 1 and 200),
    organiser             text not null check (length(organiser) between 1 and 200),
    held_on               date not null,
    accreditation_number  text not null check (length(accreditation_number) between 1 and 60),
    amount                numeric(6, 2) not null check (amount > 0 and amount <= 50),
    credit_type           text not null check (credit_type in ('points', 'hours')),
    online                boolean not null default false,
    certificate_key       text,
    status                text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
    decided_by            bigint references users (id) on delete set null,
    decided_at            timestamptz,
    decision_reason       text,
    created_at            timestamptz not null default now()
);

create index cme_claims_pending_idx on cme_claims (user_id) where status = 'pending';

-- Modules a department assigns to its residents, with a due date.
create table module_assignments (
    id            bigserial primary key,
    quiz_id       bigint not null references quizzes (id) on delete cascade,
    user_id       bigint not null references users (id) on delete cascade,
    due_on        date not null,
    assigned_by   bigint references users (id) on delete set null,
    created_at    timestamptz not null default now(),
    unique (quiz_id, user_id)
);
