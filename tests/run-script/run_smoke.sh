#!/usr/bin/env bash
# The README's run command as a newcomer uses it: ./run.sh without DATABASE_URL creates the
# embedded database, migrates it and serves; ./run.sh seed fills it; a report sent to it is
# accepted.
# Bounded: gives up after 30 min of building or 60 s of starting. Prints "run-script: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/postgres.sh

dir=$(mktemp -d)
chmod 755 "$dir"
pg_port=${SMOKE_PG_PORT:-55442}
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
passed=0 failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "run-script: FAILED: $*" >&2; fi; }

env -u DATABASE_URL -u DISPLAY -u WAYLAND_DISPLAY CAREDESK_PG_DIR="$dir/pg" CAREDESK_PG_PORT="$pg_port" CAREDESK_BIND="127.0.0.1:$http_port" \
  ./run.sh >"$dir/run.log" 2>&1 &
runner=$!
cleanup() {
  kill "$runner" 2>/dev/null
  wait "$runner" 2>/dev/null
  stop_private_cluster "$dir/pg"
  rm -rf "$dir"
}
trap cleanup EXIT

healthy() {
  # building may take long on a cold machine (bounded at 30 min); serving then within 60 s
  for _ in $(seq 1800); do
    grep -q '^==> serving' "$dir/run.log" && break
    kill -0 "$runner" 2>/dev/null || break
    sleep 1
  done
  for _ in $(seq 60); do
    curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$runner" 2>/dev/null || break
    sleep 1
  done
  cat "$dir/run.log" >&2
  return 1
}

report_accepted() {
  local status
  status=$(curl -s -o "$dir/answer.json" -w '%{http_code}' -H 'content-type: application/json' \
    -d '{"name":"Smoke Test","email":"smoke@example.com","phone":"0151 23456789","issue_type":"other","description":"Checking that a fresh install takes reports."}' \
    "http://127.0.0.1:$http_port/api/customer-care/report")
  [ "$status" = 201 ] && grep -q '"issue_id"' "$dir/answer.json"
}

page_served() {
  # to a file first: `curl | grep -q` fails under pipefail when grep stops reading early
  curl -fsS -o "$dir/page.html" "http://127.0.0.1:$http_port/customer-care" && grep -q 'name="description"' "$dir/page.html"
}

server_is_intake_only() {
  # the embedded default connects with the least privilege: caredesk_web reads nothing
  ! psql -X -q -h "$dir/pg/socket" -p "$pg_port" -U caredesk_web -d caredesk -c 'SELECT 1 FROM customer_care' >/dev/null 2>&1
}

seeding_fills_it() {
  # a newcomer's second command: the same embedded database, with generated issues
  env -u DATABASE_URL -u DISPLAY -u WAYLAND_DISPLAY CAREDESK_PG_DIR="$dir/pg" CAREDESK_PG_PORT="$pg_port" \
    ./run.sh seed 300 >"$dir/seed.log" 2>&1 || { cat "$dir/seed.log" >&2; return 1; }
  [ "$(psql -X -q -tA -h "$dir/pg/socket" -p "$pg_port" -U postgres -d caredesk -c 'SELECT count(*) FROM customer_care')" = 300 ]
}

first_admin_created() {
  grep -q 'Created the login "admin"' "$dir/run.log" && grep -q 'Password (shown only now' "$dir/run.log"
}

check healthy && check seeding_fills_it && check page_served && check report_accepted && check server_is_intake_only && check first_admin_created
echo "run-script: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
