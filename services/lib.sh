# shellcheck shell=bash disable=SC2034  # settings are read by the scripts that source this file
# Helpers shared by the engine scripts in services/. Sourced, not run.
#
# Every engine keeps its state, PID file and log under .services/<engine>/ at the repo root;
# built artifacts live outside the repo (~/.m2, Go's caches, ~/.cache/matchhub) so a fresh
# clone reuses them. Processes are only ever identified by PID files plus a check that the
# PID still belongs to our engine, never by process name.

set -euo pipefail

SERVICES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SERVICES_DIR/.." && pwd)"
STATE_ROOT="$REPO_ROOT/.services"
ENV_FILE="$STATE_ROOT/env"
MATCHHUB_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/matchhub"
LOOPBACK=127.0.0.1

# Ports: non-default so a developer's own engines on the standard ports are never touched.
# Each can be moved with the variable named beside it.
PG_PORT="${MATCHHUB_PG_PORT:-55432}"
NEO4J_BOLT_PORT="${MATCHHUB_NEO4J_BOLT_PORT:-57687}"
WEAVIATE_HTTP_PORT="${MATCHHUB_WEAVIATE_HTTP_PORT:-58080}"
WEAVIATE_GRPC_PORT="${MATCHHUB_WEAVIATE_GRPC_PORT:-50551}"
WEAVIATE_GOSSIP_PORT="${MATCHHUB_WEAVIATE_GOSSIP_PORT:-57946}"
WEAVIATE_DATA_PORT="${MATCHHUB_WEAVIATE_DATA_PORT:-57947}"
WEAVIATE_RAFT_PORT="${MATCHHUB_WEAVIATE_RAFT_PORT:-58300}"
WEAVIATE_RAFT_RPC_PORT="${MATCHHUB_WEAVIATE_RAFT_RPC_PORT:-58301}"

say() { printf '[services] %s\n' "$*"; }
warn() { printf '[services] warning: %s\n' "$*" >&2; }
die() {
  printf '[services] error: %s\n' "$*" >&2
  exit 1
}

now_ms() { date +%s%3N; }
elapsed_s() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

is_root() { [ "$(id -u)" = 0 ]; }

# Runs apt-get as root (directly or through sudo); says what to run when neither is possible.
apt_install() {
  local runner=()
  if ! is_root; then
    command -v sudo >/dev/null 2>&1 || die "need root to install: apt-get install -y $*; install it yourself and rerun"
    runner=(sudo)
  fi
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install these yourself and rerun: $*"
  say "installing with apt-get: $*"
  if ! "${runner[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; then
    # Fresh machines often have no package lists yet.
    "${runner[@]}" apt-get update
    "${runner[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
  fi
}

# Reads a secret, creating it (random, hex) on first use so each checkout has its own.
secret() {
  local file="$STATE_ROOT/secrets/$1"
  if [ ! -s "$file" ]; then
    mkdir -p "$STATE_ROOT/secrets"
    chmod 700 "$STATE_ROOT/secrets"
    (umask 077 && od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$file")
  fi
  cat "$file"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/$LOOPBACK/$1") 2>/dev/null; }

# Names whoever listens on a port, for error messages; empty when unknown.
port_owner() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(([^)]*))' | head -1 || true
}

# Fails with what to do when any of the given ports is taken by a process that is not ours.
require_free_ports() {
  local var port
  for var in "$@"; do
    port="${!var}"
    if port_open "$port"; then
      die "port $port on $LOOPBACK is already in use $(port_owner "$port"); stop that process, or pick another port with MATCHHUB_${var}=<port> and rerun"
    fi
  done
}

# PID recorded in a PID file, or empty.
read_pid() { if [ -s "$1" ]; then tr -dc '0-9' <"$1"; fi; }

# True when $pid is alive and its command line or environment mentions $marker (our state
# directory), so a PID recycled by an unrelated process is never mistaken for our engine.
pid_is_ours() {
  local pid="$1" marker="$2"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # Not grep -q: its early exit would fail the pipeline (SIGPIPE) under pipefail.
  { tr '\0' '\n' <"/proc/$pid/cmdline"; tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -F -- "$marker" >/dev/null
}

# Stops the process in a PID file if it is ours: TERM, then KILL after $3 seconds.
stop_pid_file() {
  local pidfile="$1" marker="$2" grace="${3:-30}" name="$4" pid i
  pid="$(read_pid "$pidfile")"
  if [ -z "$pid" ]; then
    say "$name: not running (no PID file)"
    return 0
  fi
  if ! pid_is_ours "$pid" "$marker"; then
    say "$name: PID file pointed at $pid, which is not running our engine; removed the stale PID file"
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid"
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name (pid $pid) did not stop within ${grace}s; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  say "$name: stopped (pid $pid)"
}

# Prints the end of a log so a failed start explains itself.
log_tail() {
  local file
  for file in "$@"; do
    [ -f "$file" ] || continue
    printf '[services] ---- last 40 lines of %s ----\n' "$file" >&2
    tail -n 40 "$file" >&2
  done
}

# Resident memory of a process tree in MiB (Postgres runs as several processes).
tree_rss_mib() {
  local pids
  pids="$(tree_pids "$1" | paste -sd, -)"
  ps -o rss= -p "$pids" 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s / 1024 }'
}

# Lists TCP listeners of a process that are not on loopback (should print nothing).
non_loopback_listeners() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp 2>/dev/null | grep "pid=$1," | awk '{ print $4 }' | grep -vE '^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]|\[::1\]):' || true
}

ALL_ENGINES=(postgres neo4j weaviate)

# Sets ENGINES from the command line: engine names, or `all` / nothing for every engine.
engines_from_args() {
  ENGINES=()
  local arg
  for arg in "$@"; do
    case "$arg" in
      all) ENGINES=("${ALL_ENGINES[@]}") && return 0 ;;
      postgres | neo4j | weaviate) ENGINES+=("$arg") ;;
      *) die "unknown engine '$arg'; expected postgres, neo4j, weaviate or all" ;;
    esac
  done
  [ "${#ENGINES[@]}" -gt 0 ] || ENGINES=("${ALL_ENGINES[@]}")
}

# Connection settings: each engine script writes its own .services/<engine>.env when its `up`
# succeeds and removes it on `down`, on a failed `up` and when `status` finds the engine stopped.
# .services/env, what MatchHub and the integration tests read (dotenv syntax, also valid shell),
# is those files put together, rewritten by up.sh, down.sh and status.sh; so it names only the
# engines that are up, with the ports and secrets they run with.
engine_env_file() { printf '%s/%s.env' "$STATE_ROOT" "$1"; }

# Writes stdin as an engine's env file (private, replaced whole).
write_engine_env() {
  local file tmp
  file="$(engine_env_file "$1")"
  mkdir -p "$STATE_ROOT"
  tmp="$(mktemp "$file.XXXXXX")"
  cat >"$tmp"
  mv -f "$tmp" "$file"
}

remove_engine_env() { rm -f "$(engine_env_file "$1")"; }

# Rewrites .services/env from the env files of the engines that are up. Engines the calling
# script did not just handle (not in ENGINES) are asked for their status first, which drops
# the env file of one that has died since.
write_env_file() {
  local engine file tmp
  mkdir -p "$STATE_ROOT"
  for engine in "${ALL_ENGINES[@]}"; do
    [[ " ${ENGINES[*]:-} " == *" $engine "* ]] && continue
    if [ -f "$(engine_env_file "$engine")" ]; then
      bash "$SERVICES_DIR/$engine.sh" status >/dev/null 2>&1 || true
    fi
  done
  tmp="$(mktemp "$ENV_FILE.XXXXXX")"
  {
    echo "# Written by services/up.sh, down.sh and status.sh: settings for the engines up on loopback."
    for engine in "${ALL_ENGINES[@]}"; do
      file="$(engine_env_file "$engine")"
      if [ -f "$file" ]; then cat "$file"; fi
    done
  } >"$tmp"
  mv -f "$tmp" "$ENV_FILE"
}

# Processes in the tree rooted at $1 (the root included), one PID per line.
tree_pids() {
  ps -e -o pid=,ppid= | awk -v r="$1" '
    { parent[$1] = $2 } END {
      keep[r] = 1; changed = 1
      while (changed) { changed = 0; for (p in parent) if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 } }
      for (p in keep) print p }'
}

# CPU seconds (user + system) used so far by a process tree, including children that have
# exited (Postgres's start-up process, for one).
tree_cpu_s() {
  local tick pid total=0
  tick="$(getconf CLK_TCK)"
  for pid in $(tree_pids "$1"); do
    # Fields 14-17 of /proc/PID/stat (utime, stime, cutime, cstime), counted after the command
    # name, which may hold spaces.
    total=$((total + $(sed -E 's/^.*\) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 + $14 + $15 }' || echo 0)))
  done
  awk -v t="$total" -v k="$tick" 'BEGIN { printf "%.1f", t / k }'
}

# Serializes up/down of one engine, so two `up`s started together (two terminals, parallel CI
# steps) cannot both launch it. Held until the calling script exits; engines must be started
# with 9>&- so they do not inherit (and keep holding) the lock.
lock_engine() {
  mkdir -p "$STATE_ROOT/locks"
  exec 9>"$STATE_ROOT/locks/$1.lock"
  if ! flock -w "${MATCHHUB_SERVICES_LOCK_TIMEOUT:-600}" 9; then
    die "$1: another services/ command has held $STATE_ROOT/locks/$1.lock for too long; is one stuck?"
  fi
}
