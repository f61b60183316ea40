#!/usr/bin/env bash
# Reproduces every benchmark number of the README in one run, on this machine:
#
#   bench/run.sh            (BENCH_ROWS=1000000 BENCH_CONCURRENCY=16 BENCH_SECONDS=20)
#
# Builds release binaries, starts a private PostgreSQL (.caredesk/bench-pg, fresh each run),
# seeds BENCH_ROWS issues, then measures, each beside its baseline in the same run:
#   1. seeding time (COPY);
#   2. the dashboard's queries (and an agent's Mine and Overdue views and counts): CareDesk's
#      way vs the naive way (ILIKE + OFFSET, no indexes);
#   3. notification latency from a report's insert to a LISTENing connection;
#   4. intake: reports/s through POST /api/customer-care/report (wrk) vs the same row
#      inserted directly by pgbench, same concurrency, same database;
#   5. photos: the most reports with 3 phone-sized photos the server takes per second, the
#      plain report API's p50/p95 at a steady 200 reports/s alone and beside photo reports
#      arriving at 0.2, 0.5 and 1 per second, and the database's growth per photo; then the
#      database's own share: pgbench's plain row alone and beside photo-sized writes.
# Prints a markdown report and writes it to bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROWS=${BENCH_ROWS:-1000000}
CONCURRENCY=${BENCH_CONCURRENCY:-16}
SECONDS_EACH=${BENCH_SECONDS:-20}
PG_PORT=${BENCH_PG_PORT:-55472}
PHOTO_SECONDS=${BENCH_PHOTO_SECONDS:-45}

scripts/setup.sh
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh
export SQLX_OFFLINE=true
echo "==> release build (several minutes the first time)" >&2
cargo build --quiet --release -p caredesk-server -p caredesk-seed -p caredesk-bench
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release"

work=$(mktemp -d)
PG_DIR="$ROOT/.caredesk/bench-pg"
stop_private_cluster "$PG_DIR"
rm -rf "$PG_DIR"
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  stop_private_cluster "$PG_DIR"
  rm -rf "$work"
}
trap cleanup EXIT
start_private_cluster "$PG_DIR" "$PG_PORT" tests
OWNER="postgres://postgres@127.0.0.1:$PG_PORT/bench"
psql -X -q "postgres://postgres@127.0.0.1:$PG_PORT/postgres" -c "CREATE DATABASE bench"
DATABASE_URL=$OWNER "$BIN/caredesk-server" migrate >/dev/null
psql -X -q "$OWNER" -c "CREATE ROLE bench_web LOGIN IN ROLE caredesk_intake" 2>/dev/null || true
psql -X -q "$OWNER" -c "CREATE ROLE bench_agent LOGIN IN ROLE caredesk_agent" 2>/dev/null || true

out="$work/results.md"
{
  echo "## Benchmarks"
  echo
  echo "Command: \`bench/run.sh\` (BENCH_ROWS=$ROWS, BENCH_CONCURRENCY=$CONCURRENCY, BENCH_SECONDS=$SECONDS_EACH), $(date -u +%Y-%m-%d)."
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB,"
  echo "$(psql -X -tA "$OWNER" -c 'SHOW server_version' | cut -d' ' -f1 | sed 's/^/PostgreSQL /') (private cluster, default settings), release builds; server, database and load generator share the machine."
  echo
} >"$out"

echo "==> seeding $ROWS issues" >&2
seed_line=$(DATABASE_URL=$OWNER "$BIN/caredesk-seed" --count "$ROWS" --seed 1)
echo "Seeding: $seed_line (\`caredesk-seed --count $ROWS\`, COPY through the row triggers)." >>"$out"
echo >>"$out"

echo "==> dashboard queries" >&2
DATABASE_URL=$OWNER "$BIN/caredesk-bench" dashboard --agent bench_agent >>"$out"
echo >>"$out"

echo "==> notification latency" >&2
{
  echo "| notification | p50 ms | p95 ms | samples |"
  echo "|---|---:|---:|---|"
  DATABASE_URL=$OWNER "$BIN/caredesk-bench" notify --count 300
  echo
} >>"$out"

echo "==> intake: pgbench baseline" >&2
# each timed phase starts from a checkpoint, so that none pays for the writes of the last
psql -X -q "$OWNER" -c CHECKPOINT
(cd "$work" && pgbench -n -c "$CONCURRENCY" -j 2 -T "$SECONDS_EACH" -f "$ROOT/bench/report.pgbench" \
  --log --log-prefix=pgb "$OWNER" >"$work/pgbench.out" 2>&1)
db_tps=$(awk '/^tps = / {print $3; exit}' "$work/pgbench.out")
read -r db_p50 db_p99 < <(cat "$work"/pgb.* | awk '{print $3/1000}' | sort -n | awk '{a[NR]=$1} END {print a[int(NR*0.5)], a[int(NR*0.99)]}')

echo "==> intake: through the server" >&2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATABASE_URL="postgres://bench_web@127.0.0.1:$PG_PORT/bench" CAREDESK_BIND="127.0.0.1:$port" \
  CAREDESK_REPORTS_PER_MINUTE=0 CAREDESK_DB_POOL="$CONCURRENCY" CAREDESK_PHONE_REGION=DE RUST_LOG=warn \
  "$BIN/caredesk-server" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
psql -X -q "$OWNER" -c CHECKPOINT
wrk -t2 -c "$CONCURRENCY" -d "${SECONDS_EACH}s" --latency -s bench/report.lua \
  "http://127.0.0.1:$port/api/customer-care/report" >"$work/wrk.out"
http_rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out")
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0; else printf "%.2f", v*1000 }'; }
http_p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$work/wrk.out")")
http_p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$work/wrk.out")")
non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.out")
ratio=$(awk -v a="$http_rps" -v b="$db_tps" 'BEGIN { printf "%.0f", 100 * a / b }')
{
  echo "Intake at concurrency $CONCURRENCY for $SECONDS_EACH s each, on the seeded table:"
  echo
  echo "| path | reports/s | p50 ms | p99 ms |"
  echo "|---|---:|---:|---:|"
  printf '| `POST /api/customer-care/report` (wrk) | %.0f | %s | %s |\n' "$http_rps" "$http_p50" "$http_p99"
  printf '| same row, straight into PostgreSQL (pgbench) | %.0f | %.2f | %.2f |\n' "$db_tps" "$db_p50" "$db_p99"
  echo
  echo "The service delivers **${ratio}%** of what the database alone takes (aim: at least 70%).${non2xx:+ Non-2xx answers: $non2xx.}"
} >>"$out"

echo "==> photos: reports with 3 phone photos beside plain reports" >&2
{
  echo
  echo "Photos, through the same server (default settings: decoders on half the cores):"
  echo
  DATABASE_URL=$OWNER "$BIN/caredesk-bench" photos --url "http://127.0.0.1:$port/api/customer-care/report" \
    --seconds "$PHOTO_SECONDS"
} >>"$out"

echo "==> photos: the database's own share (pgbench, no server)" >&2
plain_at_200() { # p50 and p95 in ms of plain reports at 200/s straight into PostgreSQL
  rm -f "$work"/pgp.*
  (cd "$work" && pgbench -n -c 4 -j 2 -R 200 -T "$PHOTO_SECONDS" -f "$ROOT/bench/report.pgbench" \
    --log --log-prefix=pgp "$OWNER" >/dev/null 2>&1)
  cat "$work"/pgp.* | awk '{print $3/1000}' | sort -n | awk '{a[NR]=$1} END {print a[int(NR*0.5)], a[int(NR*0.95)]}'
}
psql -X -q "$OWNER" -c CHECKPOINT
read -r alone50 alone95 < <(plain_at_200)
psql -X -q "$OWNER" -c CHECKPOINT
pgbench -n -c 1 -R 1 -T "$PHOTO_SECONDS" -f bench/photo_report.pgbench "$OWNER" >"$work/photo-pgbench.out" 2>&1 &
photo_writes=$!
read -r beside50 beside95 < <(plain_at_200)
wait "$photo_writes"
{
  echo
  echo "The database's own share: the same plain row straight into PostgreSQL at 200/s (pgbench), alone and beside one report per second carrying three photo-sized images (3.5 MB each, through the same function; no decoding, no server):"
  echo
  echo "| plain row by pgbench | p50 ms | p95 ms | p95 vs alone |"
  echo "|---|---:|---:|---:|"
  printf '| alone | %.2f | %.2f | 100%% |\n' "$alone50" "$alone95"
  printf '| beside 1 photo-sized report/s | %.2f | %.2f | %.0f%% |\n' "$beside50" "$beside95" \
    "$(awk -v a="$alone95" -v b="$beside95" 'BEGIN { print 100 * b / a }')"
} >>"$out"

cp "$out" bench/results.md
python3 bench/to_readme.py
cat "$out"
