-- From consult to teaching case (issue 11). After a consult is closed, either doctor may propose
-- writing it up as a teaching case; when the other agrees, a case draft is made with both as
-- authors. The consult itself stays closed and keeps its record: the proposal lives here, and
-- each of its steps is also an event in the consult's append-only history.

-- Proposing, agreeing and declining change no state (the consult stays 'closed'): like the
-- flags, they are facts recorded as events so the history is complete.
alter type consult_action add value 'propose_teaching';
alter type consult_action add value 'agree_teaching';
alter type consult_action add value 'decline_teaching';

-- The other party is told, in the app and by mail.
alter type notification_kind add value 'consult_teaching_proposed';
alter type notification_kind add value 'consult_teaching_agreed';
alter type notification_kind add value 'consult_teaching_declined';

-- One proposal per consult (the primary key: two doctors agreeing at once still make one
-- case). A declined proposal may be made again, which overwrites it; the events keep every
-- step.
create table consult_teaching (
    consult_id   bigint primary key references consults (id) on delete restrict,
    proposed_by  bigint not null references users (id) on delete restrict,
    proposed_at  timestamptz not null default now(),
    agreed_by    bigint references users (id) on delete restrict,
    agreed_at    timestamptz,
    declined_at  timestamptz,
    -- The draft made on agreement. A case its authors delete takes the link with it, never
    -- the proposal's record.
    case_id      bigint unique references cases (id) on delete set null,
    -- Agreed or declined, not both; the agreeing doctor is the other one.
    check (agreed_at is null or declined_at is null),
    check ((agreed_by is null) = (agreed_at is null)),
    check (agreed_by is null or agreed_by <> proposed_by),
    check (case_id is null or agreed_at is not null)
);

-- Co-authors of a case: its primary author stays cases.author_id (whose department the case
-- belongs to, and who appears first); the people here read, edit and publish it alike.
create table case_authors (
    case_id   bigint not null references cases (id) on delete cascade,
    user_id   bigint not null references users (id) on delete cascade,
    added_at  timestamptz not null default now(),
    primary key (case_id, user_id)
);

-- "Which cases may I write" looks up by person.
create index case_authors_user_idx on case_authors (user_id, case_id);

-- Whether `viewer` co-wrote case `case_id`. Its own function, like reviews_for, so that
-- case_readable stays one expression without a sub-select and PostgreSQL still inlines it
-- (see migration 18): most cases have no co-authors, and the primary-key lookup is cheap.
create or replace function co_author_of(the_case bigint, viewer bigint) returns boolean
language sql stable as $$
    select exists (select 1 from case_authors a where a.case_id = $1 and a.user_id = $2)
$$;

-- The rule of migration 18, with co-authors reading the case as its author does (a draft
-- made from a consult is theirs from the start).
create or replace function case_readable(c cases, viewer bigint) returns boolean
language sql stable as $$
    select c.author_id = viewer
        or co_author_of(c.id, viewer)
        or (c.status = 'published'
            and (c.review_status <> 'pending' or reviews_for(viewer, c.department_id))
            and (c.visibility = 'all'
                 or (c.visibility = 'department' and c.department_id = reader_department(viewer))
                 or (c.visibility = 'institution'
                     and c.institution_id = reader_institution(viewer))))
$$;
