-- Who may read a published case: its author's department, institution, or every signed-in
-- clinician. A case keeps the department and institution it was written in, so moving the
-- author later does not silently widen or narrow its audience.
create type case_visibility as enum ('department', 'institution', 'all');

alter table cases
    add column visibility case_visibility not null default 'all',
    add column department_id bigint references departments (id) on delete set null,
    add column institution_id bigint references institutions (id) on delete set null;

update cases c
set department_id = u.department_id,
    institution_id = d.institution_id
from users u
left join departments d on d.id = u.department_id
where u.id = c.author_id;

-- The single definition of "may read": every query that returns cases filters through it, so
-- lists, pages, profiles and feeds cannot disagree. Authors always read their own cases.
create function case_readable(c cases, viewer bigint) returns boolean
language sql stable as $$
    select c.author_id = viewer
        or (c.status = 'published' and (
               c.visibility = 'all'
            or (c.visibility = 'department'
                and c.department_id = (select u.department_id from users u where u.id = viewer))
            or (c.visibility = 'institution'
                and c.institution_id = (select d.institution_id
                                        from users u join departments d on d.id = u.department_id
                                        where u.id = viewer))))
$$;

-- Every published version of a case, oldest first. Readers see the case row (the latest); the
-- author sees this history.
create table case_revisions (
    id           bigserial primary key,
    case_id      bigint not null references cases (id) on delete cascade,
    revision     integer not null,
    title        text not null,
    summary      text not null,
    body_md      text not null,
    body_html    text not null,
    created_by   bigint not null references users (id) on delete restrict,
    created_at   timestamptz not null default now(),
    unique (case_id, revision)
);

-- Cases published before revisions existed start with one.
insert into case_revisions (case_id, revision, title, summary, body_md, body_html, created_by, created_at)
select id, 1, title, summary, body_md, body_html, author_id, coalesce(published_at, updated_at)
from cases where status = 'published';
