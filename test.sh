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
# what the tracked files hold now: the run must leave them as they are
tracked_state() { git diff HEAD --no-ext-diff --binary | sha256sum; }
TRACKED_AT_START=$(tracked_state)
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
scripts/build-ui.sh

step "database for the compile-time query check: $(sed -E 's#//[^@]*@#//#' <<<"$DATABASE_URL")"
# made afresh each run: a migration changed while unlanded must not meet its old checksum
sqlx database drop -y >/dev/null 2>&1 || true
sqlx database create
sqlx migrate run --source migrations >/dev/null

step "formatting (cargo fmt --check)"
cargo fmt --all --check

step "lints (clippy -D warnings)"
SQLX_OFFLINE=true cargo clippy --workspace --all-targets --quiet -- -D warnings

step "sqlx offline query data matches the schema"
cargo sqlx prepare --workspace --check -- --workspace --all-targets --quiet

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

generated_client_is_committed() {
  # cargo test writes the types (ts-rs) and the command/event/catalog module (contract.rs)
  # from the Rust side; any difference means the committed client was stale
  local generated=(ui/src/api/bindings ui/src/api/generated) stale
  # every binding is rewritten by the run; one that was not belongs to a type that is gone
  stale=$(find ui/src/api/bindings -name '*.ts' ! -newer "$RUST_TESTS_STARTED")
  if [ -n "$stale" ]; then
    echo "bindings of types the Rust side no longer has; delete them:" >&2
    echo "$stale" >&2
    return 1
  fi
  if [ -n "$(git status --porcelain -- "${generated[@]}")" ]; then
    echo "the UI's generated client differs from the Rust side; commit the regenerated files:" >&2
    git status --short -- "${generated[@]}" >&2
    git --no-pager diff --stat -- "${generated[@]}" >&2
    return 1
  fi
}

tracked_files_unchanged() {
  if [ "$(tracked_state)" != "$TRACKED_AT_START" ]; then
    echo "the run changed tracked files:" >&2
    git status --short --untracked-files=no >&2
    return 1
  fi
}

export SQLX_OFFLINE=true
RUST_TESTS_STARTED=$(mktemp)
trap 'rm -f "$RUST_TESTS_STARTED"' EXIT
run_suite "rust (core, server, desktop commands: unit and against PostgreSQL)" cargo test --workspace --quiet
run_suite "the UI's client generated from the Rust side is committed" generated_client_is_committed
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
run_suite "the run changed no tracked file" tracked_files_unchanged

echo
echo "suites: $SUITES_PASSED passed, $SUITES_FAILED failed"
[ "$SUITES_FAILED" -eq 0 ]
