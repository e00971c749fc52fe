#!/usr/bin/env bash
# First-load JS + WASM bytes and the Slow-3G time to interactive of the home page, a case page
# and a quiz question page (the one with an island), from Debian's Chromium: starts a release
# server with demo data, starts the demo resident's attempt, and runs bundle.mjs.
# Prints one summary line (the last). Settings (environment): RUNS (Slow-3G loads per page,
# median reported; 1), PORT (3207).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${PORT:-3207}
ensure_chromium
bench_server bundle "$PORT"
CASE_ID=$(bench_sql -c "select id from cases where title = 'Painless jaundice with a palpable gallbladder'")
COOKIE=$(bench_sign_in rohan.deshpande@demo.corridor.in)
ATTEMPT=$(curl -sf -H "Cookie: $COOKIE" -H "Origin: $BENCH_URL" -H 'Accept: application/json' \
  -d '' "$BENCH_URL/quiz/$CASE_ID/start" | sed -E 's/.*"attempt_id":([0-9]+).*/\1/')
[[ "$ATTEMPT" =~ ^[0-9]+$ ]] || { log "could not start an attempt"; exit 1; }
node bench/bundle.mjs --url "$BENCH_URL" --case "$CASE_ID" --question "/quiz/attempts/$ATTEMPT/1" \
  --runs "${RUNS:-1}"
