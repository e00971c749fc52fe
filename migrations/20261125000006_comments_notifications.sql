-- Discussion under a case: comments with one level of replies. Hidden comments are kept for
-- audit and shown as hidden; the case author can mark one as the mentor's answer.
create table comments (
    id          bigserial primary key,
    case_id     bigint not null references cases (id) on delete cascade,
    author_id   bigint not null references users (id) on delete restrict,
    parent_id   bigint references comments (id) on delete cascade,
    body_md     text not null check (length(btrim(body_md)) between 1 and 5000),
    body_html   text not null,
    is_answer   boolean not null default false,
    hidden_at   timestamptz,
    hidden_by   bigint references users (id) on delete set null,
    created_at  timestamptz not null default now()
);

create index comments_case_idx on comments (case_id, created_at);

-- In-app notifications: a followed mentor published, or someone replied to your comment.
create table notifications (
    id          bigserial primary key,
    user_id     bigint not null references users (id) on delete cascade,
    kind        text not null check (kind in ('case_published', 'comment_reply')),
    case_id     bigint not null references cases (id) on delete cascade,
    actor_id    bigint not null references users (id) on delete cascade,
    created_at  timestamptz not null default now(),
    read_at     timestamptz
);

create index notifications_user_idx on notifications (user_id, created_at desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;
