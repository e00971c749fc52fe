#!/usr/bin/env bash
# Pages at scale: times the home feed, a search for "jaundice", the department dashboard and the
# CME ledger page on the demo data, then loads CASES published cases, ATTEMPTS submitted
# attempts and CLINICIANS clinicians (copies of demo rows, in one transaction) and times them
# again. Server time is curl's time_total, median of SAMPLES requests after a warm-up. Writes
# EXPLAIN (ANALYZE, BUFFERS) of the home page's feed and suggested mentors, the search and the
# dashboard queries at scale to
# target/bench/data-scale-explain.txt. Prints one summary line, e.g.
#   data-scale: 100000 cases, 1000000 attempts, 5000 clinicians; p50 demo → loaded: home feed 10.7 → 214 ms (20x), …
# Settings (environment): CASES (100000), ATTEMPTS (1000000), CLINICIANS (5000), SAMPLES (9),
# PORT (3205).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${PORT:-3205}
CASES=${CASES:-100000}
ATTEMPTS=${ATTEMPTS:-1000000}
CLINICIANS=${CLINICIANS:-5000}
SAMPLES=${SAMPLES:-9}
RESIDENT=rohan.deshpande@demo.corridor.in
ADMIN=sunil.patil@demo.corridor.in
EXPLAIN_OUT=${EXPLAIN_OUT:-$REPO/target/bench/data-scale-explain.txt}

bench_server data-scale "$PORT"
RESIDENT_COOKIE=$(bench_sign_in "$RESIDENT")
ADMIN_COOKIE=$(bench_sign_in "$ADMIN")
# The demo resident follows nothing; a resident who took the home page's advice follows their
# specialty and a mentor, which is what makes the feed worth measuring.
bench_sql -c "
  insert into specialty_follows (user_id, specialty)
    select id, specialty from users where email = '$RESIDENT' on conflict do nothing;
  insert into follows (follower_id, mentor_id)
    select r.id, m.id from users r, users m
    where r.email = '$RESIDENT' and m.email = 'meera.kulkarni@demo.corridor.in' on conflict do nothing"

PAGES=(home search dashboard ledger)
declare -A URL=([home]=/ [search]=/search?q=jaundice [dashboard]=/department [ledger]=/cme)
declare -A WHO=([home]=resident [search]=resident [dashboard]=admin [ledger]=resident)
declare -A LABEL=([home]="home feed" [search]='search "jaundice"' [dashboard]="department dashboard" [ledger]="CME ledger")
declare -A BEFORE AFTER BYTES_BEFORE BYTES_AFTER

# p50 PAGE: sets P50 to the median time_total (ms) of SAMPLES requests, after two unmeasured
# ones, and PAGE_BYTES to the page's size.
p50() {
  local page=$1 cookie times status
  if [ "${WHO[$page]}" = admin ]; then cookie=$ADMIN_COOKIE; else cookie=$RESIDENT_COOKIE; fi
  for _ in 1 2; do curl -s -o /dev/null -H "Cookie: $cookie" "$BENCH_URL${URL[$page]}"; done
  times=$(for _ in $(seq 1 "$SAMPLES"); do
    curl -s -o "$BENCH_TMP/page.html" -w '%{http_code} %{time_total}\n' -H "Cookie: $cookie" "$BENCH_URL${URL[$page]}"
  done)
  status=$(awk '$1 != 200 { print $1; exit }' <<<"$times")
  [ -z "$status" ] || log "warning: ${URL[$page]} answered $status"
  PAGE_BYTES=$(stat -c %s "$BENCH_TMP/page.html")
  P50=$(awk '{ print $2 * 1000 }' <<<"$times" | sort -n |
    awk '{ t[NR] = $1 } END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%.1f", m }')
}

log "timing on the demo data ($SAMPLES requests per page)"
for page in "${PAGES[@]}"; do
  p50 "$page"; BEFORE[$page]=$P50; BYTES_BEFORE[$page]=$PAGE_BYTES
  log "  ${LABEL[$page]}: ${BEFORE[$page]} ms, ${BYTES_BEFORE[$page]} bytes"
done

log "loading $CASES cases, $ATTEMPTS attempts, $CLINICIANS clinicians (one transaction)"
LOAD_START=$(date +%s)
bench_sql -1 -f bench/clone.sql -f - >/dev/null <<SQL
-- Clinicians: copies of the demo resident, one in ten a mentor, spread over the departments.
select pg_temp.bench_clone('users', \$\$email = '$RESIDENT'\$\$, $CLINICIANS, jsonb_build_object(
  'email', \$\$'clinician-' || g || '@bench.corridor.in'\$\$,
  'full_name', \$\$'Dr. Bench Clinician ' || g\$\$,
  'role', \$\$(case when g % 10 = 0 then 'mentor' else 'resident' end)::user_role\$\$,
  'department_id', \$\$(select array_agg(id order by id) from departments)[1 + g % (select count(*) from departments)::int]\$\$,
  'created_at', 'now()'));

-- Published cases: copies of the demo's, older than them, one every five minutes back.
select pg_temp.bench_clone('cases', \$\$status = 'published'\$\$, $CASES, jsonb_build_object(
  'title', \$\$left(s.title, 138) || ' · ' || g\$\$,
  'published_at', \$\$now() - interval '1 hour' - g * interval '5 minutes'\$\$,
  'created_at', \$\$now() - interval '1 hour' - g * interval '5 minutes'\$\$,
  'updated_at', \$\$now() - interval '1 hour' - g * interval '5 minutes'\$\$));

-- Every copy of the case with a module gets the module (settings and questions).
create temp table bench_copies as
  select c.id as case_id, row_number() over (order by c.id) as n
  from cases c join cases o on c.title like o.title || ' · %'
  join quizzes q on q.case_id = o.id;
select pg_temp.bench_clone('quizzes', 'true', (select count(*) from bench_copies), jsonb_build_object(
  'case_id', \$\$(select array_agg(case_id order by n) from bench_copies)[g]\$\$,
  'created_at', 'now()', 'updated_at', 'now()'));
select pg_temp.bench_clone('quiz_questions', \$\$quiz_id = (select min(id) from quizzes)\$\$,
  (select count(*) * (select count(*) from quiz_questions) from bench_copies),
  jsonb_build_object('quiz_id', \$\$(select min(id) from quizzes) + 1 + (g - 1) / (select count(*) from quiz_questions where quiz_id = (select min(id) from quizzes))\$\$));

-- Submitted attempts by the clinicians and the demo resident, over the last 300 days, each a
-- random learner, module and score (seeded: every run loads the same rows).
select setseed(0.42);
insert into quiz_attempts (quiz_id, user_id, started_at, submitted_at, score, passed)
select quiz_id, user_id, at - interval '20 minutes', at, score, score >= 0.5
from (select q.ids[1 + floor(random() * array_length(q.ids, 1))::int] as quiz_id,
             u.ids[1 + floor(random() * array_length(u.ids, 1))::int] as user_id,
             now() - random() * interval '300 days' as at,
             round(random()::numeric, 2)::float8 as score
      from generate_series(1, $ATTEMPTS) g,
           (select array_agg(id order by id) as ids from quizzes) q,
           (select array_agg(id order by id) as ids from users
             where email like 'clinician-%@bench.corridor.in' or email = '$RESIDENT') u) a;

-- A passed module earns its credit once, as after an evaluation.
insert into cme_ledger (user_id, activity, activity_ref, amount, credit_type, online, earned_on,
                        source, created_by)
select distinct on (a.user_id, a.quiz_id)
       a.user_id, c.title, 'module:' || a.quiz_id, q.credit_amount, q.credit_type, true,
       a.submitted_at::date, 'corridor'::credit_source, a.user_id
from quiz_attempts a join quizzes q on q.id = a.quiz_id join cases c on c.id = q.case_id
where a.passed and a.user_id in (select id from users where email like '%@bench.corridor.in' or email = '$RESIDENT')
order by a.user_id, a.quiz_id, a.submitted_at
on conflict do nothing;
SQL
bench_sql -c "analyze"
LOAD_SECONDS=$(( $(date +%s) - LOAD_START ))
COUNTS=$(bench_sql -F ' ' -c "select (select count(*) from cases where status = 'published'),
  (select count(*) from quiz_attempts where submitted_at is not null), (select count(*) from users),
  (select count(*) from cme_ledger),
  (select count(*) from users where department_id = (select department_id from users where email = '$ADMIN'))")
log "loaded in ${LOAD_SECONDS}s: published cases, submitted attempts, users, ledger lines, dashboard members: $COUNTS"

log "timing with the data loaded"
for page in "${PAGES[@]}"; do
  p50 "$page"; AFTER[$page]=$P50; BYTES_AFTER[$page]=$PAGE_BYTES
  log "  ${LABEL[$page]}: ${AFTER[$page]} ms, ${BYTES_AFTER[$page]} bytes"
done

# The queries behind the feed, the search and the dashboard, as the pages run them.
mkdir -p "$(dirname "$EXPLAIN_OUT")"
VIEWER=$(bench_sql -c "select id from users where email = '$RESIDENT'")
DEPARTMENT=$(bench_sql -c "select department_id from users where email = '$ADMIN'")
MEMBER=$(bench_sql -c "select id from users where department_id = $DEPARTMENT and email like 'clinician-%' limit 1")
{
  echo "EXPLAIN (ANALYZE, BUFFERS) at $COUNTS (published cases, submitted attempts, users, ledger lines, dashboard members)"
  echo "code: $(git -C "$REPO" rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo; echo "== home feed (app/src/cases/db/search.rs: feed), viewer $VIEWER"
  bench_sql -c "explain (analyze, buffers)
    select c.id, c.title, c.summary, s.name as specialty, c.author_id, u.full_name, c.status,
           c.published_at, c.updated_at, c.kind, c.reading_minutes
    from cases c join users u on u.id = c.author_id join specialties s on s.slug = c.specialty
    where c.status = 'published'
      and (exists (select 1 from follows f where f.follower_id = $VIEWER and f.mentor_id = c.author_id)
           or exists (select 1 from specialty_follows sf where sf.user_id = $VIEWER and sf.specialty = c.specialty))
      and case_readable(c, $VIEWER)
      and (null::timestamptz is null or (c.published_at, c.id) < (null, null::bigint))
    order by c.published_at desc, c.id desc limit 21"
  echo; echo "== home page: suggested mentors (app/src/accounts/db.rs: suggested_mentors), viewer $VIEWER"
  bench_sql -c "explain (analyze, buffers)
    select u.id, u.full_name, u.designation, s.name, d.name, i.name, u.role
    from users u left join specialties s on s.slug = u.specialty
    left join departments d on d.id = u.department_id left join institutions i on i.id = d.institution_id
    where u.role = 'mentor' and u.id <> $VIEWER
      and not exists (select 1 from follows f where f.follower_id = $VIEWER and f.mentor_id = u.id)
    order by (select count(*) from cases c where c.author_id = u.id and c.status = 'published') desc, u.full_name
    limit 4"
  echo; echo "== search \"jaundice\" (app/src/cases/db/search.rs: search), viewer $VIEWER"
  bench_sql -c "explain (analyze, buffers)
    with q as (select websearch_to_tsquery('english', 'jaundice') as q)
    select c.id, c.title, ts_headline('english', c.summary || E'\n' || c.body_md, q.q,
             'MaxWords=28,MinWords=12,MaxFragments=2') as snippet
    from cases c cross join q join users u on u.id = c.author_id join specialties s on s.slug = c.specialty
    where c.status = 'published' and case_readable(c, $VIEWER) and c.search @@ q.q
    order by ts_rank_cd(c.search, q.q) desc, c.published_at desc, c.id desc limit 21 offset 0"
  echo; echo "== dashboard members (app/src/department/api/mod.rs: dashboard), department $DEPARTMENT"
  bench_sql -c "explain (analyze, buffers)
    select id, full_name, email, role, cme_profile_id, cme_cycle_start
    from users where department_id = $DEPARTMENT order by full_name, id"
  echo; echo "== dashboard: one member's ledger, run once per member (app/src/cme/db/ledger.rs: ledger), user $MEMBER"
  bench_sql -c "explain (analyze, buffers)
    select l.id, l.activity, l.amount::float8, l.credit_type, l.online, l.earned_on, l.source,
           (select c.id from certificates c where c.ledger_id = l.id) as certificate_id, l.reverses, l.reason
    from cme_ledger l where l.user_id = $MEMBER order by l.earned_on desc, l.id desc"
  echo; echo "== dashboard assignments (app/src/department/api/mod.rs: dashboard)"
  bench_sql -c "explain (analyze, buffers)
    select a.id, q.case_id, c.title, u.full_name, a.due_on,
           exists (select 1 from quiz_attempts t where t.quiz_id = a.quiz_id and t.user_id = a.user_id and t.passed)
    from module_assignments a join quizzes q on q.id = a.quiz_id join cases c on c.id = q.case_id
    join users u on u.id = a.user_id where u.department_id = $DEPARTMENT order by a.due_on, c.title, u.full_name"
} >"$EXPLAIN_OUT" 2>&1
log "EXPLAIN output: $EXPLAIN_OUT"

SUMMARY=""
for page in "${PAGES[@]}"; do
  SUMMARY+=$(awk -v l="${LABEL[$page]}" -v b="${BEFORE[$page]}" -v a="${AFTER[$page]}" \
    'BEGIN { printf "%s %s → %s ms (%.1fx)", l, b, a, (b > 0 ? a / b : 0) }')
  [ "$page" = "${PAGES[-1]}" ] || SUMMARY+=", "
done
read -r N_CASES N_ATTEMPTS _ _ N_MEMBERS <<<"$COUNTS"
echo "data-scale: $N_CASES published cases, $N_ATTEMPTS attempts, $CLINICIANS clinicians ($N_MEMBERS on the dashboard); p50 demo → loaded: $SUMMARY"
