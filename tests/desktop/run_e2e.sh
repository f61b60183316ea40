#!/usr/bin/env bash
# The desktop app end to end: the real CareDesk binary in a real window (Xvfb), driven
# through tauri-driver + WebKitWebDriver by Python selenium, against caredesk-server and a
# private PostgreSQL cluster that checks passwords. Notifications are captured on D-Bus,
# passwords go to a real (headless) GNOME keyring, contact links to a fake xdg-open.
#
#   tests/desktop/run_e2e.sh APP_BINARY SERVER_BINARY
#
# Runs itself again inside `dbus-run-session` so nothing outlives it.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
APP=$(realpath "$1")
SERVER=$(realpath "$2")

if [ -z "${CAREDESK_E2E_IN_SESSION:-}" ]; then
  export CAREDESK_E2E_IN_SESSION=1
  exec dbus-run-session -- "$0" "$APP" "$SERVER"
fi

. scripts/postgres.sh
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_private_cluster "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# A database that checks passwords, as in production.
pg_port=${E2E_PG_PORT:-55452}
start_private_cluster "$work/pg" "$pg_port" app
owner_url="postgres://postgres@localhost:$pg_port/caredesk?host=$work/pg/socket"
psql -X -q -h "$work/pg/socket" -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE caredesk"
DATABASE_URL="$owner_url" "$SERVER" migrate >/dev/null
psql -X -q -h "$work/pg/socket" -p "$pg_port" -U postgres -d caredesk \
  -c "CREATE ROLE caredesk_web LOGIN IN ROLE caredesk_intake"
export E2E_AGENT=amina E2E_AGENT_PASSWORD="amina-$(openssl rand -hex 8)"
export E2E_ADMIN=boss E2E_ADMIN_PASSWORD="boss-$(openssl rand -hex 8)"
export E2E_OUTSIDER=visitor E2E_OUTSIDER_PASSWORD="visitor-$(openssl rand -hex 8)"
printf '%s\n' "$E2E_AGENT_PASSWORD" | DATABASE_URL="$owner_url" "$SERVER" agent add "$E2E_AGENT" >/dev/null
printf '%s\n' "$E2E_ADMIN_PASSWORD" | DATABASE_URL="$owner_url" "$SERVER" agent add "$E2E_ADMIN" --admin >/dev/null
psql -X -q -h "$work/pg/socket" -p "$pg_port" -U postgres -d caredesk \
  -c "CREATE ROLE $E2E_OUTSIDER LOGIN PASSWORD '$E2E_OUTSIDER_PASSWORD'"
export E2E_PG_PORT=$pg_port E2E_PG_DIR="$work/pg" E2E_OWNER_URL="$owner_url"

# A real SMTP server on loopback that keeps what it receives (aiosmtpd).
smtp_port=$(free_port)
export E2E_MAIL_DIR="$work/mail"
"${E2E_PYTHON:-python3}" tests/smtp/smtp_sink.py --port "$smtp_port" --out "$E2E_MAIL_DIR" >"$work/smtp.out" 2>&1 &
pids+=($!)
psql -X -q -h "$work/pg/socket" -p "$pg_port" -U postgres -d caredesk \
  -c "CREATE ROLE caredesk_mail LOGIN IN ROLE caredesk_mailer"

# The public server, with the intake login over the private socket, mailing as the mailer.
http_port=$(free_port)
export E2E_SERVER_URL="http://127.0.0.1:$http_port"
DATABASE_URL="postgres://caredesk_web@localhost:$pg_port/caredesk?host=$work/pg/socket" \
  CAREDESK_BIND="127.0.0.1:$http_port" CAREDESK_REPORTS_PER_MINUTE=0 CAREDESK_PHONE_REGION=DE \
  CAREDESK_SMTP_URL="smtp://127.0.0.1:$smtp_port" CAREDESK_PUBLIC_URL="$E2E_SERVER_URL" CAREDESK_MAIL_POLL_MS=200 \
  CAREDESK_MAILER_DATABASE_URL="postgres://caredesk_mail@localhost:$pg_port/caredesk?host=$work/pg/socket" \
  "$SERVER" >"$work/server.log" 2>&1 &
pids+=($!)

# Desktop session pieces: notifications, keychain, a screen, links, the WebDriver.
export E2E_NOTIFY_LOG="$work/notifications.jsonl" E2E_OPENED_LOG="$work/opened.txt"
/usr/bin/python3 tests/desktop/notify_capture.py "$E2E_NOTIFY_LOG" >"$work/notify.out" 2>&1 &
pids+=($!)
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"
eval "$(printf 'keyring-test' | gnome-keyring-daemon --daemonize --unlock --components=secrets)"
pids+=("${GNOME_KEYRING_PID:-}")
mkdir -p "$work/bin"
cat >"$work/bin/xdg-open" <<OPEN
#!/bin/sh
printf '%s\n' "\$1" >> "$E2E_OPENED_LOG"
OPEN
chmod +x "$work/bin/xdg-open"
export PATH="$work/bin:$PATH"
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=$display
driver_port=$(free_port)
# the app (started by tauri-driver) reminds of untaken urgent issues every few seconds, not minutes
export CAREDESK_REMIND_SECONDS=4
# its own WebKitWebDriver port too, so a benchmark or another run beside it cannot clash
tauri-driver --port "$driver_port" --native-port "$(free_port)" >"$work/driver.log" 2>&1 &
pids+=($!)
export E2E_DRIVER_URL="http://127.0.0.1:$driver_port" E2E_APP="$APP"
# the README's screenshots are refreshed only when asked: E2E_SCREENSHOTS=$PWD/docs/screenshots
export E2E_SCREENSHOTS="${E2E_SCREENSHOTS:-$work/screenshots}"

for _ in $(seq 100); do
  grep -q ready "$work/notify.out" 2>/dev/null && grep -q ready "$work/smtp.out" 2>/dev/null \
    && curl -fs "$E2E_SERVER_URL/healthz" >/dev/null 2>&1 \
    && curl -fs "$E2E_DRIVER_URL/status" >/dev/null 2>&1 && break
  sleep 0.2
done

status=0
# bounded: a WebDriver call that never answers must not hold up the whole run
timeout 900 "${E2E_PYTHON:-python3}" -m pytest -q -p no:cacheprovider tests/desktop/test_desktop.py || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log" >&2; tail -20 "$work/server.log" >&2
  echo "--- tauri-driver log" >&2; tail -40 "$work/driver.log" >&2
fi
exit "$status"
