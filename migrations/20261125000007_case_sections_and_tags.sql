-- A case sketch is written in teaching sections, each Markdown and each optional. `notes`
-- holds free text (and the whole text of cases written before sections existed). `body_md`
-- stays the composed case — sections under their headings — which search, the privacy guard
-- and revisions read.
alter table cases
    add column presentation     text not null default '',
    add column history          text not null default '',
    add column examination      text not null default '',
    add column investigations   text not null default '',
    add column management       text not null default '',
    add column outcome          text not null default '',
    add column teaching_points  text not null default '',
    add column notes            text not null default '',
    add column tags             text[] not null default '{}';

update cases set notes = body_md;

create index cases_tags_idx on cases using gin (tags);
