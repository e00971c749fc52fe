# Shared by .ci/demo and .ci/test: install what is missing, start a private PostgreSQL.
# Sourced, not run. Every step is idempotent, so a second run only checks.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

# Tool versions live here and only here (the Rust toolchain is in rust-toolchain.toml).
CARGO_LEPTOS_VERSION=0.3.10
BINARYEN_NPM_VERSION=$(sed -n 's/.*"binaryen": *"\([^"]*\)".*/\1/p' end2end/package.json)

log() { printf '\033[1;34m[corridor]\033[0m %s\n' "$*" >&2; }

as_root_or_sudo() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then as_root_or_sudo apt-get update -qq; APT_UPDATED=1; fi
  as_root_or_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# The wasm-bindgen version the browser bundle was locked to; the CLI must match it exactly.
locked_wasm_bindgen() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_rust_tools() {
  export PATH="$HOME/.cargo/bin:$PATH"
  # The toolchain pinned in rust-toolchain.toml, with what the build and checks need.
  local channel; channel=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
  rustup toolchain list | grep -q "^$channel" ||
    rustup toolchain install "$channel" --profile minimal
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown ||
    rustup target add wasm32-unknown-unknown
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes, once)"
    cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked
  fi
  local wb; wb=$(locked_wasm_bindgen)
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb\$"; then
    log "installing wasm-bindgen-cli $wb (matches Cargo.lock)"
    cargo install wasm-bindgen-cli --version "$wb"
  fi
}

# npm packages: Playwright and binaryen's wasm-opt (Debian's wasm-opt breaks hydration).
ensure_node_tools() {
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -d end2end/node_modules/@playwright/test ] ||
     [ ! -d end2end/node_modules/jose ] ||
     [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    log "installing npm packages in end2end/ (binaryen $BINARYEN_NPM_VERSION, Playwright, jose)"
    (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
  fi
  export PATH="$REPO/end2end/node_modules/.bin:$PATH"
}

# A real SMTP server for the mail tests: Debian's aiosmtpd (run as /usr/bin/aiosmtpd, so a
# Python from pyenv or a virtualenv earlier on PATH does not matter).
ensure_mail_server() {
  [ -x /usr/bin/aiosmtpd ] || { log "installing Debian's python3-aiosmtpd (test SMTP server)"; apt_install python3-aiosmtpd; }
  export CORRIDOR_TEST_AIOSMTPD=/usr/bin/aiosmtpd
}

# pdftotext reads certificates' text layers in the tests (Debian's poppler-utils).
ensure_pdftotext() {
  command -v pdftotext >/dev/null || { log "installing Debian's poppler-utils (pdftotext)"; apt_install poppler-utils; }
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || { log "installing Debian's chromium"; apt_install chromium; }
}

PG_BIN=""
ensure_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    log "installing PostgreSQL server from Debian's packages"
    apt_install postgresql
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  command -v psql >/dev/null || apt_install postgresql-client
}

# Runs a PostgreSQL binary as the cluster owner: postgres when we are root (initdb refuses root).
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_cluster NAME [throwaway]
# Starts (or reuses) a private cluster listening on a Unix socket only and sets DATABASE_URL.
# The data lives in .data/NAME in the checkout; when we are root and the checkout is closed to
# the postgres user (e.g. under /root), in a folder that user owns, derived from the checkout path.
start_cluster() {
  local name=$1 throwaway=${2:-}
  ensure_postgres
  local hash; hash=$(printf '%s' "$REPO" | sha1sum | cut -c1-10)
  local base="$REPO/.data/$name"
  if [ -n "$throwaway" ]; then base="/tmp/corridor-$hash-$name-$$"; fi
  mkdir -p "$base"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$base" 2>/dev/null || true
    if ! runuser -u postgres -- test -w "$base" 2>/dev/null; then
      base="/var/lib/corridor/$hash/$name"
      mkdir -p "$base"; chown -R postgres: "/var/lib/corridor/$hash"
      chmod 755 /var/lib/corridor "/var/lib/corridor/$hash"
    fi
  fi
  # Unix socket paths are limited to ~100 bytes, so the socket gets a short path of its own.
  local sock="/tmp/corridor-pg-$hash-$name"
  [ -n "$throwaway" ] && sock="$sock-$$"
  mkdir -p "$sock"; chmod 755 "$sock"
  [ "$(id -u)" = 0 ] && chown postgres: "$sock"
  local data="$base/data"
  CLUSTER_THROWAWAY=""
  [ -n "$throwaway" ] && CLUSTER_THROWAWAY="$base $sock"
  if [ ! -f "$data/PG_VERSION" ]; then
    log "creating PostgreSQL cluster in $data"
    pg_as_owner "$PG_BIN/initdb" -D "$data" -U corridor --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  local opts="-c listen_addresses='' -c unix_socket_directories='$sock' -c port=5432"
  if [ -n "$throwaway" ]; then opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
  if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    # The server outlives this script: it must not inherit our open files (a lock held by
    # whoever ran us, such as `flock`, would otherwise be held for as long as it runs).
    (
      for fd in $(ls /proc/$BASHPID/fd); do
        [ "$fd" -gt 2 ] && eval "exec $fd>&-"
      done 2>/dev/null
      pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$base/postgres.log" -o "$opts" -w start >/dev/null
    )
  fi
  export PGHOST="$sock" PGUSER=corridor PGPORT=5432
  psql -d postgres -tAc "select 1 from pg_database where datname = 'corridor'" | grep -q 1 ||
    psql -d postgres -qc "create database corridor" >/dev/null
  export DATABASE_URL="postgres://corridor@localhost:5432/corridor?host=$sock"
  CLUSTER_DATA="$data"
  log "PostgreSQL ($name): data in $data, socket in $sock"
}

stop_cluster() {
  [ -n "${CLUSTER_DATA:-}" ] && pg_as_owner "$PG_BIN/pg_ctl" -D "$CLUSTER_DATA" -m fast stop >/dev/null 2>&1 || true
  # A throwaway cluster leaves nothing behind.
  [ -n "${CLUSTER_THROWAWAY:-}" ] && rm -rf $CLUSTER_THROWAWAY || true
}

# Where cargo puts the server binary (CARGO_TARGET_DIR is honoured); the site (WASM, JS, CSS)
# stays in the site-root of Cargo.toml, relative to the checkout, wherever the target dir is.
target_dir() { printf '%s' "${CARGO_TARGET_DIR:-target}"; }
SITE_PKG=target/site/pkg

# Everything the release build reads. end2end/package.json pins binaryen's wasm-opt; this
# file holds the build command itself (flags such as --split change the output).
BUILD_INPUTS=(Cargo.toml Cargo.lock rust-toolchain.toml .cargo app server frontend style public
  migrations .sqlx end2end/package.json .ci/lib.sh)

# What the last build produced: name, size and modification time of each output. The stamp
# file holding this list is dated to the start of that build, so an input saved during a build
# still counts as newer.
build_outputs() {
  stat -c '%n %s %Y' "$(target_dir)/release/server" "$SITE_PKG"/* 2>/dev/null || true
}

# True when the last build_site saw every input as it is now and its outputs are untouched
# (a debug `cargo leptos build` rewrites the site, so it forces a rebuild here).
site_is_fresh() {
  local stamp; stamp="$(target_dir)/release/.corridor-site-stamp"
  [ -f "$stamp" ] && [ -x "$(target_dir)/release/server" ] || return 1
  [ "$(build_outputs)" = "$(cat "$stamp")" ] || return 1
  local input
  for input in "${BUILD_INPUTS[@]}"; do
    [ -e "$input" ] || continue
    [ -z "$(find "$input" -newer "$stamp" -print -quit)" ] || return 1
  done
}

# Builds the server and the browser bundle (release: the WASM optimised for size) and reports
# the bundle's size, raw and compressed. `--split` puts each lazy island (the two editors) in a
# chunk of its own, fetched only by the pages that have it. Skipped when nothing changed since
# the last build (CORRIDOR_FORCE_BUILD=true builds anyway), so a restart takes seconds.
build_site() {
  if [ "${CORRIDOR_FORCE_BUILD:-false}" != true ] && site_is_fresh; then
    log "release build is up to date (no input newer than $(target_dir)/release/server and $SITE_PKG); skipping it"
    return 0
  fi
  local started; started=$(date +%s)
  rm -f "$(target_dir)/release/.corridor-site-stamp"
  # Chunk names change from build to build: start from an empty folder so none is left over.
  rm -rf "$SITE_PKG"
  # A failed build must not leave a stamp that calls the site fresh (callers may run without -e).
  SQLX_OFFLINE=true cargo leptos build --release --split || return 1
  # Compress once, at the highest levels, so the server sends .br/.gz files instead of
  # compressing on every request (node's zlib has both; no extra tool needed).
  node -e '
    const fs = require("fs"), zlib = require("zlib"), dir = "target/site/pkg";
    for (const f of fs.readdirSync(dir).filter(f => /\.(wasm|js|css)$/.test(f))) {
      const data = fs.readFileSync(`${dir}/${f}`);
      fs.writeFileSync(`${dir}/${f}.br`, zlib.brotliCompressSync(data, { params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
      fs.writeFileSync(`${dir}/${f}.gz`, zlib.gzipSync(data, { level: 9 }));
    }'
  local f
  for f in "$SITE_PKG"/*.wasm "$SITE_PKG"/*.js; do
    log "bundle $(basename "$f"): $(stat -c %s "$f") bytes raw, $(stat -c %s "$f.gz") gzip, $(stat -c %s "$f.br") brotli"
  done
  # Dated to the start of the build: an input edited while it ran is newer, so it rebuilds.
  build_outputs > "$(target_dir)/release/.corridor-site-stamp"
  touch -d "@$started" "$(target_dir)/release/.corridor-site-stamp"
}
