-- Optional peer review per department: when switched on, a case published by one of its
-- mentors is visible to readers only after another mentor of the department approves it.
alter table departments add column peer_review boolean not null default false;

create type review_status as enum ('not_required', 'pending', 'approved');

alter table cases
    add column review_status review_status not null default 'not_required',
    add column reviewed_by bigint references users (id) on delete set null,
    add column reviewed_at timestamptz;

create index cases_pending_review_idx on cases (department_id) where review_status = 'pending';

-- Still the single definition of "may read". A case awaiting review is readable by its
-- author and by the mentors and admins of its department (who review it), by no one else.
create or replace function case_readable(c cases, viewer bigint) returns boolean
language sql stable as $$
    select c.author_id = viewer
        or (c.status = 'published'
            and (c.review_status <> 'pending'
                 or exists (select 1 from users r
                            where r.id = viewer
                              and r.department_id = c.department_id
                              and r.role in ('mentor', 'department_admin')))
            and (
               c.visibility = 'all'
            or (c.visibility = 'department'
                and c.department_id = (select u.department_id from users u where u.id = viewer))
            or (c.visibility = 'institution'
                and c.institution_id = (select d.institution_id
                                        from users u join departments d on d.id = u.department_id
                                        where u.id = viewer))))
$$;
