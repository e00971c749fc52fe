-- Consults: a clinician asks a named colleague, or a department's pool, for a second opinion on a
-- de-identified patient, and gets a structured answer in time. Today this happens on WhatsApp,
-- with no consent, no record and no answer clock; here every step is guarded and kept.
--
-- Closed sets are enum types (the Rust enums in app::consults map onto them one to one).

create type consult_state as enum
    ('draft', 'submitted', 'accepted', 'info_requested', 'answered', 'follow_up', 'closed',
     'declined', 'cancelled', 'expired');

-- What happened to a consult. Escalation, overdue and purge change no state: they are flags
-- and facts about the consult, recorded as events so the history is complete.
create type consult_action as enum
    ('submit', 'accept', 'decline', 'request_info', 'provide_info', 'answer', 'ask_follow_up',
     'answer_follow_up', 'close', 'auto_close', 'cancel', 'expire', 'escalate', 'mark_overdue',
     'purge');

-- Corridor is not for emergencies: 'soon' is the fastest there is.
create type consult_urgency as enum ('routine', 'soon');
create type consult_sex as enum ('female', 'male', 'other', 'not_stated');
-- Bands, never a date of birth: an exact age narrows who the patient is.
create type consult_age_band as enum
    ('under_1', '1_to_4', '5_to_12', '13_to_17', '18_to_39', '40_to_64', '65_to_79', '80_plus');
create type consult_referral as enum ('no', 'routine', 'urgent');
create type consult_outcome as enum
    ('referral_avoided', 'referral_still_needed', 'referral_prompted', 'referral_not_needed');
create type consent_method as enum ('verbal', 'written', 'electronic');
create type consult_message_kind as enum
    ('info_request', 'info_reply', 'follow_up_question', 'follow_up_answer');

-- A department that accepts consults. Its admin names the responders and sets the targets:
-- answer within routine_hours / soon_hours of submission, acknowledge (accept) within ack_hours
-- or the admin is told.
create table consult_pools (
    department_id  bigint primary key references departments (id) on delete restrict,
    accepting      boolean not null default true,
    routine_hours  integer not null default 72 check (routine_hours between 1 and 720),
    soon_hours     integer not null default 24 check (soon_hours between 1 and 720),
    ack_hours      integer not null default 24 check (ack_hours between 1 and 720),
    created_at     timestamptz not null default now()
);

create table consult_pool_responders (
    department_id  bigint not null references consult_pools (department_id) on delete cascade,
    user_id        bigint not null references users (id) on delete cascade,
    added_by       bigint references users (id) on delete set null,
    added_at       timestamptz not null default now(),
    primary key (department_id, user_id)
);

create index consult_pool_responders_user_idx on consult_pool_responders (user_id);

create table consults (
    id              bigserial primary key,
    -- restrict: a consult's record outlives neither party silently (accounts are deactivated,
    -- not deleted).
    requester_id    bigint not null references users (id) on delete restrict,
    -- The named colleague, or (for a pool consult) the pool responder who accepted it; empty
    -- while a pool consult waits in the pool.
    responder_id    bigint references users (id) on delete restrict,
    pool_id         bigint references consult_pools (department_id) on delete restrict,
    specialty       text not null references specialties (slug),
    urgency         consult_urgency not null default 'routine',
    -- The clinical text, in SBAR order. Blanked by the retention purge (purged_at), never the
    -- metadata around it.
    question        text not null default '' check (length(question) <= 500),
    situation       text not null default '' check (length(situation) <= 2000),
    background      text not null default '' check (length(background) <= 4000),
    assessment      text not null default '' check (length(assessment) <= 4000),
    ask             text not null default '' check (length(ask) <= 2000),
    findings        text not null default '' check (length(findings) <= 4000),
    investigations  text not null default '' check (length(investigations) <= 4000),
    medicines       text not null default '' check (length(medicines) <= 2000),
    tried           text not null default '' check (length(tried) <= 2000),
    age_band        consult_age_band,
    sex             consult_sex,
    state           consult_state not null default 'draft',
    submitted_at    timestamptz,
    accepted_at     timestamptz,
    answered_at     timestamptz,
    -- When it reached closed, declined, cancelled or expired: the retention clock starts here.
    ended_at        timestamptz,
    -- The answer is due by due_at. While information is requested the clock pauses (paused_at);
    -- when it is provided, due_at moves on by the time spent waiting.
    due_at          timestamptz,
    paused_at       timestamptz,
    -- Flags, not states: nobody accepted within the pool's acknowledgement time; nobody
    -- answered by due_at.
    escalated_at    timestamptz,
    overdue_at      timestamptz,
    purged_at       timestamptz,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    -- A named consult always has its responder; a pool consult may wait for one.
    check (pool_id is not null or responder_id is not null),
    check (responder_id is null or responder_id <> requester_id),
    check ((state in ('closed', 'declined', 'cancelled', 'expired')) = (ended_at is not null)),
    check (purged_at is null or ended_at is not null)
);

create index consults_requester_idx on consults (requester_id, updated_at desc);
create index consults_responder_idx on consults (responder_id, updated_at desc)
    where responder_id is not null;
create index consults_pool_idx on consults (pool_id, state) where pool_id is not null;
-- Housekeeping looks at open consults and at ended ones not yet purged.
create index consults_open_idx on consults (state, due_at)
    where state in ('submitted', 'accepted', 'info_requested', 'answered', 'follow_up');
create index consults_purge_idx on consults (ended_at) where purged_at is null and ended_at is not null;

-- The patient's consent to a colleague's opinion (Telemedicine Practice Guidelines 2020): no
-- row, no sending. Not purged: that consent was recorded is part of the record.
create table consult_consents (
    consult_id   bigint primary key references consults (id) on delete cascade,
    method       consent_method not null,
    obtained_on  date not null,
    recorded_by  bigint not null references users (id) on delete restrict,
    recorded_at  timestamptz not null default now()
);

-- The requester's overrides of privacy findings, as for cases (privacy_overrides): one exact
-- text per kind, with the reason. The text may be an identifier, so the purge removes these.
create table consult_privacy_overrides (
    consult_id   bigint not null references consults (id) on delete cascade,
    kind         text not null,
    text         text not null,
    reason       text not null check (length(btrim(reason)) >= 10),
    recorded_by  bigint not null references users (id) on delete restrict,
    recorded_at  timestamptz not null default now(),
    primary key (consult_id, kind, text)
);

-- The structured answer (Champlain BASE's shape): what the specialist thinks, what to do, when
-- to send the patient urgently, and whether a referral is still advised.
create table consult_answers (
    consult_id       bigint primary key references consults (id) on delete cascade,
    impression       text not null check (length(impression) <= 4000),
    recommendations  text not null check (length(recommendations) <= 4000),
    red_flags        text not null default '' check (length(red_flags) <= 2000),
    referral         consult_referral not null,
    investigations   text not null default '' check (length(investigations) <= 2000),
    citations        text not null default '' check (length(citations) <= 2000),
    free_text        text not null default '' check (length(free_text) <= 8000),
    answered_by      bigint not null references users (id) on delete restrict,
    answered_at      timestamptz not null default now()
);

-- Requests for information and their replies; follow-up questions and their answers.
create table consult_messages (
    id          bigserial primary key,
    consult_id  bigint not null references consults (id) on delete cascade,
    kind        consult_message_kind not null,
    author_id   bigint not null references users (id) on delete restrict,
    body        text not null check (length(body) <= 4000),
    created_at  timestamptz not null default now()
);

create index consult_messages_consult_idx on consult_messages (consult_id, created_at, id);

-- The requester's close-out: was it useful, did it teach, what happened to the referral.
-- A consult that closed itself has none.
create table consult_closeouts (
    consult_id   bigint primary key references consults (id) on delete cascade,
    useful       smallint not null check (useful between 1 and 5),
    educational  smallint not null check (educational between 1 and 5),
    outcome      consult_outcome not null,
    note         text not null default '' check (length(note) <= 2000),
    closed_by    bigint not null references users (id) on delete restrict,
    closed_at    timestamptz not null default now()
);

-- Every transition, kept for good: who (null for Corridor's own housekeeping), when, from which
-- state to which, and why. Never changed or deleted, also not by the retention purge; so a
-- consult itself can never be deleted either (restrict).
create table consult_events (
    id          bigserial primary key,
    consult_id  bigint not null references consults (id) on delete restrict,
    actor_id    bigint references users (id) on delete set null,
    at          timestamptz not null default now(),
    -- Both empty only for the event that created the draft.
    from_state  consult_state,
    to_state    consult_state not null,
    action      consult_action,
    detail      text check (length(detail) <= 1000)
);

create index consult_events_consult_idx on consult_events (consult_id, at, id);

create function consult_events_append_only() returns trigger
language plpgsql as $$
begin
    -- A user's deletion nulls actor_id (on delete set null); that is the only change allowed.
    if tg_op = 'UPDATE' and new.actor_id is null and old.actor_id is not null
       and (new.id, new.consult_id, new.at, new.from_state, new.to_state, new.action, new.detail)
           is not distinct from
           (old.id, old.consult_id, old.at, old.from_state, old.to_state, old.action, old.detail) then
        return new;
    end if;
    raise exception 'consult events are append-only';
end;
$$;

create trigger consult_events_no_change before update or delete on consult_events
    for each row execute function consult_events_append_only();

-- Who may open a consult: its requester; its responder once it is sent; the pool's department
-- admin (for routing); and, while a pool consult waits in the pool, the pool's responders.
-- Everyone else is told it does not exist.
create function consult_readable(c consults, reader bigint) returns boolean
language sql stable as $$
    select c.requester_id = reader
        or (c.state <> 'draft' and (
               c.responder_id = reader
            or (c.pool_id is not null and exists (
                    select 1 from users u
                    where u.id = reader and u.role = 'department_admin'
                      and u.department_id = c.pool_id and u.deactivated_at is null))
            or (c.pool_id is not null and c.responder_id is null and c.state = 'submitted'
                and exists (select 1 from consult_pool_responders r
                            where r.department_id = c.pool_id and r.user_id = reader))))
$$;

-- Consult notifications point at a consult instead of a case.
alter type notification_kind add value 'consult_received';
alter type notification_kind add value 'consult_accepted';
alter type notification_kind add value 'consult_declined';
alter type notification_kind add value 'consult_info_requested';
alter type notification_kind add value 'consult_info_provided';
alter type notification_kind add value 'consult_answered';
alter type notification_kind add value 'consult_follow_up';
alter type notification_kind add value 'consult_follow_up_answered';
alter type notification_kind add value 'consult_cancelled';
alter type notification_kind add value 'consult_escalated';
alter type notification_kind add value 'consult_overdue';

alter table notifications
    alter column case_id drop not null,
    add column consult_id bigint references consults (id) on delete cascade,
    add constraint notifications_one_subject check (num_nonnulls(case_id, consult_id) = 1);
