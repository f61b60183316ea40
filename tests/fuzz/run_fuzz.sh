#!/usr/bin/env bash
# Runs the cargo-fuzz target over the report parsing for a bounded time (FUZZ_SECONDS,
# default 60). cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the stable toolchain
# (the only one here) accept them. Builds into its own cache so reruns are incremental.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SECONDS_TO_FUZZ=${FUZZ_SECONDS:-60}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet
export RUSTC_BOOTSTRAP=1 SQLX_OFFLINE=true SQLX_OFFLINE_DIR="$ROOT/.sqlx"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/caredesk/fuzz-target}"
mkdir -p fuzz/corpus/parse_report
if cargo fuzz run --fuzz-dir fuzz parse_report -- -max_total_time="$SECONDS_TO_FUZZ" -rss_limit_mb=2048 \
  >"${TMPDIR:-/tmp}/caredesk-fuzz.log" 2>&1; then
  grep -E '^Done|#[0-9]+.*DONE' "${TMPDIR:-/tmp}/caredesk-fuzz.log" | tail -1
  echo "fuzz: 1 passed, 0 failed"
else
  tail -40 "${TMPDIR:-/tmp}/caredesk-fuzz.log"
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi
