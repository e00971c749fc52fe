-- Indexes and an inlinable readability rule for queries that pages run, which slowed down as
-- the data grew (bench/data-scale.sh: 100,000 cases, 1,000,000 attempts, 5,000 clinicians).

-- The department dashboard and member lists read a department's members by name, a page at a
-- time (keyset on full_name, id), and count them.
create index users_department_idx on users (department_id, full_name, id);

-- A question's answer distribution (shown with its feedback) and item analysis read every
-- answer to one question.
create index quiz_answers_question_idx on quiz_answers (question_id);

-- A member's assignments (home page, dashboard) are read by person.
create index module_assignments_user_idx on module_assignments (user_id, due_on);

-- Whether an assignment is done (home page, dashboard) looks for a passed attempt of the person
-- at the module.
create index quiz_attempts_passed_idx on quiz_attempts (user_id, quiz_id) where passed;

-- case_readable is called once per candidate row by feeds, search and lists. Written with
-- subqueries it could not be inlined, so PostgreSQL built the whole case row for every call
-- (decompressing its body and search vector) and ran the subqueries each time. The person's
-- side now lives in small functions and case_readable is a plain expression the planner
-- inlines: a case open to all costs a few column comparisons. The rule itself is unchanged.
create or replace function reader_department(viewer bigint) returns bigint
language sql stable as $$
    select u.department_id from users u where u.id = viewer
$$;

create or replace function reader_institution(viewer bigint) returns bigint
language sql stable as $$
    select d.institution_id from users u join departments d on d.id = u.department_id
    where u.id = viewer
$$;

-- Mentors and admins of a department read its cases while they wait for peer review.
create or replace function reviews_for(viewer bigint, department bigint) returns boolean
language sql stable as $$
    select exists (select 1 from users r
                   where r.id = viewer and r.department_id = department
                     and r.role in ('mentor', 'department_admin'))
$$;

create or replace function case_readable(c cases, viewer bigint) returns boolean
language sql stable as $$
    select c.author_id = viewer
        or (c.status = 'published'
            and (c.review_status <> 'pending' or reviews_for(viewer, c.department_id))
            and (c.visibility = 'all'
                 or (c.visibility = 'department' and c.department_id = reader_department(viewer))
                 or (c.visibility = 'institution'
                     and c.institution_id = reader_institution(viewer))))
$$;
