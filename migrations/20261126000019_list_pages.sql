-- Lists that grow are read a page at a time by keyset (the last row's sort key and id):
-- each page is an index range, not a sort of the whole list.

-- A person's ledger, newest first (the CME page) or oldest first (its export).
drop index cme_ledger_user_idx;
create index cme_ledger_user_idx on cme_ledger (user_id, earned_on, id);

-- A department's claims queue: waiting first, newest first.
create index cme_claims_queue_idx on cme_claims ((status <> 'pending'), created_at desc, id desc);

-- A case's discussion, a page of threads at a time, each with its replies.
create index comments_threads_idx on comments (case_id, created_at, id) where parent_id is null;
create index comments_replies_idx on comments (parent_id) where parent_id is not null;
