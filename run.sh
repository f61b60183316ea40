#!/usr/bin/env bash
# Runs CareDesk on this machine: the public service (customer-care page and report API) and,
# when there is a display, the agents' desktop app signed in to the same database.
#
#   ./run.sh            both (only the server when there is no display)
#   ./run.sh server     only the public service
#   ./run.sh desktop    only the desktop app (sign in to any CareDesk database)
#   ./run.sh seed [N]   fills the (empty) database with N generated issues (default 20000),
#                       to try the desktop with data; DATABASE_URL must then be an owner's
#
# Installs what is missing (Debian/Ubuntu) and builds first. The server listens on
# CAREDESK_BIND (default 127.0.0.1:8080). With DATABASE_URL set, it serves that database
# (apply the migrations first with `caredesk-server migrate` as the owner). Without it, it
# uses the embedded default: a private PostgreSQL cluster in .caredesk/pg (CAREDESK_PG_DIR;
# port CAREDESK_PG_PORT, default 55432), created on first run and migrated, with the server
# connecting as the intake-only login caredesk_web over the cluster's private socket. On
# first run it also creates the agent login "admin" and prints its password once.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
WHAT=${1:-all}
case "$WHAT" in all | server | desktop | seed) ;; *) echo "usage: ./run.sh [server|desktop|seed [N]]" >&2; exit 2 ;; esac

scripts/setup.sh
# shellcheck disable=SC1091
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh

export SQLX_OFFLINE=true
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}/debug"
has_display() { [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; }

# One build of both programs, with the same features as the test suites so that all of
# them share compiled crates.
build() {
  echo "==> building CareDesk (the first time takes several minutes)"
  npm --prefix ui run --silent build >/dev/null
  cargo build --quiet --workspace --features caredesk/custom-protocol
}

embedded_database() {
  PG_DIR="${CAREDESK_PG_DIR:-$ROOT/.caredesk/pg}"
  PG_PORT="${CAREDESK_PG_PORT:-55432}"
  export CAREDESK_PG_PORT=$PG_PORT # the desktop app's sign-in form suggests it
  echo "==> embedded database: $PG_DIR (port $PG_PORT)"
  start_private_cluster "$PG_DIR" "$PG_PORT" app
  local socket="$PG_DIR/socket" fresh=
  psql_owner() { psql -q -X -v ON_ERROR_STOP=1 -h "$socket" -p "$PG_PORT" -U postgres "$@"; }
  if ! psql_owner -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'caredesk'" | grep -q 1; then
    psql_owner -d postgres -c "CREATE DATABASE caredesk"
    fresh=yes
  fi
  owner_url="postgres://postgres@localhost:$PG_PORT/caredesk?host=$socket"
  DATABASE_URL="$owner_url" "$TARGET/caredesk-server" migrate
  psql_owner -d caredesk -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'caredesk_web') THEN
        CREATE ROLE caredesk_web LOGIN IN ROLE caredesk_intake;
      END IF; END \$\$"
  if [ -n "$fresh" ] && ! psql_owner -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'admin'" | grep -q 1; then
    echo "==> first run: an admin agent login for the desktop app"
    DATABASE_URL="$owner_url" "$TARGET/caredesk-server" agent add admin --admin </dev/null
  fi
  export DATABASE_URL="postgres://caredesk_web@localhost:$PG_PORT/caredesk?host=$socket"
  echo "==> agents sign in to host 127.0.0.1, port $PG_PORT, database caredesk; add more with:"
  echo "    DATABASE_URL='$owner_url' $TARGET/caredesk-server agent add <login> [--admin]"
}

build
if [ "$WHAT" = desktop ]; then
  exec "$TARGET/caredesk"
fi
if [ "$WHAT" = seed ]; then
  owner_url=${DATABASE_URL:-}
  [ -n "$owner_url" ] || embedded_database
  echo "==> seeding ${2:-20000} issues"
  export DATABASE_URL="$owner_url"
  exec "$TARGET/caredesk-seed" --count "${2:-20000}"
fi

[ -n "${DATABASE_URL:-}" ] || embedded_database
echo "==> serving http://${CAREDESK_BIND:-127.0.0.1:8080}/customer-care (Ctrl+C stops)"
if [ "$WHAT" = server ] || ! has_display; then
  exec "$TARGET/caredesk-server"
fi
"$TARGET/caredesk-server" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
echo "==> starting the desktop app (closing it stops the server too)"
"$TARGET/caredesk"
