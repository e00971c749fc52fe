#!/usr/bin/env bash
# Pages at scale: times the home feed, a search for "jaundice", the department dashboard and the
# CME ledger page on the demo data, then loads CASES published cases, ATTEMPTS submitted
# attempts and CLINICIANS clinicians (copies of demo rows, in one transaction) and times them
# again. Server time is curl's time_total, median of SAMPLES requests after a warm-up. Writes
# EXPLAIN (ANALYZE, BUFFERS) of every statement each page runs at scale (auto_explain, real
# parameters) to target/bench/data-scale-explain.txt. Prints one summary line, e.g.
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

-- Every copy of the jaundice case gets its module (settings and questions).
create temp table bench_source as
  select q.id as quiz_id, q.case_id, c.title from quizzes q join cases c on c.id = q.case_id
  where c.title = 'Painless jaundice with a palpable gallbladder';
create temp table bench_copies as
  select c.id as case_id, row_number() over (order by c.id) as n
  from cases c join bench_source o on c.title like o.title || ' · %';
select pg_temp.bench_clone('quizzes', \$\$id = (select quiz_id from bench_source)\$\$,
  (select count(*) from bench_copies), jsonb_build_object(
  'case_id', \$\$(select array_agg(case_id order by n) from bench_copies)[g]\$\$,
  'created_at', 'now()', 'updated_at', 'now()'));
-- The copies serve the source module's questions (a bank question can serve many modules).
insert into quiz_module_questions (quiz_id, question_id, position)
select z.id, p.question_id, p.position
from quizzes z join bench_copies b on b.case_id = z.case_id
cross join quiz_module_questions p
where p.quiz_id = (select quiz_id from bench_source) and p.removed_at is null;

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

# The plans of the statements the pages really run, with their real parameters: a second server
# on the same database (sessions live there, so the cookies work) whose connections load
# PostgreSQL's auto_explain and send each plan back as a notice, which sqlx logs. Each page is
# opened once (after one unlogged warm-up through the same server).
mkdir -p "$(dirname "$EXPLAIN_OUT")"
EXPLAIN_PORT=$((PORT + 1))
EXPLAIN_OPTIONS=$(printf '%s' "-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0 \
-c auto_explain.log_analyze=on -c auto_explain.log_buffers=on -c client_min_messages=log" | sed 's/ /%20/g; s/=/%3D/g')
env DATABASE_URL="$BENCH_DATABASE_URL&options=$EXPLAIN_OPTIONS" CORRIDOR_LISTEN="127.0.0.1:$EXPLAIN_PORT" \
  CORRIDOR_PUBLIC_URL="http://127.0.0.1:$EXPLAIN_PORT" CORRIDOR_DEMO_DATA=false LEPTOS_SITE_ROOT=target/site \
  CORRIDOR_MEDIA_DIR="$BENCH_TMP/media" CORRIDOR_OUTBOX_DIR="$BENCH_TMP/outbox" CORRIDOR_LOG_FORMAT=json \
  RUST_LOG=warn,sqlx::postgres::notice=trace "$(target_dir)/release/server" >"$BENCH_TMP/explain.log" 2>&1 &
EXPLAIN_PID=$!
BENCH_CLEANUPS+=("kill $EXPLAIN_PID 2>/dev/null")
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$EXPLAIN_PORT/readyz" && break; sleep 0.5; done
{
  echo "EXPLAIN (ANALYZE, BUFFERS) of every statement the pages run, via auto_explain, at $COUNTS"
  echo "(published cases, submitted attempts, users, ledger lines, dashboard members)"
  echo "code: $(git -C "$REPO" rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC')"
  for page in "${PAGES[@]}"; do
    if [ "${WHO[$page]}" = admin ]; then cookie=$ADMIN_COOKIE; else cookie=$RESIDENT_COOKIE; fi
    curl -s -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$EXPLAIN_PORT${URL[$page]}"
    sleep 0.3
    from=$(wc -l <"$BENCH_TMP/explain.log")
    curl -s -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$EXPLAIN_PORT${URL[$page]}"
    sleep 0.5
    echo; echo "==== ${LABEL[$page]} (${URL[$page]})"
    tail -n +"$((from + 1))" "$BENCH_TMP/explain.log" | node -e '
      let text = require("fs").readFileSync(0, "utf8");
      for (const line of text.split("\n")) {
        let m; try { m = JSON.parse(line).message; } catch { continue; }
        if (!m || !m.includes("Query Text:") || /Query Text: SELECT (oid::regtype|enumlabel)/.test(m)) continue;
        console.log("\n" + m);
      }'
  done
} >"$EXPLAIN_OUT" 2>&1
kill "$EXPLAIN_PID" 2>/dev/null || true
log "EXPLAIN output: $EXPLAIN_OUT"

SUMMARY=""
for page in "${PAGES[@]}"; do
  SUMMARY+=$(awk -v l="${LABEL[$page]}" -v b="${BEFORE[$page]}" -v a="${AFTER[$page]}" \
    'BEGIN { printf "%s %s → %s ms (%.1fx)", l, b, a, (b > 0 ? a / b : 0) }')
  [ "$page" = "${PAGES[-1]}" ] || SUMMARY+=", "
done
read -r N_CASES N_ATTEMPTS _ _ N_MEMBERS <<<"$COUNTS"
echo "data-scale: $N_CASES published cases, $N_ATTEMPTS attempts, $CLINICIANS clinicians ($N_MEMBERS on the dashboard); p50 demo → loaded: $SUMMARY"
