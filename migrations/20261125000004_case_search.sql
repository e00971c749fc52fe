-- Full-text search over cases: title outranks summary, which outranks the body. A stored
-- generated column keeps the vector in step with every edit without triggers.
alter table cases add column search tsvector generated always as (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', summary), 'B') ||
    setweight(to_tsvector('english', body_md), 'C')
) stored;

create index cases_search_idx on cases using gin (search);
create index cases_specialty_idx on cases (specialty, published_at desc) where status = 'published';
