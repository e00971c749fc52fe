# Shared by the benchmarks in bench/: each starts its own release server, on its own port, with
# its own database (demo data), and stops it at the end. Sourced, not run.
# Builds with .ci/lib.sh's build_site, which skips the build when nothing changed.
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"

ensure_wrk() { command -v wrk >/dev/null || { log "installing Debian's wrk"; apt_install wrk; }; }
ensure_nginx() { [ -x /usr/sbin/nginx ] || { log "installing Debian's nginx"; apt_install nginx; }; }

BENCH_TMP=$(mktemp -d /tmp/corridor-bench.XXXXXX)
chmod 755 "$BENCH_TMP"  # nginx workers read from it as another user
BENCH_SERVER_PID=""
BENCH_STARTED_CLUSTER=""
BENCH_DB=""
BENCH_CLEANUPS=()

bench_cleanup() {
  local step
  for step in "${BENCH_CLEANUPS[@]}"; do eval "$step" || true; done
  if [ -n "$BENCH_SERVER_PID" ]; then
    kill "$BENCH_SERVER_PID" 2>/dev/null || true
    wait "$BENCH_SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$BENCH_DB" ] && [ "${BENCH_KEEP_DB:-false}" != true ]; then
    psql -d postgres -qc "drop database if exists $BENCH_DB" >/dev/null 2>&1 || true
  fi
  [ -n "$BENCH_STARTED_CLUSTER" ] && stop_cluster
  rm -rf "$BENCH_TMP"
}
trap bench_cleanup EXIT

# bench_server NAME PORT [VAR=value ...]
# Builds if needed, creates database corridor_bench_NAME afresh (demo data is seeded by the
# server at start-up) and starts the release server on 127.0.0.1:PORT. Sets BENCH_URL and
# BENCH_DATABASE_URL; the server's log is $BENCH_TMP/server.log.
bench_server() {
  local name=$1 port=$2; shift 2
  ensure_rust_tools
  ensure_node_tools
  if [ -z "${DATABASE_URL:-}" ]; then
    ensure_postgres
    local hash; hash=$(printf '%s' "$REPO" | sha1sum | cut -c1-10)
    # A cluster of its own (persistent settings, not the throwaway ones: fsync stays on).
    if ! PGHOST="/tmp/corridor-pg-$hash-bench" PGUSER=corridor psql -d postgres -tAc 'select 1' >/dev/null 2>&1; then
      BENCH_STARTED_CLUSTER=1
    fi
    start_cluster bench
  fi
  build_site
  BENCH_DB="corridor_bench_${name//-/_}"
  psql -d postgres -qc "drop database if exists $BENCH_DB" -c "create database $BENCH_DB" >/dev/null
  BENCH_DATABASE_URL=$(printf '%s' "$DATABASE_URL" | sed -E "s#^([^?]*/)[^/?]*#\1$BENCH_DB#")
  BENCH_URL="http://127.0.0.1:$port"
  if curl -s -o /dev/null "$BENCH_URL/healthz"; then
    log "port $port is taken: stop whatever listens there first"; return 1
  fi
  mkdir -p "$BENCH_TMP/media" "$BENCH_TMP/outbox"
  env DATABASE_URL="$BENCH_DATABASE_URL" CORRIDOR_LISTEN="127.0.0.1:$port" \
    CORRIDOR_PUBLIC_URL="$BENCH_URL" CORRIDOR_DEMO_DATA=true LEPTOS_SITE_ROOT=target/site \
    CORRIDOR_MEDIA_DIR="$BENCH_TMP/media" CORRIDOR_OUTBOX_DIR="$BENCH_TMP/outbox" \
    RUST_LOG=${RUST_LOG:-warn} "$@" \
    "$(target_dir)/release/server" >"$BENCH_TMP/server.log" 2>&1 &
  BENCH_SERVER_PID=$!
  local i
  for i in $(seq 1 240); do
    curl -sf -o /dev/null "$BENCH_URL/readyz" && { log "server up on $BENCH_URL (database $BENCH_DB)"; return 0; }
    kill -0 "$BENCH_SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  log "the server did not start; its log:"; tail -n 30 "$BENCH_TMP/server.log" >&2
  return 1
}

# bench_sql ARGS…: psql on the benchmark's database, stopping at the first error.
bench_sql() { psql "$BENCH_DATABASE_URL" -v ON_ERROR_STOP=1 -qtA "$@"; }

# bench_sign_in EMAIL [PASSWORD]: prints the session cookie ("corridor_session=…").
bench_sign_in() {
  local email=$1 password=${2:-corridor-demo} jar="$BENCH_TMP/jar.$RANDOM"
  curl -sf -o /dev/null -c "$jar" -H "Origin: $BENCH_URL" -H 'Accept: application/json' \
    --data-urlencode "email=$email" --data-urlencode "password=$password" "$BENCH_URL/api/login" ||
    { log "sign-in as $email failed"; return 1; }
  awk '$6 == "corridor_session" { print $6 "=" $7 }' "$jar"
  rm -f "$jar"
}

# to_ms VALUE: wrk's latency ("812.00us", "31.2ms", "1.05s") in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.1f", n }'
}
