-- Case modules: a quiz attached to a case or lesson, its questions, and learners' attempts.

create table quizzes (
    id                  bigserial primary key,
    case_id             bigint not null unique references cases (id) on delete cascade,
    pass_mark           integer not null default 70 check (pass_mark between 1 and 100),
    -- 'each': explanation after each question; 'end': only after submitting.
    feedback_mode       text not null default 'each' check (feedback_mode in ('each', 'end')),
    -- null: unlimited.
    attempts_allowed    integer check (attempts_allowed > 0),
    credit_amount       numeric(6, 2) not null default 0 check (credit_amount >= 0),
    credit_type         text not null default 'points' check (credit_type in ('points', 'hours')),
    -- null: no time limit.
    time_limit_minutes  integer check (time_limit_minutes between 1 and 600),
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now()
);

-- A question is data (app::quiz::Question as JSON), validated by the server before storing.
create table quiz_questions (
    id          bigserial primary key,
    quiz_id     bigint not null references quizzes (id) on delete cascade,
    position    integer not null,
    question    jsonb not null,
    unique (quiz_id, position) deferrable initially deferred
);

create table quiz_attempts (
    id            bigserial primary key,
    quiz_id       bigint not null references quizzes (id) on delete cascade,
    user_id       bigint not null references users (id) on delete cascade,
    started_at    timestamptz not null default now(),
    -- When the time limit runs out (null: none).
    deadline      timestamptz,
    submitted_at  timestamptz,
    -- 0..1, set on submission.
    score         double precision,
    passed        boolean,
    check ((submitted_at is null) = (score is null))
);

-- At most one open attempt per learner and quiz: two tabs resume the same one.
create unique index quiz_attempts_open_idx on quiz_attempts (quiz_id, user_id)
    where submitted_at is null;
create index quiz_attempts_user_idx on quiz_attempts (user_id, started_at desc);

-- Each answer is stored the moment it is given.
create table quiz_answers (
    attempt_id   bigint not null references quiz_attempts (id) on delete cascade,
    question_id  bigint not null references quiz_questions (id) on delete cascade,
    response     jsonb not null,
    fraction     double precision not null check (fraction between 0 and 1),
    answered_at  timestamptz not null default now(),
    primary key (attempt_id, question_id)
);
