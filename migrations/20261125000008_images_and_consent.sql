-- Images on a case. The uploaded file itself is never kept: it is decoded and re-encoded
-- (which drops EXIF, GPS, camera serials and comments) into a display size and a thumbnail,
-- stored in the object store under the keys below. Annotations are data — shapes in
-- normalised 0..1 coordinates with an optional note — validated by the server and drawn as
-- an SVG overlay when the page is rendered.
create table case_images (
    id              bigserial primary key,
    case_id         bigint not null references cases (id) on delete cascade,
    alt_text        text not null check (length(alt_text) between 1 and 300),
    caption         text not null default '' check (length(caption) <= 500),
    content_type    text not null check (content_type in ('image/jpeg', 'image/png')),
    width           integer not null check (width > 0),
    height          integer not null check (height > 0),
    display_key     text not null,
    thumb_key       text not null,
    display_bytes   bigint not null,
    annotations     jsonb not null default '[]' check (jsonb_typeof(annotations) = 'array'),
    uploaded_by     bigint not null references users (id) on delete restrict,
    created_at      timestamptz not null default now(),
    annotated_at    timestamptz
);

create index case_images_case_idx on case_images (case_id, id);

-- Consent to use a patient's images for teaching. A case with images cannot be published
-- without one; the record says who recorded it and when.
create table case_consents (
    case_id         bigint primary key references cases (id) on delete cascade,
    obtained        boolean not null check (obtained),
    form_reference  text not null check (length(form_reference) between 1 and 100),
    consent_date    date not null,
    recorded_by     bigint not null references users (id) on delete restrict,
    recorded_at     timestamptz not null default now()
);
