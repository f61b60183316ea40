#!/usr/bin/env bash
# Runs every CareDesk check and test suite; installs what is missing first (Debian/Ubuntu).
#
#   ./test.sh
#
# Needs a PostgreSQL where it may create databases: DATABASE_URL (a superuser URL whose
# database exists), else the local server on 127.0.0.1:5432 if it lets postgres in without
# a password, else a private throwaway cluster in .caredesk/test-pg (port 55433).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

scripts/setup.sh --for-tests
# shellcheck disable=SC1091
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
SUITES_PASSED=0
SUITES_FAILED=0
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

if [ -z "${DATABASE_URL:-}" ]; then
  if PGCONNECT_TIMEOUT=3 psql -w -X -q "postgres://postgres@127.0.0.1:5432/postgres" -tAc 'SELECT 1' >/dev/null 2>&1; then
    server="postgres://postgres@127.0.0.1:5432"
  else
    step "starting a private PostgreSQL for the tests"
    start_private_cluster "$ROOT/.caredesk/test-pg" 55433 tests
    server="postgres://postgres@127.0.0.1:55433"
  fi
  export DATABASE_URL="$server/caredesk_tests"
fi
export PG_ADMIN_URL="${PG_ADMIN_URL:-${DATABASE_URL%/*}/postgres}"

step "desktop UI build (the desktop crate embeds ui/dist)"
npm --prefix ui run --silent build >/dev/null

step "database for the compile-time query check: $(sed -E 's#//[^@]*@#//#' <<<"$DATABASE_URL")"
sqlx database create
sqlx migrate run --source migrations >/dev/null

step "formatting (cargo fmt --check)"
cargo fmt --all --check

step "lints (clippy -D warnings)"
SQLX_OFFLINE=true cargo clippy --workspace --all-targets --quiet -- -D warnings

step "sqlx offline query data matches the schema"
cargo sqlx prepare --workspace --check -- --all-targets --quiet

run_suite() {
  local name=$1
  shift
  step "suite: $name"
  if "$@"; then
    SUITES_PASSED=$((SUITES_PASSED + 1))
  else
    SUITES_FAILED=$((SUITES_FAILED + 1))
    echo "suite $name FAILED" >&2
  fi
}

bindings_match_the_rust_types() {
  # cargo test re-exports them from the Rust types; a difference means they were stale
  if [ -n "$(git status --porcelain -- ui/src/api/bindings)" ]; then
    echo "ui/src/api/bindings differ from the Rust types; commit the regenerated files:" >&2
    git status --short -- ui/src/api/bindings >&2
    return 1
  fi
}

export SQLX_OFFLINE=true
run_suite "rust (core, server, desktop commands: unit and against PostgreSQL)" cargo test --workspace --quiet
run_suite "TypeScript bindings generated from the Rust types are committed" bindings_match_the_rust_types
run_suite "desktop UI units (vitest, mocked IPC)" npm --prefix ui test --silent
step "binaries for the end-to-end suites (one build: the same features everywhere)"
cargo build --quiet --workspace --features caredesk/custom-protocol

run_suite "public page in headless Chromium" bash -c "
  cd tests/public-page && npm ci --silent --no-audit --no-fund &&
  CAREDESK_SERVER_BIN='$TARGET_DIR/debug/caredesk-server' npm test --silent"
run_suite "report API fuzzed from its OpenAPI description, and hostile bodies" \
  tests/api-fuzz/run.sh "$TARGET_DIR/debug/caredesk-server"
run_suite "cargo-fuzz over the report parsing (bounded)" tests/fuzz/run_fuzz.sh
run_suite "desktop app in a real window through WebDriver" bash -c "
  E2E_PYTHON='$ROOT/.caredesk/venv/bin/python' tests/desktop/run_e2e.sh '$TARGET_DIR/debug/caredesk' '$TARGET_DIR/debug/caredesk-server'"
run_suite "run command on a fresh embedded database" tests/run-script/run_smoke.sh

echo
echo "suites: $SUITES_PASSED passed, $SUITES_FAILED failed"
[ "$SUITES_FAILED" -eq 0 ]
