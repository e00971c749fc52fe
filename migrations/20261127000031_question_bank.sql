-- A question bank per mentor. A question (`quiz_questions`, one row per version) now belongs to
-- its author, not to one module; a module is built by placing questions from its author's bank
-- (`quiz_module_questions`), and one question can serve several modules. Attempts already
-- name their questions (`quiz_attempt_questions`), so they do not change.

alter table quiz_questions add column author_id bigint references users (id) on delete restrict;
update quiz_questions q set author_id = c.author_id
from quizzes z join cases c on c.id = z.case_id
where z.id = q.quiz_id;
alter table quiz_questions alter column author_id set not null;

-- Words the author files the question under (Moodle and GIFT tags arrive here). Kept with the
-- question when it gets a new version; changing them is not an edit of the question.
alter table quiz_questions add column tags text[] not null default '{}';

-- Where a question serves. A placement taken out of a module (retired from it, or replaced by
-- a new version of its question) stays, with the date, in its place: the module's history and
-- item analysis list it next to what replaced it.
create table quiz_module_questions (
    id           bigserial primary key,
    quiz_id      bigint not null references quizzes (id) on delete cascade,
    question_id  bigint not null references quiz_questions (id) on delete restrict,
    position     integer not null,
    added_at     timestamptz not null default now(),
    removed_at   timestamptz
);
-- A place, and a question, at most once among a module's questions still offered.
create unique index quiz_module_questions_position_idx on quiz_module_questions (quiz_id, position)
    where removed_at is null;
create unique index quiz_module_questions_question_idx
    on quiz_module_questions (quiz_id, question_id) where removed_at is null;
create index quiz_module_questions_of_question_idx on quiz_module_questions (question_id);

-- Every question so far served the module it was written in; a retired one (retired from the
-- module, or replaced by a new version) was taken out then.
insert into quiz_module_questions (quiz_id, question_id, position, added_at, removed_at)
select quiz_id, id, position, case when created_at = '-infinity' then now() else created_at end,
       retired_at
from quiz_questions;

-- `retired_at` on a question now means: no longer in its author's bank to be placed (a newer
-- version replaced it). Questions merely retired from their module go back to the bank.
update quiz_questions q set retired_at = null
where retired_at is not null
  and not exists (select 1 from quiz_questions n where n.replaces = q.id);

drop index quiz_questions_offered_position_idx;
drop function question_offered(quiz_questions, timestamptz);
alter table quiz_questions drop column quiz_id, drop column position;

-- The bank lists an author's current questions, newest first.
create index quiz_questions_bank_idx on quiz_questions (author_id, id desc)
    where retired_at is null;
create index quiz_questions_tags_idx on quiz_questions using gin (tags);
