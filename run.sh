#!/usr/bin/env bash
# Runs CareDesk on this machine: the public service (customer-care page and report API) and,
# when there is a display, the agents' desktop app signed in to the same database.
#
#   ./run.sh                both (only the server when there is no display)
#   ./run.sh server         only the public service
#   ./run.sh desktop        only the desktop app (sign in to any CareDesk database)
#   ./run.sh seed [N]       fills the (empty) database with N generated issues (default 20000),
#                           to try the desktop with data
#   ./run.sh backup FILE    writes the database to FILE (PostgreSQL's custom format)
#   ./run.sh restore FILE   puts the database back as FILE holds it (stop the server first)
#   ./run.sh stop           stops the embedded database
#
# Installs what is missing (Debian/Ubuntu) and builds first. The server listens on
# CAREDESK_BIND (default 127.0.0.1:8080). With DATABASE_URL set, it serves that database
# (apply the migrations first with `caredesk-server migrate` as the owner; for seed, backup
# and restore DATABASE_URL must be an owner's). Without it, it uses the embedded default: a
# private PostgreSQL cluster in the app's data folder (CAREDESK_PG_DIR, default
# $XDG_DATA_HOME/caredesk/pg, i.e. ~/.local/share/caredesk/pg, or /var/lib/caredesk/pg for
# root; port CAREDESK_PG_PORT, default 55432), created on first run and migrated, with TLS from a private CA of its own, the
# server connecting as the intake-only login caredesk_web over the cluster's private
# socket. CAREDESK_PG_LISTEN=lan lets agents on other machines connect (TLS only). On first
# run it creates the agent login "admin" and prints its password once. The embedded
# database stops when ./run.sh ends, unless it was already running when ./run.sh began.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
WHAT=${1:-all}
usage="usage: ./run.sh [server | desktop | seed [N] | backup FILE | restore FILE | stop]"
case "$WHAT" in
  all | server | desktop | seed | stop) ;;
  backup | restore) [ -n "${2:-}" ] || { echo "$usage" >&2; exit 2; } ;;
  *) echo "$usage" >&2; exit 2 ;;
esac

# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh
# the app's data folder; root's home is closed to the cluster's "postgres" user, so root
# keeps it where system services keep theirs
if [ "$(id -u)" -eq 0 ]; then DATA_HOME=/var/lib/caredesk; else DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}/caredesk"; fi
PG_DIR="${CAREDESK_PG_DIR:-$DATA_HOME/pg}"
PG_PORT="${CAREDESK_PG_PORT:-55432}"

if [ "$WHAT" = stop ]; then
  stop_private_cluster "$PG_DIR"
  echo "==> the embedded database in $PG_DIR is stopped"
  exit 0
fi

scripts/setup.sh
# shellcheck disable=SC1091
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

export SQLX_OFFLINE=true
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}/debug"
has_display() { [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; }

# One build of every program, with the same features as the test suites so that all of
# them share compiled crates.
build() {
  echo "==> building CareDesk (the first time takes several minutes)"
  # the desktop embeds ui/dist; built again only when its sources changed
  scripts/build-ui.sh
  cargo build --quiet --workspace --features caredesk/custom-protocol
}

# Earlier versions kept the embedded database inside the clone, where `git clean` deletes
# it: move it to the data folder (stopped first), never start a second one beside it.
move_old_embedded_database() {
  local old="$ROOT/.caredesk/pg"
  [ -z "${CAREDESK_PG_DIR:-}" ] && [ -f "$old/data/PG_VERSION" ] || return 0
  if [ -e "$PG_DIR" ]; then
    echo "==> note: an older embedded database is still in $old; CareDesk uses $PG_DIR" >&2
    return 0
  fi
  echo "==> moving the embedded database from $old to $PG_DIR"
  stop_private_cluster "$old"
  mkdir -p "$(dirname "$PG_DIR")"
  mv "$old" "$PG_DIR"
}

started_here=
external_db=
embedded_database() {
  export CAREDESK_PG_PORT=$PG_PORT # the desktop app's sign-in form suggests it
  local listen=127.0.0.1
  [ "${CAREDESK_PG_LISTEN:-}" = lan ] && listen='*'
  move_old_embedded_database
  mkdir -p "$(dirname "$PG_DIR")"
  cluster_running "$PG_DIR" || started_here=yes
  echo "==> embedded database: $PG_DIR (port $PG_PORT, listening on $listen)"
  start_private_cluster "$PG_DIR" "$PG_PORT" app "$listen"
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
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'caredesk_mail') THEN
        CREATE ROLE caredesk_mail LOGIN IN ROLE caredesk_mailer;
      END IF;
      PERFORM caredesk_limit_login('caredesk_web'); END \$\$"
  if [ -n "$fresh" ] && ! psql_owner -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'admin'" | grep -q 1; then
    echo "==> first run: an admin agent login for the desktop app"
    DATABASE_URL="$owner_url" "$TARGET/caredesk-server" agent add admin --admin </dev/null
  fi
  export DATABASE_URL="postgres://caredesk_web@localhost:$PG_PORT/caredesk?host=$socket"
  # the mailer's own login (outbox only); it delivers when CAREDESK_SMTP_URL is set
  export CAREDESK_MAILER_DATABASE_URL="${CAREDESK_MAILER_DATABASE_URL:-postgres://caredesk_mail@localhost:$PG_PORT/caredesk?host=$socket}"
  echo "==> agents sign in to host 127.0.0.1, port $PG_PORT, database caredesk (this computer: any"
  echo "    connection; from other machines, with CAREDESK_PG_LISTEN=lan: \"Encrypted and verified\""
  echo "    with the CA file $PG_DIR/tls/ca.crt); add more agents with:"
  echo "    DATABASE_URL='$owner_url' $TARGET/caredesk-server agent add <login> [--admin]"
  if [ "$listen" = '*' ]; then
    echo "==> agents on other machines: host $(hostname) (or $(hostname -I 2>/dev/null | cut -d' ' -f1)), port $PG_PORT;"
    echo "    copy them the CA file $PG_DIR/tls/ca.crt"
  fi
}

# The embedded database stops with ./run.sh, unless it was running before.
stop_if_started_here() {
  if [ -n "$started_here" ]; then
    echo "==> stopping the embedded database"
    stop_private_cluster "$PG_DIR"
  elif [ -n "${owner_url:-}" ] && [ -z "${external_db:-}" ]; then
    echo "==> the embedded database keeps running (it was running before ./run.sh began);"
    echo "    ./run.sh stop stops it"
  fi
}

build
if [ "$WHAT" = desktop ]; then
  exec "$TARGET/caredesk"
fi

owner_url=${DATABASE_URL:-}
if [ -n "${DATABASE_URL:-}" ]; then external_db=yes; else embedded_database; fi
trap stop_if_started_here EXIT

case "$WHAT" in
  seed)
    echo "==> seeding ${2:-20000} issues"
    DATABASE_URL="$owner_url" "$TARGET/caredesk-seed" --count "${2:-20000}"
    exit 0
    ;;
  backup)
    DATABASE_URL="$owner_url" "$TARGET/caredesk-server" backup "$2"
    exit 0
    ;;
  restore)
    DATABASE_URL="$owner_url" "$TARGET/caredesk-server" restore "$2"
    exit 0
    ;;
esac

echo "==> serving http://${CAREDESK_BIND:-127.0.0.1:8080}/customer-care (Ctrl+C stops)"
if [ "$WHAT" = server ] || ! has_display; then
  "$TARGET/caredesk-server" &
  server=$!
  trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; stop_if_started_here' EXIT
  trap 'exit 0' INT TERM
  wait "$server"
  exit
fi
"$TARGET/caredesk-server" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; stop_if_started_here' EXIT
echo "==> starting the desktop app (closing it stops the server too)"
"$TARGET/caredesk"
