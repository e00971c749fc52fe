-- The privacy guard blocks publishing while a case text looks like it identifies a patient.
-- A mentor may override one specific finding, but only with a written reason, kept here for
-- audit (who, when, why). Overrides are per case and per exact text.
create table privacy_overrides (
    id           bigserial primary key,
    case_id      bigint not null references cases (id) on delete cascade,
    kind         text not null,
    text         text not null,
    reason       text not null check (length(btrim(reason)) >= 10),
    recorded_by  bigint not null references users (id) on delete restrict,
    recorded_at  timestamptz not null default now(),
    unique (case_id, kind, text)
);
