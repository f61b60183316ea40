#!/usr/bin/env bash
# Runs CareDesk's public service (the customer-care page and report API) on this machine.
#
#   ./run.sh
#
# Installs what is missing (Debian/Ubuntu), builds, and serves on CAREDESK_BIND
# (default 127.0.0.1:8080). With DATABASE_URL set, it serves that database (apply the
# migrations first with `caredesk-server migrate` as the owner). Without it, it uses the
# embedded default: a private PostgreSQL cluster in .caredesk/pg (CAREDESK_PG_DIR; port CAREDESK_PG_PORT,
# default 55432), created on first run, migrated, with the server connecting as the
# intake-only login caredesk_web over the cluster's private socket.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

scripts/setup.sh
# shellcheck disable=SC1091
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh

export SQLX_OFFLINE=true
echo "==> building caredesk-server"
cargo build --quiet -p caredesk-server
SERVER="${CARGO_TARGET_DIR:-$ROOT/target}/debug/caredesk-server"

if [ -z "${DATABASE_URL:-}" ]; then
  PG_DIR="${CAREDESK_PG_DIR:-$ROOT/.caredesk/pg}"
  PG_PORT="${CAREDESK_PG_PORT:-55432}"
  echo "==> embedded database: $PG_DIR (port $PG_PORT)"
  start_private_cluster "$PG_DIR" "$PG_PORT" app
  socket="$PG_DIR/socket"
  psql_owner() { psql -q -X -v ON_ERROR_STOP=1 -h "$socket" -p "$PG_PORT" -U postgres "$@"; }
  psql_owner -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'caredesk'" | grep -q 1 \
    || psql_owner -d postgres -c "CREATE DATABASE caredesk"
  DATABASE_URL="postgres://postgres@localhost:$PG_PORT/caredesk?host=$socket" "$SERVER" migrate
  psql_owner -d caredesk -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'caredesk_web') THEN
        CREATE ROLE caredesk_web LOGIN IN ROLE caredesk_intake;
      END IF; END \$\$"
  export DATABASE_URL="postgres://caredesk_web@localhost:$PG_PORT/caredesk?host=$socket"
  echo "==> agents sign in to 127.0.0.1:$PG_PORT, database caredesk; create a login with:"
  echo "    DATABASE_URL='postgres://postgres@localhost:$PG_PORT/caredesk?host=$socket' $SERVER agent add <login> [--admin]"
fi

echo "==> serving http://${CAREDESK_BIND:-127.0.0.1:8080}/customer-care (Ctrl+C stops)"
exec "$SERVER"
