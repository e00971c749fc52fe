-- How learners answered each question, kept as running tallies instead of counted on every
-- page view. Counting on the fly grouped every submitted answer to the question: with 4,000
-- learners taking one module the question and result pages slowed from milliseconds to seconds
-- after a few thousand attempts (bench/quiz-load.sh). An attempt adds its answers here in the
-- transaction that submits it, so the tally is exactly the submitted answers, as before.
--
-- One row per question, response and whether it earned full credit. A hotspot's clicks are
-- counted only by whether they were inside, so its response is stored as json null (a key
-- column cannot be SQL null). `learners`: for a free text, up to 5 (the lowest ids) of the
-- learners who gave it — a text is shown to others only once five different learners gave it
-- in one of its spellings (quiz::feedback::MIN_LEARNERS_FOR_TEXT).
create table quiz_response_tallies (
    question_id  bigint not null references quiz_questions (id) on delete cascade,
    response     jsonb not null,
    full_credit  boolean not null,
    answers      bigint not null check (answers > 0),
    learners     bigint[] not null default '{}',
    primary key (question_id, response, full_credit)
);

-- The tallies of every attempt submitted so far.
insert into quiz_response_tallies (question_id, response, full_credit, answers, learners)
select x.question_id,
       case when q.question ->> 'kind' = 'hotspot' then 'null'::jsonb else x.response end,
       x.fraction >= 1 - 1e-9,
       count(*),
       coalesce((array_agg(distinct t.user_id order by t.user_id)
                 filter (where q.question ->> 'kind' = 'short_answer'))[1:5], '{}')
from quiz_answers x
join quiz_attempts t on t.id = x.attempt_id
join quiz_questions q on q.id = x.question_id
where t.submitted_at is not null
group by 1, 2, 3;
