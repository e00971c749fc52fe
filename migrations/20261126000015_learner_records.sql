-- Learners' records outlive the content they answered. A council may audit a certificate
-- years later, so attempts, answers and evaluations are never deleted as a side effect of an
-- author tidying a module: deleting a question, module or case that has them is refused, and
-- the author retires the question (or unpublishes the case) instead.

alter table quiz_answers
    drop constraint quiz_answers_question_id_fkey,
    add constraint quiz_answers_question_id_fkey
        foreign key (question_id) references quiz_questions (id) on delete restrict,
    drop constraint quiz_answers_attempt_id_fkey,
    add constraint quiz_answers_attempt_id_fkey
        foreign key (attempt_id) references quiz_attempts (id) on delete restrict;

alter table quiz_attempts
    drop constraint quiz_attempts_quiz_id_fkey,
    add constraint quiz_attempts_quiz_id_fkey
        foreign key (quiz_id) references quizzes (id) on delete restrict;

-- A module without attempts could go with its case, but a case is never deleted in the app
-- (it is unpublished), so a stray delete should stop rather than guess.
alter table quizzes
    drop constraint quizzes_case_id_fkey,
    add constraint quizzes_case_id_fkey
        foreign key (case_id) references cases (id) on delete restrict;

alter table activity_evaluations
    drop constraint activity_evaluations_attempt_id_fkey,
    add constraint activity_evaluations_attempt_id_fkey
        foreign key (attempt_id) references quiz_attempts (id) on delete restrict;

-- A retired question is no longer offered to attempts started after this moment; attempts
-- started before keep it (their grade, feedback and the item analysis stay as they were).
alter table quiz_questions add column retired_at timestamptz;

-- Credit for guessing is not credit: councils expect at least half the marks. Modules set
-- below that are raised to the floor (their past attempts keep the grade they were given).
update quizzes set pass_mark = 50 where pass_mark < 50;
alter table quizzes
    drop constraint quizzes_pass_mark_check,
    add constraint quizzes_pass_mark_check check (pass_mark between 50 and 100);
