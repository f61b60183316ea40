#!/usr/bin/env bash
# Builds the desktop UI into ui/dist when its sources changed since the last build.
# Decided by the sources' content, not their times: `cargo test` rewrites the generated
# bindings with the same text, and a newer file time alone must not rebuild the UI (and
# with it the desktop app, which embeds ui/dist).
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.caredesk/ui-dist.sources
sources_hash() {
  find ui/src ui/index.html ui/package.json ui/package-lock.json ui/vite.config.ts \
    ui/svelte.config.js ui/tsconfig.json -type f -print0 |
    sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
hash=$(sources_hash)
if [ -f ui/dist/index.html ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
  exit 0
fi
npm --prefix ui run --silent build >/dev/null
mkdir -p "$(dirname "$stamp")"
echo "$hash" >"$stamp"
