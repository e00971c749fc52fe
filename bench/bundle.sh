#!/usr/bin/env bash
# First-load JS + WASM bytes and the Slow-3G time to interactive of the home page and a case
# page, from Debian's Chromium: starts a release server with demo data and runs bundle.mjs.
# Prints one summary line (the last). Settings (environment): RUNS (Slow-3G loads per page,
# median reported; 1), PORT (3207).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${PORT:-3207}
ensure_chromium
bench_server bundle "$PORT"
CASE_ID=$(bench_sql -c "select id from cases where title = 'Painless jaundice with a palpable gallbladder'")
node bench/bundle.mjs --url "$BENCH_URL" --case "$CASE_ID" --runs "${RUNS:-1}"
