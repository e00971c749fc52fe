-- Signed Open Badges: the installation's signing key, and each certificate's place in the
-- revocation status list (W3C Bitstring Status List).

-- Keys that sign credentials. The one without `retired_at` signs; retired keys stay published
-- so credentials they signed keep verifying. The secret is the 32-byte Ed25519 seed; it never
-- leaves the server (the issuer profile and the JWK Set show `public_jwk` only).
create table signing_keys (
    id          bigserial primary key,
    algorithm   text not null check (algorithm in ('Ed25519')),
    public_jwk  jsonb not null,
    secret      bytea not null check (length(secret) = 32),
    created_at  timestamptz not null default now(),
    retired_at  timestamptz
);

-- One signing key at a time: several servers starting together insert one, the rest do nothing.
create unique index signing_keys_current_idx on signing_keys ((true)) where retired_at is null;

-- A certificate's bit in the status list: list n holds indexes [131072 (n - 1), 131072 n).
-- Given at issue and never reused; existing certificates get theirs here.
create sequence certificate_status_index_seq as bigint minvalue 0 start 0;

alter table certificates
    add column status_index bigint unique default nextval('certificate_status_index_seq');

-- Existing rows were numbered by the default above; the column is required from now on.
alter table certificates alter column status_index set not null;

alter sequence certificate_status_index_seq owned by certificates.status_index;

-- The status list reads the revoked certificates of one range.
create index certificates_revoked_status_idx on certificates (status_index) where revoked_at is not null;
