-- A pool's statistics: time to acknowledge and to answer, and whether the answer came in time.

-- How long a consult's answer clock stood still: from each request for information to the
-- reply that followed it (due_at moves on by the same time when the reply comes). Time to
-- answer is measured without it, so a requester who took a week to reply does not count
-- against the pool. Read from the append-only events, so it cannot be rewritten later.
create function consult_paused(consult bigint) returns interval
language sql stable as $$
    select coalesce(sum(e.next_at - e.at), interval '0')
    from (select e.action, e.at, lead(e.at) over (order by e.at, e.id) as next_at
          from consult_events e
          where e.consult_id = consult and e.action in ('request_info', 'provide_info')) e
    where e.action = 'request_info' and e.next_at is not null
$$;

-- The pool page counts a department's consults by when they were sent, and the CSV export
-- reads them by id within that period.
create index consults_pool_submitted_idx on consults (pool_id, submitted_at)
    where pool_id is not null and submitted_at is not null;
