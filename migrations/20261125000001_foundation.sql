-- Corridor's foundation: who people are, where they work, and the case sketches they share.

-- Institutions and their departments are data, so a hospital can be added without a release.
create table institutions (
    id          bigserial primary key,
    name        text not null unique,
    city        text,
    created_at  timestamptz not null default now()
);

create table departments (
    id              bigserial primary key,
    institution_id  bigint not null references institutions (id) on delete restrict,
    name            text not null,
    created_at      timestamptz not null default now(),
    unique (institution_id, name)
);

-- Specialties are referenced by slug in URLs (browse pages, follows), so the slug is the key.
create table specialties (
    slug  text primary key check (slug ~ '^[a-z0-9-]+$'),
    name  text not null unique
);

insert into specialties (slug, name) values
    ('anaesthesiology', 'Anaesthesiology'),
    ('cardiology', 'Cardiology'),
    ('dermatology', 'Dermatology'),
    ('emergency-medicine', 'Emergency Medicine'),
    ('general-medicine', 'General Medicine'),
    ('general-surgery', 'General Surgery'),
    ('neurology', 'Neurology'),
    ('obstetrics-gynaecology', 'Obstetrics & Gynaecology'),
    ('ophthalmology', 'Ophthalmology'),
    ('orthopaedics', 'Orthopaedics'),
    ('paediatrics', 'Paediatrics'),
    ('psychiatry', 'Psychiatry'),
    ('pulmonology', 'Pulmonology'),
    ('radiology', 'Radiology');

-- Medical councils that register clinicians (CME rules attach to them later).
create table medical_councils (
    code  text primary key,
    name  text not null unique
);

insert into medical_councils (code, name) values
    ('nmc', 'National Medical Commission'),
    ('mmc', 'Maharashtra Medical Council'),
    ('tnmc', 'Tamil Nadu Medical Council'),
    ('kmc', 'Karnataka Medical Council'),
    ('dmc', 'Delhi Medical Council'),
    ('wbmc', 'West Bengal Medical Council'),
    ('tcmc', 'Travancore-Cochin Medical Council'),
    ('inc', 'Indian Nursing Council');

create type user_role as enum ('resident', 'mentor', 'department_admin', 'site_admin');

create table users (
    id                   bigserial primary key,
    -- Stored lower-cased by the application; the unique index makes a second account for the
    -- same address impossible even under concurrent registrations.
    email                text not null check (email = lower(email)),
    password_hash        text not null,
    full_name            text not null,
    designation          text,
    specialty            text references specialties (slug),
    department_id        bigint references departments (id) on delete set null,
    medical_council      text references medical_councils (code),
    registration_number  text,
    role                 user_role not null default 'resident',
    created_at           timestamptz not null default now()
);

create unique index users_email_key on users (email);
create index users_role_idx on users (role);

-- Every sign-in attempt, kept briefly, so attempts can be limited per account and per address.
create table login_attempts (
    id         bigserial primary key,
    email      text not null,
    ip         text not null,
    succeeded  boolean not null,
    at         timestamptz not null default now()
);

create index login_attempts_email_idx on login_attempts (email, at);
create index login_attempts_ip_idx on login_attempts (ip, at);

create type case_status as enum ('draft', 'published');

create table cases (
    id            bigserial primary key,
    author_id     bigint not null references users (id) on delete restrict,
    title         text not null check (length(title) between 1 and 150),
    specialty     text not null references specialties (slug),
    summary       text not null,
    body_md       text not null,
    -- Sanitised HTML rendered once on save: readers never pay for Markdown rendering.
    body_html     text not null,
    status        case_status not null default 'draft',
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    published_at  timestamptz,
    check ((status = 'published') = (published_at is not null))
);

-- The case list and a mentor's profile read published cases newest first.
create index cases_published_idx on cases (published_at desc, id desc) where status = 'published';
create index cases_author_idx on cases (author_id, updated_at desc);

create table follows (
    follower_id  bigint not null references users (id) on delete cascade,
    mentor_id    bigint not null references users (id) on delete cascade,
    created_at   timestamptz not null default now(),
    primary key (follower_id, mentor_id),
    check (follower_id <> mentor_id)
);

create index follows_mentor_idx on follows (mentor_id);
