#!/usr/bin/env bash
# The desktop app's own numbers, in a release build, on this machine:
#
#   bench/desktop.sh        (BENCH_DESKTOP_SIZES="20000 1000000" BENCH_RUNS=5 BENCH_IDLE_SECONDS=600)
#   BENCH_PROFILE=debug bench/desktop.sh    the debug build ./run.sh runs, instead of release
#   BENCH_FRAMES_DIR=/tmp/frames …          also saves each picture of the first row while signing in
#
# Builds the release app (the Tauri CLI, assets embedded) and the seeding tool, starts a
# private PostgreSQL that checks passwords (as a shop's would), seeds one database per size,
# and drives the real app under Xvfb through tauri-driver (bench/desktop_bench.py): launch
# to the sign-in form, sign-in to the first rows, search to its result, opening an issue,
# and the PSS of the app's processes after sign-in and after idling. Writes the report to
# bench/desktop-results.md. Not part of ./test.sh: it reports numbers, it does not pass or fail.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZES=${BENCH_DESKTOP_SIZES:-"20000 1000000"}
PG_PORT=${BENCH_PG_PORT:-55482}

if [ -z "${CAREDESK_BENCH_IN_SESSION:-}" ]; then
  scripts/setup.sh --for-tests
  export CAREDESK_BENCH_IN_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh
export SQLX_OFFLINE=true
PROFILE=${BENCH_PROFILE:-release}
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE"
echo "==> $PROFILE builds (several minutes the first time)" >&2
if [ "$PROFILE" = release ]; then
  npx tauri build --no-bundle >/dev/null
  cargo build --quiet --release -p caredesk-server -p caredesk-seed
else
  # exactly what ./run.sh builds
  scripts/build-ui.sh
  cargo build --quiet --workspace --features caredesk/custom-protocol
fi

work=$(mktemp -d)
chmod 755 "$work"
PG_DIR="$ROOT/.caredesk/bench-desktop-pg"
stop_private_cluster "$PG_DIR"
rm -rf "$PG_DIR"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_private_cluster "$PG_DIR"
  rm -rf "$work"
}
trap cleanup EXIT
start_private_cluster "$PG_DIR" "$PG_PORT" app
socket="$PG_DIR/socket"
export BENCH_AGENT=bench BENCH_AGENT_PASSWORD="bench-$(openssl rand -hex 12)" BENCH_PG_PORT=$PG_PORT

databases=()
for size in $SIZES; do
  db="caredesk_$size"
  owner="postgres://postgres@localhost:$PG_PORT/$db?host=$socket"
  psql -X -q -h "$socket" -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE $db"
  DATABASE_URL="$owner" "$TARGET/caredesk-server" migrate >/dev/null
  echo "==> seeding $size issues into $db" >&2
  DATABASE_URL="$owner" "$TARGET/caredesk-seed" --count "$size" >&2
  if ! psql -X -q -tA -h "$socket" -p "$PG_PORT" -U postgres -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$BENCH_AGENT'" | grep -q 1; then
    printf '%s\n' "$BENCH_AGENT_PASSWORD" | DATABASE_URL="$owner" "$TARGET/caredesk-server" agent add "$BENCH_AGENT" >/dev/null
  fi
  # a surname the generator uses: its search finds some of many
  databases+=("$db:Okafor")
done

export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"
display=:$((80 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=$display
driver_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# the app logs how long each command took (src-tauri/src/commands/mod.rs)
native_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUST_LOG=info,caredesk_lib=debug CAREDESK_LOG_FILE="$work/app.log" tauri-driver --port "$driver_port" --native-port "$native_port" >"$work/driver.log" 2>&1 &
pids+=($!)
export BENCH_DRIVER_URL="http://127.0.0.1:$driver_port" BENCH_APP="$TARGET/caredesk"
for _ in $(seq 100); do curl -fs "$BENCH_DRIVER_URL/status" >/dev/null 2>&1 && break; sleep 0.2; done

echo "==> driving the app" >&2
"$ROOT/.caredesk/venv/bin/python" bench/desktop_bench.py "${databases[@]}" | tee "$work/raw.jsonl" >&2
touch "$work/app.log"
# the raw measurements stay for a closer look (not tracked)
mkdir -p "$ROOT/.caredesk" && cp "$work/raw.jsonl" "$ROOT/.caredesk/desktop-bench-raw.jsonl"
python3 - "$work/raw.jsonl" "$SIZES" "$work/app.log" >"$ROOT/bench/desktop-results.md" <<'REPORT'
import json, os, platform, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
summaries = [r["summary"] for r in rows if "summary" in r]
cores = os.cpu_count()
print(f"Command: `bench/desktop.sh` (sizes {sys.argv[2]}, {summaries[0]['runs']} launches each), {os.environ.get('BENCH_PROFILE', 'release')} build, "
      f"{cores} cores, Xvfb + WebKitGTK (software rendering), PostgreSQL private cluster with SCRAM passwords on 127.0.0.1.\n")
print("| database | launch → sign-in form | sign-in → first rows in the page | sign-in → first rows painted | sign-in → rows settled | search → result | open an issue |")
print("|---|---:|---:|---:|---:|---:|---:|")
ms = lambda v: f"{v['median'] * 1000:.0f} ms (max {v['max'] * 1000:.0f})" if v else "–"
for s in summaries:
    print(f"| {s['database'].split('_')[-1]} issues | {ms(s['launch_s'])} | {ms(s['sign_in_s'])} | {ms(s.get('sign_in_painted_s'))} | {ms(s.get('rows_settled_s'))} | {ms(s['search_s'])} | {ms(s['open_s'])} |")
print()
for s in summaries:
    for key, what in (("memory_after_sign_in", "right after sign-in"), ("memory_after_idle", "after idling")):
        if key in s:
            parts = ", ".join(f"{name} {mib:.0f}" for name, mib in s[key]["by_process_mib"].items())
            print(f"- PSS {what} ({s['database'].split('_')[-1]} issues): **{s[key]['total_mib']:.0f} MiB** ({parts})")
# the app's own account of its commands (all sizes together)
import re, statistics
took = {}
for line in open(sys.argv[3], errors="replace"):
    m = re.search(r'command answered command="?(\w+)"? ms=([0-9.]+)', re.sub(r'\x1b\[[0-9;]*m', '', line))
    if m:
        took.setdefault(m.group(1), []).append(float(m.group(2)))
if took:
    print("\nInside the app, per command (median ms over every call): " + ", ".join(
        f"{name} {statistics.median(v):.1f}" for name, v in sorted(took.items())) + ".")
REPORT
cat "$ROOT/bench/desktop-results.md"
