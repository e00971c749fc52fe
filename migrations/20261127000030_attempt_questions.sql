-- An attempt's questions and their order are fixed when it starts. Authors may then reorder,
-- duplicate, edit (a new version) or retire questions without changing what an open attempt
-- shows under its numbers, or the order of an earlier attempt's review.
create table quiz_attempt_questions (
    attempt_id bigint not null references quiz_attempts (id) on delete cascade,
    -- The question's number in the attempt, from 1.
    number int not null check (number > 0),
    -- Restrict: a question in a learner's attempt is part of their record (retire it instead).
    question_id bigint not null references quiz_questions (id) on delete restrict,
    primary key (attempt_id, number),
    unique (attempt_id, question_id)
);
create index quiz_attempt_questions_question_idx on quiz_attempt_questions (question_id);

-- Attempts started before this migration get the questions they saw: those written before
-- they began and not retired by then, in the module's order.
insert into quiz_attempt_questions (attempt_id, number, question_id)
select a.id, row_number() over (partition by a.id order by q.position, q.id), q.id
from quiz_attempts a
join quiz_questions q on q.quiz_id = a.quiz_id and question_offered(q, a.started_at);
