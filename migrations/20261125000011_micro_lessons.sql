-- Micro-lessons live beside case sketches in the same table, so they share sanitisation,
-- the privacy guard, revisions, visibility, discussion, feeds and search. A lesson's text is
-- its `notes`; it may point at related cases.
create type content_kind as enum ('case', 'lesson');

alter table cases
    add column kind             content_kind not null default 'case',
    add column related_case_ids bigint[] not null default '{}',
    add column reading_minutes  integer not null default 1 check (reading_minutes >= 1);

-- Tags are searchable words too. array_to_string is only "stable", so a wrapper that is
-- immutable for text[] lets the generated column use it.
create function corridor_tags_text(tags text[]) returns text
language sql immutable parallel safe as $$ select array_to_string(tags, ' ') $$;

drop index cases_search_idx;
alter table cases drop column search;
alter table cases add column search tsvector generated always as (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', corridor_tags_text(tags)), 'A') ||
    setweight(to_tsvector('english', summary), 'B') ||
    setweight(to_tsvector('english', body_md), 'C')
) stored;
create index cases_search_idx on cases using gin (search);

create index cases_kind_idx on cases (kind, published_at desc) where status = 'published';
