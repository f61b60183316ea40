#!/usr/bin/env bash
# A private PostgreSQL cluster in a folder of CareDesk's own, started if not running.
# Sourced by run.sh and test.sh:  start_private_cluster DIR PORT MODE
#   MODE "app":   Unix socket in DIR/socket with trust for the folder's owner; TCP on
#                 127.0.0.1 with scram-sha-256 (agents sign in with their passwords).
#   MODE "tests": trust on 127.0.0.1 too (a throwaway cluster for the test suites only).
# initdb refuses to run as root, so as root the cluster belongs to the "postgres" user.

pg_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$dir" ]; then
    echo "PostgreSQL server binaries not found (install the postgresql package)" >&2
    return 1
  fi
  echo "$dir"
}

as_cluster_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_private_cluster() {
  local dir=$1 port=$2 mode=$3 bin
  bin=$(pg_bin_dir)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_cluster_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
    as_cluster_owner mkdir -p -m 700 "$dir/socket"
    local tcp_auth=scram-sha-256
    [ "$mode" = tests ] && tcp_auth=trust
    as_cluster_owner tee "$dir/data/pg_hba.conf" >/dev/null <<HBA
# written by CareDesk's scripts/postgres.sh ($mode)
local all all trust
host  all all 127.0.0.1/32 $tcp_auth
host  all all ::1/128 $tcp_auth
HBA
  fi
  if ! as_cluster_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_cluster_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
  fi
}

stop_private_cluster() {
  local dir=$1 bin
  bin=$(pg_bin_dir)
  as_cluster_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
}
