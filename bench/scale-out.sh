#!/usr/bin/env bash
# Scale-out, shown: two release app servers on one PostgreSQL database and one S3-compatible
# bucket (moto's S3 server from PyPI stands in for S3), with nginx round robin in front. Checks,
# each printed PASS or FAIL on stderr:
#   1. session: signed in through server A, the same cookie is signed in on server B;
#   2. image: an image uploaded through A is served by B, and the object is in the bucket;
#   3. edit: a case title changed on A shows on B's case page within a second;
#   4. round robin: 20 requests through nginx alternate between A and B (nginx's
#      $upstream_addr, cross-checked with each server's own request log).
# Prints one summary line, e.g.
#   scale-out: 2 app servers behind nginx on one database and one bucket (moto): session,
#   image, edit visible across servers: PASS (4/4 checks)
# and exits non-zero when a check fails.
# Settings (environment): PORT (3211: server A; B gets PORT+1, nginx PORT+2, moto PORT+3).
# moto[server] is installed into .data/moto-venv (python3 -m venv) the first time.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${PORT:-3211}
PORT_B=$((PORT + 1))
NGINX_PORT=$((PORT + 2))
S3_PORT=$((PORT + 3))
BUCKET=corridor-scale-out
MENTOR=meera.kulkarni@demo.corridor.in
MENTOR_NAME="Dr. Meera Kulkarni"
A="http://127.0.0.1:$PORT"
B="http://127.0.0.1:$PORT_B"
LB="http://127.0.0.1:$NGINX_PORT"
S3="http://127.0.0.1:$S3_PORT"
MOTO_VENV="$REPO/.data/moto-venv"

ensure_nginx
command -v python3 >/dev/null || apt_install python3 python3-venv

# --- The S3 stand-in -------------------------------------------------------------------------
if [ ! -x "$MOTO_VENV/bin/moto_server" ]; then
  log "installing moto[server] from PyPI into $MOTO_VENV (once)"
  rm -rf "$MOTO_VENV"
  python3 -m venv "$MOTO_VENV"
  "$MOTO_VENV/bin/pip" install -q --disable-pip-version-check 'moto[server]'
fi
MOTO_VERSION=$("$MOTO_VENV/bin/python" -c 'import moto; print(moto.__version__)')
if curl -s -o /dev/null "$S3/"; then log "port $S3_PORT is taken: stop whatever listens there first"; exit 1; fi
"$MOTO_VENV/bin/moto_server" -H 127.0.0.1 -p "$S3_PORT" >"$BENCH_TMP/moto.log" 2>&1 &
MOTO_PID=$!
BENCH_CLEANUPS+=("kill $MOTO_PID; wait $MOTO_PID")
for _ in $(seq 1 100); do
  curl -s -o /dev/null "$S3/" && break
  kill -0 "$MOTO_PID" 2>/dev/null || { log "moto did not start:"; tail -n 20 "$BENCH_TMP/moto.log" >&2; exit 1; }
  sleep 0.2
done
# moto accepts unsigned requests: a plain PUT creates the bucket.
curl -sf -o /dev/null -X PUT "$S3/$BUCKET" || { log "could not create bucket $BUCKET"; exit 1; }
log "moto $MOTO_VERSION on $S3, bucket $BUCKET"

# What both app servers share: the database (set by bench_server), the bucket, the public URL
# (nginx's, so both accept the same Origin) and the request log (info for the server's own
# "response" lines, for check 4).
S3_ENV=(CORRIDOR_S3_BUCKET="$BUCKET" AWS_ENDPOINT="$S3" AWS_ALLOW_HTTP=true
  AWS_ACCESS_KEY_ID=scale-out AWS_SECRET_ACCESS_KEY=scale-out AWS_REGION=us-east-1
  CORRIDOR_PUBLIC_URL="$LB" RUST_LOG=warn,server=info)

# --- Server A: migrates and loads the demo data ---------------------------------------------
bench_server scale-out "$PORT" "${S3_ENV[@]}"
mv "$BENCH_TMP/server.log" "$BENCH_TMP/server-a.log"  # the open file follows the rename

# --- Server B: the same database and bucket, no demo seeding ------------------------------
if curl -s -o /dev/null "$B/healthz"; then log "port $PORT_B is taken: stop whatever listens there first"; exit 1; fi
env DATABASE_URL="$BENCH_DATABASE_URL" CORRIDOR_LISTEN="127.0.0.1:$PORT_B" \
  LEPTOS_SITE_ROOT=target/site CORRIDOR_OUTBOX_DIR="$BENCH_TMP/outbox" "${S3_ENV[@]}" \
  "$(target_dir)/release/server" >"$BENCH_TMP/server-b.log" 2>&1 &
SERVER_B_PID=$!
BENCH_CLEANUPS+=("kill $SERVER_B_PID; wait $SERVER_B_PID")
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "$B/readyz" && break
  kill -0 "$SERVER_B_PID" 2>/dev/null || { log "server B did not start:"; tail -n 30 "$BENCH_TMP/server-b.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf -o /dev/null "$B/readyz" || { log "server B is not ready"; exit 1; }
log "server B up on $B"

# --- nginx round robin in front of both ---------------------------------------------------
cat >"$BENCH_TMP/nginx.conf" <<EOF
worker_processes 1;
pid $BENCH_TMP/nginx.pid;
error_log $BENCH_TMP/nginx-error.log warn;
events { worker_connections 256; }
http {
  log_format upstream '\$upstream_addr \$status \$request';
  access_log $BENCH_TMP/nginx-access.log upstream;
  client_body_temp_path $BENCH_TMP/nginx-body;
  proxy_temp_path $BENCH_TMP/nginx-proxy;
  fastcgi_temp_path $BENCH_TMP/nginx-fastcgi;
  uwsgi_temp_path $BENCH_TMP/nginx-uwsgi;
  scgi_temp_path $BENCH_TMP/nginx-scgi;
  upstream corridor {
    server 127.0.0.1:$PORT;
    server 127.0.0.1:$PORT_B;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    client_max_body_size 12m;
    location / {
      proxy_pass http://corridor;
      proxy_set_header Host \$host;
      add_header X-Upstream \$upstream_addr always;
    }
  }
}
EOF
/usr/sbin/nginx -c "$BENCH_TMP/nginx.conf" -p "$BENCH_TMP" -e "$BENCH_TMP/nginx-error.log"
BENCH_CLEANUPS+=("kill \$(cat $BENCH_TMP/nginx.pid)")
for _ in $(seq 1 50); do curl -sf -o /dev/null "$LB/healthz" && break; sleep 0.1; done
log "nginx on $LB: round robin over $A and $B"

PASSED=0 FAILED=0 NOTES=()
check() {  # check NAME FUNCTION
  local name=$1; shift
  if "$@"; then PASSED=$((PASSED + 1)); log "PASS $name"; else FAILED=$((FAILED + 1)); log "FAIL $name"; fi
}
# Every request names nginx's address as its Origin: the public URL both servers share.
ORIGIN=(-H "Origin: $LB")
JAR="$BENCH_TMP/jar"

# 1. Sign in through A, read /account through B with the same cookie.
check_session() {
  curl -sf -o /dev/null -c "$JAR" "${ORIGIN[@]}" -H 'Accept: application/json' \
    --data-urlencode "email=$MENTOR" --data-urlencode "password=corridor-demo" "$A/api/login" ||
    { log "sign-in through A failed"; return 1; }
  grep -q corridor_session "$JAR" || { log "A set no session cookie"; return 1; }
  local code
  code=$(curl -s -o "$BENCH_TMP/account-b.html" -w '%{http_code}' -b "$JAR" "$B/account")
  [ "$code" = 200 ] || { log "B answered /account with $code"; return 1; }
  grep -q "$MENTOR_NAME" "$BENCH_TMP/account-b.html" || { log "B's /account does not show $MENTOR_NAME"; return 1; }
  # Without the cookie B does not know who this is (so the check above means something).
  code=$(curl -s -o "$BENCH_TMP/account-anon.html" -w '%{http_code}' "$B/account")
  if [ "$code" = 200 ] && grep -q "$MENTOR_NAME" "$BENCH_TMP/account-anon.html"; then
    log "B shows $MENTOR_NAME without a cookie"; return 1
  fi
  log "signed in on A; B shows $MENTOR_NAME with the same cookie (and answers $code without it)"
}

# Two cases of the mentor's own, written through A (published): one for the image (a published
# case with an image asks for the patient's consent before its next edit), one for the edit.
CASE_TITLE="Scale-out check $(date +%s)"
IMAGE_CASE_ID="" CASE_ID=""
write_case() {  # write_case TITLE: prints the new case's id
  local id
  id=$(curl -sf -b "$JAR" "${ORIGIN[@]}" -H 'Accept: application/json' \
    --data-urlencode "title=$1" --data-urlencode specialty=general-surgery \
    --data-urlencode "summary=A case written by the scale-out benchmark." \
    --data-urlencode "body=Written through server A." --data-urlencode intent=publish \
    "$A/api/save-case") || { log "save-case (new case) through A failed"; return 1; }
  [[ "$id" =~ ^[0-9]+$ ]] || { log "save-case answered $id"; return 1; }
  log "case $id written through A: $1"
  printf '%s' "$id"
}

# 2. Upload an image through A; B serves its display rendition, the bucket holds it.
check_image() {
  local CASE_ID=$IMAGE_CASE_ID
  [ -n "$CASE_ID" ] || return 1
  # A 96x64 RGB gradient PNG, from python3's zlib (no image tool needed).
  python3 - "$BENCH_TMP/upload.png" <<'PY' || return 1
import struct, sys, zlib
w, h = 96, 64
rows = b"".join(b"\0" + bytes(v for x in range(w) for v in (x * 2, y * 3, 128)) for y in range(h))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
open(sys.argv[1], "wb").write(png)
PY
  local reply image_id code type key
  reply=$(curl -sf -b "$JAR" "${ORIGIN[@]}" -H 'Accept: application/json' \
    -F "image=@$BENCH_TMP/upload.png;type=image/png" -F "alt_text=A colour gradient" \
    -F "caption=Uploaded through server A" "$A/cases/$CASE_ID/images") ||
    { log "upload through A failed"; return 1; }
  image_id=$(printf '%s' "$reply" | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
  [ -n "$image_id" ] || { log "upload answered $reply"; return 1; }
  read -r code type < <(curl -s -o "$BENCH_TMP/display-b" -w '%{http_code} %{content_type}\n' \
    -b "$JAR" "$B/media/images/$image_id/display")
  [ "$code" = 200 ] || { log "B answered image $image_id's display rendition with $code"; return 1; }
  [[ "$type" == image/* ]] || { log "B served image $image_id as $type"; return 1; }
  # Read back through the S3 API with boto3 (installed with moto), signed like any client.
  key=$(AWS_ACCESS_KEY_ID=scale-out AWS_SECRET_ACCESS_KEY=scale-out "$MOTO_VENV/bin/python" - \
    "$S3" "$BUCKET" "cases/$CASE_ID/" "$BENCH_TMP/display-s3" <<'PY'
import sys, boto3
endpoint, bucket, prefix, out = sys.argv[1:]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]
display = [k for k in keys if "-display." in k]
if display:
    s3.download_file(bucket, display[0], out)
    print(display[0])
PY
  ) || { log "reading the bucket with boto3 failed"; return 1; }
  [ -n "$key" ] || { log "no display rendition under cases/$CASE_ID/ in the bucket"; return 1; }
  cmp -s "$BENCH_TMP/display-s3" "$BENCH_TMP/display-b" ||
    { log "B's $(stat -c %s "$BENCH_TMP/display-b") bytes differ from the bucket's $key ($(stat -c %s "$BENCH_TMP/display-s3") bytes)"; return 1; }
  log "image $image_id uploaded through A, served by B ($type, $(stat -c %s "$BENCH_TMP/display-b") bytes) = s3://$BUCKET/$key"
}

# 3. B shows the case; its title changes on A; B shows the new title within a second.
EDIT_MS=""
check_edit() {
  [ -n "$CASE_ID" ] || return 1
  curl -sf -b "$JAR" -o "$BENCH_TMP/case-b.html" "$B/cases/$CASE_ID" &&
    grep -q "$CASE_TITLE" "$BENCH_TMP/case-b.html" ||
    { log "B's case page does not show the case before the edit"; return 1; }
  local new_title="$CASE_TITLE edited on A" start deadline reply
  local fields=(--data-urlencode "id=$CASE_ID" --data-urlencode "title=$new_title"
    --data-urlencode specialty=general-surgery
    --data-urlencode "summary=A case written by the scale-out benchmark."
    --data-urlencode "body=Written through server A, then edited there." --data-urlencode intent=publish)
  reply=$(curl -s -w '\n%{http_code}' -b "$JAR" "${ORIGIN[@]}" -H 'Accept: application/json' \
    "${fields[@]}" "$A/api/save-case")
  [ "${reply##*$'\n'}" = 200 ] || { log "save-case (edit) through A answered: $reply"; return 1; }
  reply=${reply%$'\n'*}
  [ "$reply" = "$CASE_ID" ] || { log "save-case (edit) answered $reply"; return 1; }
  start=$(date +%s%N); deadline=$((start + 1000000000))
  while :; do
    if curl -sf -b "$JAR" -o "$BENCH_TMP/case-b.html" "$B/cases/$CASE_ID" &&
      grep -q "$new_title" "$BENCH_TMP/case-b.html"; then
      EDIT_MS=$((($(date +%s%N) - start) / 1000000))
      log "B shows the new title ${EDIT_MS} ms after A saved it"
      return 0
    fi
    [ "$(date +%s%N)" -lt "$deadline" ] || break
    sleep 0.05
  done
  log "B still shows the old title a second after A saved the new one"; return 1
}

# 4. 20 requests through nginx: each answered by the other server than the one before.
responses() { grep -c '"response"\|} response\| response ' "$1" || true; }
check_round_robin() {
  local before_a before_b after_a after_b i upstreams
  before_a=$(responses "$BENCH_TMP/server-a.log"); before_b=$(responses "$BENCH_TMP/server-b.log")
  : >"$BENCH_TMP/upstreams"
  for i in $(seq 1 20); do
    curl -sf -D - -o /dev/null "$LB/healthz" | tr -d '\r' |
      awk 'tolower($1) == "x-upstream:" { print $2 }' >>"$BENCH_TMP/upstreams"
  done
  sleep 0.2  # the servers write their log lines as they answer
  after_a=$(responses "$BENCH_TMP/server-a.log"); after_b=$(responses "$BENCH_TMP/server-b.log")
  upstreams=$(sort "$BENCH_TMP/upstreams" | uniq -c | awk '{ printf "%s%s x%s", sep, $2, $1; sep = ", " }')
  log "nginx's upstreams: $upstreams; request log lines: A +$((after_a - before_a)), B +$((after_b - before_b))"
  [ "$(wc -l <"$BENCH_TMP/upstreams")" = 20 ] || { log "not every request came back with X-Upstream"; return 1; }
  [ "$(grep -cx "127.0.0.1:$PORT" "$BENCH_TMP/upstreams")" = 10 ] &&
    [ "$(grep -cx "127.0.0.1:$PORT_B" "$BENCH_TMP/upstreams")" = 10 ] ||
    { log "the 20 requests were not split 10/10"; return 1; }
  [ -z "$(uniq -d "$BENCH_TMP/upstreams")" ] || { log "the same server answered twice in a row"; return 1; }
  [ $((after_a - before_a)) = 10 ] && [ $((after_b - before_b)) = 10 ] ||
    { log "the servers' own logs do not show 10 requests each"; return 1; }
}

check "1 session: signed in on A, signed in on B" check_session
IMAGE_CASE_ID=$(write_case "$CASE_TITLE (image)") || true
CASE_ID=$(write_case "$CASE_TITLE") || true
check "2 image: uploaded through A, served by B, in the bucket" check_image
check "3 edit: changed on A, seen on B within 1 s" check_edit
check "4 round robin: 20 requests through nginx alternate A, B" check_round_robin

TOTAL=$((PASSED + FAILED))
RESULT=PASS; [ "$FAILED" = 0 ] || RESULT=FAIL
echo "scale-out: 2 app servers behind nginx on one database and one bucket (moto $MOTO_VERSION): session, image, edit visible across servers: $RESULT ($PASSED/$TOTAL checks${EDIT_MS:+; edit seen on B after $EDIT_MS ms})"
[ "$FAILED" = 0 ]
