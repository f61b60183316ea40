#!/usr/bin/env bash
# A private PostgreSQL cluster in a folder of CareDesk's own, started if not running.
# Sourced by run.sh and test.sh:  start_private_cluster DIR PORT MODE [LISTEN]
#   MODE "app":   Unix socket in DIR/socket with trust for the folder's owner; TCP with
#                 scram-sha-256 (agents sign in with their passwords) and TLS, with a
#                 certificate from a private CA made once in DIR/tls (agents on other
#                 machines trust DIR/tls/ca.crt); without TLS only from this computer.
#   MODE "tests": trust on 127.0.0.1 too (a throwaway cluster for the test suites only).
#   LISTEN:       the addresses to listen on (default 127.0.0.1; "*" for every network).
# CAREDESK_PG_MAX_CONNECTIONS sets max_connections (default 200).
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

# The names and addresses this machine answers to, for the server certificate.
this_machines_names() {
  local names="DNS:localhost,IP:127.0.0.1,IP:::1" name
  for name in $(hostname 2>/dev/null) $(hostname -f 2>/dev/null); do names="$names,DNS:$name"; done
  for name in $(hostname -I 2>/dev/null); do names="$names,IP:$name"; done
  echo "$names"
}

# A private CA and the cluster's certificate, made once in DIR/tls. The CA's key is deleted
# once it has signed: nobody can make another certificate this CA vouches for.
ensure_tls_material() {
  local tls=$1/tls
  [ -f "$tls/server.crt" ] && return
  mkdir -p "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=CareDesk private CA ($(hostname))" \
    -keyout "$tls/ca.key" -out "$tls/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$(hostname)" -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
  printf 'subjectAltName=%s\n' "$(this_machines_names)" >"$tls/names.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial \
    -days 3650 -extfile "$tls/names.ext" -out "$tls/server.crt" 2>/dev/null
  rm -f "$tls/ca.key" "$tls/server.csr" "$tls/ca.srl"
  chmod 600 "$tls/server.key"
  chmod 644 "$tls/ca.crt" "$tls/server.crt"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$tls"
  return 0
}

start_private_cluster() {
  local dir=$1 port=$2 mode=$3 listen=${4:-127.0.0.1} bin tls_options=
  bin=$(pg_bin_dir)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_cluster_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
    as_cluster_owner mkdir -p -m 700 "$dir/socket"
  fi
  if [ "$mode" = tests ]; then
    as_cluster_owner tee "$dir/data/pg_hba.conf" >/dev/null <<HBA
# written by CareDesk's scripts/postgres.sh ($mode)
local all all trust
host  all all 127.0.0.1/32 trust
host  all all ::1/128 trust
HBA
  else
    ensure_tls_material "$dir"
    tls_options="-c ssl=on -c ssl_cert_file=$dir/tls/server.crt -c ssl_key_file=$dir/tls/server.key"
    # a password crosses a network only inside TLS; on this computer TLS is up to the client
    as_cluster_owner tee "$dir/data/pg_hba.conf" >/dev/null <<HBA
# written by CareDesk's scripts/postgres.sh ($mode)
local   all all trust
host    all all 127.0.0.0/8 scram-sha-256
host    all all ::1/128 scram-sha-256
hostssl all all 0.0.0.0/0 scram-sha-256
hostssl all all ::/0 scram-sha-256
HBA
  fi
  if ! as_cluster_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_cluster_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $port -k $dir/socket -c listen_addresses='$listen' -c max_connections=${CAREDESK_PG_MAX_CONNECTIONS:-200} $tls_options" start >/dev/null
  else
    # a running cluster reads the access rules again
    as_cluster_owner "$bin/pg_ctl" -D "$dir/data" reload >/dev/null
  fi
}

cluster_running() {
  local bin
  bin=$(pg_bin_dir)
  [ -f "$1/data/PG_VERSION" ] && as_cluster_owner "$bin/pg_ctl" -D "$1/data" status >/dev/null 2>&1
}

stop_private_cluster() {
  local dir=$1 bin
  bin=$(pg_bin_dir)
  as_cluster_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
}
