#!/usr/bin/env bash
# A signed-in resident's case page from Corridor vs the same bytes as a static file from nginx,
# both measured with wrk on this machine. Prints one summary line, e.g.
#   case-page: app 1085 req/s (p50 31.0 ms), nginx 98000 req/s (p50 0.3 ms), ratio 0.011x
# Settings (environment): PORT (3201; nginx gets PORT+1), THREADS (2), CONNECTIONS (32),
# DURATION (10s).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${PORT:-3201}
NGINX_PORT=$((PORT + 1))
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
CASE_TITLE="Painless jaundice with a palpable gallbladder"

ensure_wrk
ensure_nginx
bench_server case-page "$PORT"

COOKIE=$(bench_sign_in rohan.deshpande@demo.corridor.in)
CASE_ID=$(bench_sql -c "select id from cases where title = '$CASE_TITLE' and status = 'published'")
PAGE="$BENCH_URL/cases/$CASE_ID"
mkdir -p "$BENCH_TMP/www"
curl -sf -H "Cookie: $COOKIE" "$PAGE" -o "$BENCH_TMP/www/case.html"
grep -q "$CASE_TITLE" "$BENCH_TMP/www/case.html" || { log "the case page did not show the case"; exit 1; }
grep -q 'Sign out\|/logout\|logout' "$BENCH_TMP/www/case.html" ||
  log "warning: the saved page may not be the signed-in one"
BYTES=$(stat -c %s "$BENCH_TMP/www/case.html")
log "case $CASE_ID: $BYTES bytes of HTML, signed in as the demo resident"

# nginx as it ships, serving one file: worker per core, no access log, sendfile.
cat >"$BENCH_TMP/nginx.conf" <<EOF
worker_processes auto;
pid $BENCH_TMP/nginx.pid;
error_log $BENCH_TMP/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $BENCH_TMP/nginx-body;
  proxy_temp_path $BENCH_TMP/nginx-proxy;
  fastcgi_temp_path $BENCH_TMP/nginx-fastcgi;
  uwsgi_temp_path $BENCH_TMP/nginx-uwsgi;
  scgi_temp_path $BENCH_TMP/nginx-scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $BENCH_TMP/www;
    default_type text/html;
  }
}
EOF
/usr/sbin/nginx -c "$BENCH_TMP/nginx.conf" -p "$BENCH_TMP" -e "$BENCH_TMP/nginx-error.log"
BENCH_CLEANUPS+=("kill \$(cat $BENCH_TMP/nginx.pid)")
curl -sf "http://127.0.0.1:$NGINX_PORT/case.html" | cmp -s - "$BENCH_TMP/www/case.html" ||
  { log "nginx does not serve the same bytes"; exit 1; }

# run_wrk NAME URL [wrk args…]: a short warm-up, then the measured run; sets RPS and P50 (ms).
run_wrk() {
  local name=$1 url=$2; shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$@" "$url" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$BENCH_TMP/wrk-$name.txt"
  cat "$BENCH_TMP/wrk-$name.txt" >&2
  RPS=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$BENCH_TMP/wrk-$name.txt")
  P50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$BENCH_TMP/wrk-$name.txt")")
  if grep -q 'Non-2xx' "$BENCH_TMP/wrk-$name.txt"; then log "warning: $name answered with errors"; fi
}

log "wrk against the app: $PAGE"
run_wrk app "$PAGE" -H "Cookie: $COOKIE"
APP_RPS=$RPS APP_P50=$P50
log "wrk against nginx: http://127.0.0.1:$NGINX_PORT/case.html"
run_wrk nginx "http://127.0.0.1:$NGINX_PORT/case.html"
NGINX_RPS=$RPS NGINX_P50=$P50

RATIO=$(awk -v a="$APP_RPS" -v n="$NGINX_RPS" 'BEGIN { printf (a / n < 0.1 ? "%.3f" : "%.2f"), a / n }')
echo "case-page: app $APP_RPS req/s (p50 $APP_P50 ms), nginx $NGINX_RPS req/s (p50 $NGINX_P50 ms), ratio ${RATIO}x ($BYTES bytes, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores)"
