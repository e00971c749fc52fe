-- Indexes for queries that pages run and that scanned whole tables once the data grew
-- (bench/data-scale.sh: 100,000 cases, 1,000,000 attempts, 5,000 clinicians).

-- The department dashboard and member lists read a department's members by name, a page at a
-- time (keyset on full_name, id), and count them.
create index users_department_idx on users (department_id, full_name, id);

-- A question's answer distribution (shown with its feedback) and item analysis read every
-- answer to one question.
create index quiz_answers_question_idx on quiz_answers (question_id);

-- A member's assignments (home page, dashboard) are read by person.
create index module_assignments_user_idx on module_assignments (user_id, due_on);
