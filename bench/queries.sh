#!/usr/bin/env bash
# SQL statements per page view, counted from the server's own statement log: a signed-in
# resident opens a case page, the home feed and a quiz question page. The server logs every
# statement (RUST_LOG sqlx::query=debug, JSON lines); after a warm-up, each page is opened VIEWS
# times in a row and the statements logged in between are divided by VIEWS (sqlx's one-time
# type look-ups on a fresh connection are shown but not counted). Nothing else talks to this
# server.
# Prints one summary line, e.g.
#   queries: SQL statements per page view (signed in): case page 2.0, home feed 2.0, quiz question 2.0
# The issue's budget is 2: the session with its user, then the page's data.
# Settings (environment): VIEWS (20), PORT (3207).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${PORT:-3207}
VIEWS=${VIEWS:-20}
RESIDENT=rohan.deshpande@demo.corridor.in

bench_server queries "$PORT" CORRIDOR_LOG_FORMAT=json RUST_LOG=warn,sqlx::query=debug
COOKIE=$(bench_sign_in "$RESIDENT")
CASE_ID=$(bench_sql -c "select q.case_id from quizzes q join cases c on c.id = q.case_id
                        where c.title = 'Painless jaundice with a palpable gallbladder'")
ATTEMPT=$(curl -sf -H "Cookie: $COOKIE" -H "Origin: $BENCH_URL" -H 'Accept: application/json' \
  -d '' "$BENCH_URL/quiz/$CASE_ID/start" | sed -E 's/.*"attempt_id":([0-9]+).*/\1/')
[[ "$ATTEMPT" =~ ^[0-9]+$ ]] || { log "could not start an attempt"; exit 1; }

PAGES=(case home question)
declare -A URL=([case]="/cases/$CASE_ID" [home]=/ [question]="/quiz/attempts/$ATTEMPT/1")
declare -A LABEL=([case]="case page" [home]="home feed" [question]="quiz question")
declare -A PER_VIEW

# sqlx's look-ups of a custom type (the first time a pooled connection meets an enum) are once
# per connection, not per page view: listed below, not counted.
statements() { grep '"target":"sqlx::query"' "$BENCH_TMP/server.log" | grep -vc "$TYPE_LOOKUP" || true; }
TYPE_LOOKUP='"summary":"SELECT \(oid::regtype\|enumlabel\)'

open_page() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BENCH_URL$1")
  [ "$code" = 200 ] || log "warning: $1 answered $code"
}

log "warming up"
for _ in $(seq 1 30); do for page in "${PAGES[@]}"; do open_page "${URL[$page]}"; done; done
for page in "${PAGES[@]}"; do
  sleep 0.3
  before=$(statements)
  for _ in $(seq 1 "$VIEWS"); do open_page "${URL[$page]}"; done
  sleep 0.3
  after=$(statements)
  PER_VIEW[$page]=$(awk -v n=$((after - before)) -v v="$VIEWS" 'BEGIN { printf "%.1f", n / v }')
  log "  ${LABEL[$page]} (${URL[$page]}): ${PER_VIEW[$page]} statements per view, of which:"
  grep '"target":"sqlx::query"' "$BENCH_TMP/server.log" | grep -v "$TYPE_LOOKUP" |
    sed -n "$((before + 1)),${after}p" |
    sed -E 's/.*"summary":"([^"]*)".*/\1/' | sort | uniq -c | sort -rn | sed 's/^/      /' >&2
done

line="queries: SQL statements per page view (signed in):"
sep=" "
for page in "${PAGES[@]}"; do line+="$sep${LABEL[$page]} ${PER_VIEW[$page]}"; sep=", "; done
echo "$line"
