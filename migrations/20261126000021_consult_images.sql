-- Images on consults (an ECG strip, a rash, an X-ray): uploaded through the same pipeline as
-- case images, so what is stored is a re-encoded display size and thumbnail without the
-- upload's metadata (EXIF, GPS, camera serials). Only the consult's parties see them
-- (`consult_readable`); they are never published, so there is no consent-for-teaching record
-- and no annotations.
create table consult_images (
    id             bigserial primary key,
    -- cascade as for every other part of a consult; a consult itself is never deleted (its
    -- events forbid it), so in practice the purge below is how images go.
    consult_id     bigint not null references consults (id) on delete cascade,
    -- Empty only after the retention purge: the description is clinical text too.
    alt_text       text not null check (length(alt_text) <= 300),
    caption        text not null default '' check (length(caption) <= 500),
    content_type   text not null check (content_type in ('image/jpeg', 'image/png')),
    width          integer not null check (width > 0),
    height         integer not null check (height > 0),
    -- The renditions in the object store; emptied (and the objects deleted) by the purge, while
    -- the row stays as the record that an image was attached, by whom and when.
    display_key    text unique,
    thumb_key      text unique,
    display_bytes  bigint not null,
    uploaded_by    bigint not null references users (id) on delete restrict,
    created_at     timestamptz not null default now(),
    purged_at      timestamptz,
    check ((purged_at is null) = (display_key is not null and thumb_key is not null)),
    check (purged_at is not null or length(alt_text) >= 1)
);

create index consult_images_consult_idx on consult_images (consult_id, id);
