#!/usr/bin/env bash
# Many learners taking the demo module at once: starts a release server with demo data, creates
# LEARNERS accounts (copies of the demo resident, same password), then runs quiz-load.mjs.
# Prints one summary line (the last), e.g.
#   quiz-load: 2000 learners, think 3-9 s, 24000 requests, 0 errors, p50 10 ms, p95 40 ms, p99 145 ms; …
# Settings (environment): LEARNERS (2000), THINK_MIN / THINK_MAX seconds (3 / 9), ARRIVALS
# learners arriving (and signing in) per second (10, so 2000 arrive over 200 s), DURATION
# seconds with all of them active, after the last arrived (120), PORT (3203).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${PORT:-3203}
LEARNERS=${LEARNERS:-2000}

# Every learner signs in from an address of their own (X-Forwarded-For, trusted here), as they
# would from their phones: the per-address sign-in limit is not what this measures.
bench_server quiz-load "$PORT" CORRIDOR_TRUST_PROXY=true

log "creating $LEARNERS learners (copies of the demo resident)"
bench_sql -f bench/clone.sql -c "
  select pg_temp.bench_clone('users', \$\$email = 'rohan.deshpande@demo.corridor.in'\$\$, $LEARNERS,
    jsonb_build_object(
      'email', \$\$'learner-' || g || '@bench.corridor.in'\$\$,
      'full_name', \$\$'Dr. Bench Learner ' || g\$\$,
      'created_at', 'now()'))" >/dev/null
CASE_ID=$(bench_sql -c "select q.case_id from quizzes q join cases c on c.id = q.case_id
                        where c.title = 'Painless jaundice with a palpable gallbladder'")

# Node's own fetch is the client: one process, no packages to install.
node bench/quiz-load.mjs --url "$BENCH_URL" --case "$CASE_ID" --learners "$LEARNERS" \
  --email 'learner-{n}@bench.corridor.in' --password corridor-demo \
  --think-min "${THINK_MIN:-3}" --think-max "${THINK_MAX:-9}" --duration "${DURATION:-120}" \
  --arrivals-per-second "${ARRIVALS:-10}"
