-- Record-number labels an institution uses besides the common ones (UHID, MRN, IPD, CR No …),
-- e.g. "PID" or "Hosp No". The privacy guard treats "<label> <number>" in a case written in
-- that institution as a hospital record number.
create table institution_record_labels (
    institution_id  bigint not null references institutions (id) on delete cascade,
    label           text not null check (label ~ '^[A-Za-z][A-Za-z0-9 ./-]{0,23}$'),
    created_by      bigint references users (id) on delete set null,
    created_at      timestamptz not null default now(),
    primary key (institution_id, label)
);
