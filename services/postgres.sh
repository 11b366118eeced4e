#!/usr/bin/env bash
# PostgreSQL from Debian's packages: a throwaway cluster under .services/postgres, TCP on
# 127.0.0.1 only, a `matchhub` role (password auth) owning a `matchhub` database.
# Usage: services/postgres.sh build|up|down|status|env   (normally through services/up.sh)
# shellcheck source=services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_STATE="$STATE_ROOT/postgres"
PG_DATA="$PG_STATE/data"
PG_LOG="$PG_STATE/postgres.log"
PG_MIN_MAJOR=15

# initdb refuses to run as root, so root runs the cluster as the `postgres` OS user that
# Debian's package creates; anyone else runs it as themselves.
pg_os_user() { if is_root; then echo postgres; else id -un; fi; }
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Unix sockets are limited to ~107 bytes, so deep checkouts put the socket under /tmp.
pg_socket_dir() {
  local dir="$PG_STATE/run"
  if [ "${#dir}" -gt 80 ]; then
    dir="/tmp/matchhub-pg-$(printf '%s' "$REPO_ROOT" | md5sum | cut -c1-10)"
  fi
  echo "$dir"
}

pg_bindir() {
  local dir="" candidate
  # Newest major version wins when several are installed.
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] || continue
    if [ -z "$dir" ] || [ "$(basename "$(dirname "$candidate")")" -gt "$(basename "$(dirname "$dir")")" ]; then
      dir="$candidate"
    fi
  done
  if [ -n "$dir" ]; then
    echo "$dir"
  elif command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
  fi
}

pg_install() {
  [ -n "$(pg_bindir)" ] && return 0
  # Keep the package from creating and starting its own cluster on 5432: we only want ours.
  apt_install postgresql-common
  if [ -f /etc/postgresql-common/createcluster.conf ]; then
    local runner=()
    is_root || runner=(sudo)
    "${runner[@]}" sed -i 's/^#\?\s*create_main_cluster\s*=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
  fi
  apt_install postgresql
  [ -n "$(pg_bindir)" ] || die "postgresql was installed but no initdb was found under /usr/lib/postgresql/*/bin"
}

pg_running() {
  [ -f "$PG_DATA/postmaster.pid" ] && as_pg "$(pg_bindir)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

pg_init() {
  local bin="$1" os_user
  os_user="$(pg_os_user)"
  mkdir -p "$PG_STATE"
  if is_root; then
    chown "$os_user" "$PG_STATE"
    as_pg test -x "$PG_STATE" ||
      die "the postgres OS user cannot reach $PG_STATE; clone the repository under a directory other users can traverse (e.g. chmod o+x on its parents)"
  fi
  say "postgres: creating a cluster in $PG_DATA"
  # Peer auth on the private socket for setup, passwords (scram) for every TCP client.
  as_pg "$bin/initdb" -D "$PG_DATA" -U "$os_user" --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$PG_STATE/initdb.log" 2>&1 ||
    {
      log_tail "$PG_STATE/initdb.log"
      die "postgres: initdb failed"
    }
}

pg_up() {
  local started bin sock os_user
  started="$(now_ms)"
  pg_install
  bin="$(pg_bindir)"
  local major
  major="$("$bin/postgres" --version | grep -oE '[0-9]+' | head -1)"
  [ "$major" -ge "$PG_MIN_MAJOR" ] || die "postgres: found PostgreSQL $major in $bin; MatchHub needs $PG_MIN_MAJOR or newer"
  os_user="$(pg_os_user)"
  sock="$(pg_socket_dir)"

  if pg_running; then
    say "postgres: already running on $LOOPBACK:$PG_PORT"
  else
    [ -f "$PG_DATA/PG_VERSION" ] || pg_init "$bin"
    require_free_ports PG_PORT
    mkdir -p "$sock"
    chmod 700 "$sock"
    is_root && chown "$os_user" "$sock"
    # synchronous_commit=off: this is a development/test cluster, and it makes test writes
    # cheap without risking corruption (only the last moments of commits can be lost).
    if ! as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start \
      -o "-c listen_addresses=$LOOPBACK -p $PG_PORT -c unix_socket_directories=$sock -c synchronous_commit=off" >/dev/null 9>&-; then
      log_tail "$PG_LOG"
      die "postgres: did not start (log above: $PG_LOG)"
    fi
  fi

  local password
  password="$(secret postgres-password)"
  # psql's :'name' quoting passes the password as a literal, never spliced into SQL text.
  as_pg "$bin/psql" -h "$sock" -p "$PG_PORT" -d postgres -U "$os_user" -v ON_ERROR_STOP=1 -q -X \
    -v password="$password" >/dev/null <<'SQL' || die "postgres: could not create the matchhub role and database"
SELECT 'CREATE ROLE matchhub LOGIN CREATEDB CREATEROLE' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'matchhub') \gexec
-- CREATEROLE: `matchhub bi grant` creates the read-only BI role (tested in test/integration/bi-grant.test.ts).
ALTER ROLE matchhub PASSWORD :'password' CREATEROLE;
SELECT 'CREATE DATABASE matchhub OWNER matchhub' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'matchhub') \gexec
SQL
  PGPASSWORD="$password" "$bin/psql" -h "$LOOPBACK" -p "$PG_PORT" -U matchhub -d matchhub -X -qtAc 'SELECT 1' >/dev/null ||
    die "postgres: running, but matchhub cannot log in over TCP on $LOOPBACK:$PG_PORT"
  say "postgres: ready on $LOOPBACK:$PG_PORT in $(elapsed_s "$started")s (PostgreSQL $major)"
}

pg_down() {
  local bin
  bin="$(pg_bindir)"
  if [ -z "$bin" ] || ! pg_running; then
    say "postgres: not running"
    return 0
  fi
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
  say "postgres: stopped"
}

pg_status() {
  if [ -n "$(pg_bindir)" ] && pg_running; then
    local pid
    pid="$(head -1 "$PG_DATA/postmaster.pid")"
    say "postgres: running, pid $pid, $LOOPBACK:$PG_PORT, RSS $(tree_rss_mib "$pid") MiB"
  else
    say "postgres: stopped"
    return 3
  fi
}

# The settings MatchHub reads for this engine (its part of .services/env).
pg_env() {
  echo "DATABASE_URL=postgres://matchhub:$(secret postgres-password)@$LOOPBACK:$PG_PORT/matchhub"
}

case "${1:-}" in
  build) pg_install ;;
  up) lock_engine postgres && remove_engine_env postgres && pg_up && pg_env | write_engine_env postgres ;;
  down) lock_engine postgres && pg_down && remove_engine_env postgres ;;
  status) pg_status || { remove_engine_env postgres && exit 3; } ;;
  env) pg_env ;;
  *) die "usage: $0 build|up|down|status|env" ;;
esac
