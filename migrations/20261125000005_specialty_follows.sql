-- Residents follow specialties as well as mentors; the home feed merges both.
create table specialty_follows (
    user_id     bigint not null references users (id) on delete cascade,
    specialty   text not null references specialties (slug) on delete cascade,
    created_at  timestamptz not null default now(),
    primary key (user_id, specialty)
);
