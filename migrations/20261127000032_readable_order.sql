-- Readability, cheapest test first. Lists walk the newest published cases and check each one;
-- almost every case is readable because it is published and visible to the reader, which the
-- case's own columns say. Asking "is the reader a co-author?" first ran a look-up in
-- case_authors for every case walked (half the time of the check at 100,000 cases). Same rule,
-- same inlinable expression; only the order of the alternatives changes.
create or replace function case_readable(c cases, viewer bigint) returns boolean
language sql stable as $$
    select (c.status = 'published'
            and (c.review_status <> 'pending' or reviews_for(viewer, c.department_id))
            and (c.visibility = 'all'
                 or (c.visibility = 'department' and c.department_id = reader_department(viewer))
                 or (c.visibility = 'institution'
                     and c.institution_id = reader_institution(viewer))))
        or c.author_id = viewer
        or co_author_of(c.id, viewer)
$$;

-- The search form's mentor filter lists the authors of published cases: a few hundred people,
-- read from this index one author at a time (a loose index scan), not by checking every user.
create index cases_published_author_idx on cases (author_id) where status = 'published';
