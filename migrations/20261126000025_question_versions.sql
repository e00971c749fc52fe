-- Editing a question learners have answered makes a new version instead of changing the old
-- one: the old row is retired (earlier attempts keep it, graded as it was, and the item
-- analysis keeps its answers) and the new row takes its place for attempts started from then
-- on. An attempt sees the questions that existed when it started and were not yet retired.

-- Questions written before this migration existed for every attempt.
alter table quiz_questions add column created_at timestamptz not null default '-infinity';
alter table quiz_questions alter column created_at set default now();

-- The version a question replaced, if it is an edit of an answered one.
alter table quiz_questions
    add column replaces bigint references quiz_questions (id) on delete restrict;

-- A retired version keeps its place in the module, next to the version that replaced it: the
-- order of an earlier attempt's questions (and their numbers in its review) never changes.
-- So a place is unique among the questions still offered only.
alter table quiz_questions drop constraint quiz_questions_quiz_id_position_key;
create unique index quiz_questions_offered_position_idx on quiz_questions (quiz_id, position)
    where retired_at is null;

-- Whether question `q` belongs to an attempt started at `started`: written before it began,
-- and not retired before it began.
create function question_offered(q quiz_questions, started timestamptz) returns boolean
language sql immutable as $$
    select q.created_at <= started and (q.retired_at is null or q.retired_at > started)
$$;
