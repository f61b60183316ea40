#!/usr/bin/env bash
# Fuzzes the report API of a built caredesk-server against its own OpenAPI description.
#
#   tests/api-fuzz/run.sh path/to/caredesk-server
#
# 1. schemathesis (pinned, installed into .caredesk/venv when missing) drives
#    POST /api/customer-care/report and GET /healthz from GET /api/openapi.json, valid and
#    invalid inputs and wrong methods/media types: never a 5xx, every status documented,
#    every body and header as described.
# 2. A second schemathesis pass on the same description with the request's closed sets
#    spelled out (issue types, priorities, known-good phones), so generated reports are
#    stored; each stored row must equal what was sent.
# 3. Hostile bodies sent with curl: SQL injection in every field, 1 MB bodies, 10k-deep
#    JSON, invalid UTF-8, NUL and control characters, right-to-left overrides, emoji. Each
#    gets the exact expected 4xx in the contract's shape, or a 201 whose row (read back as
#    postgres) holds exactly what was sent. Never a 5xx; healthy afterwards, no panic logged.
#
# A fresh database on the local PostgreSQL (PG_ADMIN_URL, default
# postgres://postgres@127.0.0.1:5432/postgres, trust auth), migrated by the binary; the server
# runs as a new login that is a member of caredesk_intake only. Everything is removed at the
# end. Bounded: schemathesis by example count and a timeout, every request by a timeout.
# API_FUZZ_SEED fixes the generation seed (random by default, printed either way),
# API_FUZZ_EXAMPLES the examples per operation (500), API_FUZZ_REPORT_DIR keeps the HAR/JUnit
# reports and the logs. About 45 s on an idle 2-core machine. Prints
# "api-fuzz: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
export PYTHONUTF8=1 PGCLIENTENCODING=UTF8

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
  echo "usage: $0 SERVER_BINARY" >&2
  exit 2
fi
server_bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."

SCHEMATHESIS_VERSION=4.32.5
admin_url=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
examples=${API_FUZZ_EXAMPLES:-500}
st_timeout=150 # seconds per schemathesis run
seed=${API_FUZZ_SEED:-$(( (RANDOM << 15) | RANDOM ))}
venv=.caredesk/venv
py=$venv/bin/python
lib=$here/fuzzlib.py
started=$(date +%s)

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "api-fuzz: ok: $*"; }
failure() { failed=$((failed + 1)); echo "api-fuzz: FAILED: $*" >&2; }
finish() {
  echo "api-fuzz: finished in $(( $(date +%s) - started )) s"
  echo "api-fuzz: $passed passed, $failed failed"
  [ "$failed" -eq 0 ] && exit 0 || exit 1
}
die() { failure "$*"; finish; }

# --- The virtualenv and schemathesis -------------------------------------------------------
if [ ! -x "$py" ]; then
  /usr/bin/python3 -m venv "$venv" || die "cannot create $venv"
fi
if ! "$py" -c "import schemathesis, sys; sys.exit(schemathesis.__version__ != '$SCHEMATHESIS_VERSION')" 2>/dev/null; then
  echo "api-fuzz: installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  "$py" -m pip install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" ||
    die "cannot install schemathesis $SCHEMATHESIS_VERSION"
fi
st=$PWD/$venv/bin/schemathesis

# --- A fresh database, a login for the server, the server ---------------------------------
work=$(mktemp -d)
suffix=$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
db=caredesk_fuzz_$suffix
login=caredesk_web_$suffix
server_pid=
st_pid=
db_created=
login_created=

cleanup() {
  [ -n "$st_pid" ] && kill "$st_pid" 2>/dev/null
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  if [ -n "$db_created" ]; then
    psql -X -q "$admin_url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 ||
      echo "api-fuzz: could not drop database $db" >&2
  fi
  if [ -n "$login_created" ]; then
    psql -X -q "$admin_url" -c "DROP ROLE IF EXISTS $login" >/dev/null 2>&1 ||
      echo "api-fuzz: could not drop login $login" >&2
  fi
  if [ -n "${API_FUZZ_REPORT_DIR:-}" ] && mkdir -p "$API_FUZZ_REPORT_DIR"; then
    cp "$work"/*.har "$work"/*.xml "$work"/*.log "$work"/strict.json "$API_FUZZ_REPORT_DIR"/ 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'failure "interrupted"; finish' INT TERM

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
owner_db_url=$("$py" "$lib" url-with "$admin_url" - "$db")
server_db_url=$("$py" "$lib" url-with "$admin_url" "$login" "$db")

psql_admin "$admin_url" -c "CREATE DATABASE $db" >/dev/null || die "cannot create database $db on $admin_url"
db_created=1
DATABASE_URL=$owner_db_url "$server_bin" migrate >"$work/migrate.log" 2>&1 ||
  { cat "$work/migrate.log" >&2; die "migrate failed"; }
psql_admin "$owner_db_url" -c "CREATE ROLE $login LOGIN IN ROLE caredesk_intake" >/dev/null ||
  die "cannot create login $login"
login_created=1

port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
DATABASE_URL=$server_db_url CAREDESK_BIND=127.0.0.1:$port CAREDESK_REPORTS_PER_MINUTE=0 \
  CAREDESK_PHONE_REGION=DE RUST_LOG=info,sqlx=warn CAREDESK_LOG_FORMAT=json \
  "$server_bin" >"$work/server.log" 2>&1 &
server_pid=$!

healthy() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/healthz")" = 200 ]
}
deadline=$((SECONDS + 30))
while [ "$SECONDS" -lt "$deadline" ]; do
  healthy && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.5
done
if healthy; then pass "server healthy on $base as $login"; else
  tail -20 "$work/server.log" >&2
  die "server did not become healthy within 30 s"
fi

# --- schemathesis ----------------------------------------------------------------------
# Checks: everything that applies to this API. Left out: positive_data_acceptance (the
# description's request schema is looser than the server's validation, e.g. issue_type has no
# enum, so schema-valid reports are rightly refused with 422) and the stateful/auth checks
# (no links, no authentication).
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection,unsupported_method,allow_header_conformance,missing_required_header
st_common=(--checks "$checks" --max-examples "$examples" --seed "$seed" --workers 1
  --request-timeout 10 --continue-on-failure --generation-database none --no-color
  --suppress-health-check too_slow,filter_too_much)
# st_run LOG LOCATION ARGS…: one bounded schemathesis run in the background, so that a signal
# to this script is handled (and cleans up) at once rather than after the run.
st_run() {
  local log=$1
  shift
  (cd "$work" && exec timeout "$st_timeout" "$st" run "$@" "${st_common[@]}") >"$log" 2>&1 &
  st_pid=$!
  wait "$st_pid"
  local rc=$?
  st_pid=
  return $rc
}
st_status() { if [ "$1" = 124 ]; then echo "timed out after $st_timeout s"; else echo "exit $1"; fi; }
st_totals() { # the run's test-case count and verdict
  { grep -A1 '^Test cases:' "$1" | tail -n 1; grep -E '^=+ .* in [0-9.]+s =+$' "$1" | tail -n 1; } | sed 's/^ */    /'
}
echo "api-fuzz: schemathesis $SCHEMATHESIS_VERSION, seed $seed (API_FUZZ_SEED=$seed reproduces), $examples examples per operation"

curl -sS --max-time 10 -o "$work/openapi.json" "$base/api/openapi.json" || die "cannot fetch /api/openapi.json"

# 1. The server's own description, valid and invalid data.
if st_run "$work/st-all.log" "$base/api/openapi.json" --mode all \
  --report har,junit --report-har-path "$work/all.har" --report-junit-path "$work/all.junit.xml"; then
  pass "schemathesis (server's description, positive and negative data)"
else
  rc=$?
  cat "$work/st-all.log" >&2
  failure "schemathesis (server's description, positive and negative data): $(st_status $rc)"
fi
st_totals "$work/st-all.log"
if [ -f "$work/all.har" ] && "$py" "$lib" har-summary "$work/all.har"; then
  pass "schemathesis requests: none answered with a 5xx"
else
  failure "schemathesis requests: a 5xx or no HAR"
fi

# 2. The same description with the closed sets spelled out: reports get stored.
"$py" "$lib" strict-schema "$work/openapi.json" "$work/strict.json" || die "cannot derive the strict schema"
if st_run "$work/st-strict.log" "$work/strict.json" --url "$base" --mode positive \
  --include-path /api/customer-care/report \
  --report har,junit --report-har-path "$work/strict.har" --report-junit-path "$work/strict.junit.xml"; then
  pass "schemathesis (closed sets spelled out, reports stored)"
else
  rc=$?
  cat "$work/st-strict.log" >&2
  failure "schemathesis (closed sets spelled out, reports stored): $(st_status $rc)"
fi
st_totals "$work/st-strict.log"
if [ -f "$work/strict.har" ] && "$py" "$lib" har-summary "$work/strict.har" &&
  "$py" "$lib" har-roundtrip "$work/strict.har" "$owner_db_url" 10; then
  pass "generated reports: no 5xx, every 201 stored exactly as sent"
else
  failure "generated reports: a 5xx, or a 201 not stored as sent"
fi
stored_before=$(psql -X -At "$owner_db_url" -c 'SELECT count(*) FROM customer_care')

# --- Hostile bodies with curl -------------------------------------------------------------
accepted=0
n=0
# post LABEL EXPECT FIELD BODYFILE CONTENT_TYPE [curl args…]: EXPECT is 201, a 4xx code or
# 4xx; FIELD the field a 422 must name ("" for none); CONTENT_TYPE "" sends none. A 201 must
# have stored exactly the body's fields.
post() {
  local label=$1 expect=$2 field=$3 file=$4 type=$5
  shift 5
  n=$((n + 1))
  local out=$work/answer.$n meta status ctype issue
  meta=$(curl -sS --max-time 30 -o "$out" -w '%{http_code} %{content_type}' \
    -H "Content-Type:${type:+ $type}" "$@" --data-binary "@$file" "$base/api/customer-care/report" 2>"$work/curl.err") ||
    meta="000 ${meta#* }"
  status=${meta%% *}
  ctype=${meta#* }
  if ! issue=$("$py" "$lib" check-response "$status" "$ctype" "$out" "$expect" "$field" 2>"$work/why"); then
    failure "$label: $(cat "$work/why") $(cat "$work/curl.err")"
    return
  fi
  if [ "$status" = 201 ]; then
    accepted=$((accepted + 1))
    if ! "$py" "$lib" stored-equals "$owner_db_url" "$issue" "$file" 2>"$work/why"; then
      failure "$label: $(cat "$work/why")"
      return
    fi
  fi
  pass "$label -> $status"
}
json=application/json
# report LABEL EXPECT FIELD field=value…: the base report with fields replaced, as JSON.
report() {
  local label=$1 expect=$2 field=$3
  shift 3
  n=$((n + 1))
  "$py" "$lib" report-body "$work/body.$n" "$@" || { failure "$label: cannot build the body"; return; }
  post "$label" "$expect" "$field" "$work/body.$n" "$json"
}
# raw LABEL EXPECT FILE [CONTENT_TYPE [curl args…]]: bytes as they are (JSON by default).
raw() {
  local label=$1 expect=$2 file=$3 type=${4-$json}
  shift 3
  [ $# -gt 0 ] && shift
  post "$label" "$expect" "" "$file" "$type" "$@"
}

# SQL injection in every field. Free text keeps it verbatim; the closed fields refuse it.
sqli=(
  "'; DROP TABLE customer_care; --"
  "' OR '1'='1' --"
  "Robert'); DELETE FROM customer_care; --"
  "\$\$; SELECT pg_sleep(5); \$\$"
  "1; UPDATE customer_care SET status='resolved' --"
  "\\'; SELECT current_user; --"
  "' UNION SELECT usename, passwd FROM pg_shadow --"
  "%' AND 1=1 AND '%'='"
)
for p in "${sqli[@]}"; do
  report "sql in name: $p" 201 "" "name=$p"
  report "sql in description: $p" 201 "" "description=$p"
  report "sql in order_id: $p" 201 "" "order_id=$p"
  report "sql in email: $p" 422 email "email=$p"
  report "sql in phone: $p" 422 phone "phone=$p"
  report "sql in issue_type: $p" 422 issue_type "issue_type=$p"
  report "sql in priority: $p" 422 priority "priority=$p"
  report "sql in website (honeypot): $p" 422 website "website=$p"
done
report "sql in a valid email's local part" 201 "" "email=o'reilly+'--@example.com"
report "sql in a quoted email local part" 201 "" "email=\"';DROP_TABLE_customer_care;--\"@example.com"
report "sql in a quoted email with spaces" 422 email "email=\"'; DROP TABLE customer_care; --\"@example.com"
printf '{"name\x27; DROP TABLE customer_care; --": "x", "name": "Fuzz Tester", "email": "fuzz@example.com", "phone": "0151 23456789", "issue_type": "other", "description": "SQL in a key is an unknown field."}' >"$work/sqlkey"
raw "sql in an unknown key (ignored)" 201 "$work/sqlkey"
if [ "$(psql -X -At "$owner_db_url" -c "SELECT count(*) FROM customer_care WHERE status <> 'open'")" = 0 ] &&
  [ "$(psql -X -At "$owner_db_url" -c 'SELECT count(*) FROM customer_care')" = $((stored_before + accepted)) ]; then
  pass "after SQL injection: table intact, exactly the accepted reports added, none changed"
else
  failure "after SQL injection: rows missing, extra or changed"
fi

# 1 MB bodies: refused by size, whatever their framing or media type.
"$py" -c 'import json,sys; json.dump({"name":"Big","email":"big@example.com","phone":"0151 23456789","issue_type":"other","description":"x"*1048576}, open(sys.argv[1],"w"))' "$work/big.json"
raw "1 MB JSON body" 413 "$work/big.json"
raw "1 MB JSON body, chunked" 413 "$work/big.json" "$json" -H 'Transfer-Encoding: chunked'
head -c 1048576 /dev/urandom >"$work/big.bin"
raw "1 MB of random bytes as JSON" 413 "$work/big.bin"
raw "1 MB of random bytes as text/plain" 415 "$work/big.bin" text/plain
"$py" -c 'import sys; open(sys.argv[1],"w").write(" " * 1048576 + "{}")' "$work/bigspace"
raw "1 MB of whitespace before an object" 413 "$work/bigspace"

# 10,000 levels of nesting: refused as unreadable, not a stack overflow.
"$py" -c 'import sys; open(sys.argv[1],"w").write("[" * 10000 + "]" * 10000)' "$work/deep1"
raw "10k-deep array" 400 "$work/deep1"
"$py" -c 'import sys; open(sys.argv[1],"w").write("{\"a\":" * 10000 + "1" + "}" * 10000)' "$work/deep2"
raw "10k-deep object" 400 "$work/deep2"
"$py" -c 'import sys; open(sys.argv[1],"w").write("{\"name\": " + "[" * 10000 + "]" * 10000 + ", \"email\": \"fuzz@example.com\", \"phone\": \"0151 23456789\", \"issue_type\": \"other\", \"description\": \"Nested in a field.\"}")' "$work/deep3"
raw "10k-deep array in the name field" 400 "$work/deep3"

# Invalid UTF-8 and broken escapes: refused as unreadable.
valid_rest='"email": "fuzz@example.com", "phone": "0151 23456789", "issue_type": "other", "description": "Invalid bytes in the name."}'
printf '{"name": "\xff\xfe", %s' "$valid_rest" >"$work/u1"; raw "invalid UTF-8 (ff fe)" 400 "$work/u1"
printf '{"name": "a\xc0\xafb", %s' "$valid_rest" >"$work/u2"; raw "overlong UTF-8 (c0 af)" 400 "$work/u2"
printf '{"name": "a\xe2\x82", %s' "$valid_rest" >"$work/u3"; raw "truncated UTF-8 sequence" 400 "$work/u3"
printf '{"name": "\xed\xa0\x80", %s' "$valid_rest" >"$work/u4"; raw "UTF-8-encoded surrogate (ed a0 80)" 400 "$work/u4"
printf '{"name": "\\ud800", %s' "$valid_rest" >"$work/u5"; raw "lone surrogate escape" 400 "$work/u5"
printf '{"name": "caf\xe9", %s' "$valid_rest" >"$work/u6"; raw "Latin-1 body labelled latin1" 400 "$work/u6" 'application/json; charset=latin1'
printf '\xef\xbb\xbf{"name": "BOM", %s' "$valid_rest" >"$work/u7"; raw "byte order mark before the object" 400 "$work/u7"
printf '{"name": 1e999999, %s' "$valid_rest" >"$work/u8"; raw "number out of range" 400 "$work/u8"

# NUL and other control characters: escaped ones are the field's error, raw ones unreadable.
report "escaped NUL in name" 422 name 'name:json="a\u0000b"'
printf '{"name": "a\x00b", %s' "$valid_rest" >"$work/c2"; raw "raw NUL byte in a string" 400 "$work/c2"
printf '{"name": "a"\x00, %s' "$valid_rest" >"$work/c3"; raw "raw NUL byte between tokens" 400 "$work/c3"
printf '{"name": "a\x1bb", %s' "$valid_rest" >"$work/c4"; raw "raw ESC byte in a string" 400 "$work/c4"
report "SOH (U+0001) in description" 422 description $'description=Ten characters\x01 then more'
report "escaped NUL in email" 422 email 'email:json="fu\u0000zz@example.com"'
report "escaped NUL in phone" 422 phone 'phone:json="0151\u000023456789"'
report "escaped NUL in order_id" 422 order_id 'order_id:json="A-\u00001"'
report "escaped NUL in description" 422 description 'description:json="Ten characters and a NUL \u0000 here."'
report "escaped NUL in issue_type" 422 issue_type 'issue_type:json="other\u0000"'
report "ANSI escape sequence in name" 422 name $'name=\e[31mred\e[0m'
report "BEL in order_id" 422 order_id $'order_id=A-\a1'
report "DEL in name" 422 name $'name=Fuzz\x7fTester'
report "C1 control (CSI) in description" 422 description $'description=A C1 control \xc2\x9b here.'
report "NEL (U+0085) in name" 422 name $'name=Fuzz\xc2\x85Tester'
report "line break in name" 422 name $'name=Fuzz\nTester'
report "tab in email" 422 email $'email=fuzz\t@example.com'
report "carriage return in phone" 422 phone $'phone=0151\r23456789'
report "tabs and CRLF line breaks in description" 201 "" $'description=Line one\r\nLine two\n\tindented line three'

# Right-to-left text, overrides and emoji: stored exactly.
report "right-to-left override in name" 201 "" $'name=\xe2\x80\xaeexe.txt\xe2\x80\xac Tester'
report "name of only invisible characters (ZWSP, BOM, word joiner)" 422 name $'name=\xe2\x80\x8b\xef\xbb\xbf\xe2\x81\xa0'
report "Arabic, Hebrew and emoji description" 201 "" "description=الطلب لم يصل بعد 📦 — עדיין לא הגיע ✈️"
report "ZWJ family, flag, skin tone in name" 201 "" "name=👩‍👩‍👧‍👦 🇩🇪 👍🏽 Tester"
report "emoji order number" 201 "" "order_id=🛒-1001-📦"
report "internationalised email" 201 "" "email=名前@例え.jp"
report "combining marks (zalgo) in name" 201 "" "name=Z̸̡̛̙a̷͓̓l̴̰̈́g̶͉̾o̵̧͝"
report "bidi isolates and marks in description" 201 "" $'description=\xe2\x81\xa7abc\xe2\x81\xa9 \xe2\x80\x8f\xe2\x80\x8e \xe2\x81\xa6xyz\xe2\x81\xa9 mixed'
report "noncharacters and private use in name" 201 "" $'name=\xef\xbf\xbf\xef\xbf\xbe\xee\x80\x80\xf4\x8f\xbf\xbf'
report "255 emoji as name (1020 bytes)" 201 "" "name=$("$py" -c 'print("😀" * 255)')"
report "256 emoji as name" 422 name "name=$("$py" -c 'print("😀" * 256)')"
report "5000 emoji as description" 201 "" "description=$("$py" -c 'print("🧾" * 5000)')"
report "5001 emoji as description" 422 description "description=$("$py" -c 'print("🧾" * 5001)')"

# What is not a JSON object at all.
printf '' >"$work/o1"; raw "empty body" 400 "$work/o1"
printf 'null' >"$work/o2"; raw "null" 400 "$work/o2"
printf '"text"' >"$work/o3"; raw "a JSON string" 400 "$work/o3"
printf '[]' >"$work/o4"; raw "an empty array" 400 "$work/o4"
printf '{"name": ' >"$work/o5"; raw "truncated object" 400 "$work/o5"
"$py" "$lib" report-body "$work/o6"
raw "no Content-Type" 415 "$work/o6" ''
raw "valid JSON as text/plain" 415 "$work/o6" text/plain
raw "valid JSON as form" 415 "$work/o6" application/x-www-form-urlencoded
raw "Application/JSON; charset=utf-8" 201 "$work/o6" 'Application/JSON; charset=utf-8'
raw "a +json media type" 201 "$work/o6" application/merge-patch+json
printf '{"name": 5, "email": ["a"], "phone": {}, "issue_type": true, "description": null}' >"$work/o7"
raw "wrongly typed fields" 422 "$work/o7"

# Still standing.
if kill -0 "$server_pid" 2>/dev/null && healthy; then pass "server still healthy after the hostile bodies"; else failure "server not healthy after the hostile bodies"; fi
if grep -Eq 'panicked|"level":"ERROR"' "$work/server.log"; then
  grep -E 'panicked|"level":"ERROR"' "$work/server.log" | head -5 >&2
  failure "server log has a panic or an error"
else
  pass "server log has no panic and no error"
fi

finish
