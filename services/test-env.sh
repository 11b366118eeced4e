#!/usr/bin/env bash
# Checks that .services/env names only the engines that are up, without starting any engine:
# runs up.sh, status.sh and down.sh from a copy of services/ in a temporary "repo", where
# postgres.sh is the real script with its start, stop and status replaced by a marker file,
# and neo4j.sh and weaviate.sh are the real scripts (never started, so reported stopped).
# Usage: bash services/test-env.sh   (run by .ci/run; takes about a second)
set -euo pipefail
# Hermetic: the checks below expect the default ports, whatever ports the caller's engines use.
unset "${!MATCHHUB_@}"

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/services"
cp "$SRC"/*.sh "$TMP/services/"
STATE="$TMP/.services"
ENV="$STATE/env"

# The real postgres.sh up to its dispatch, stand-ins for the functions that touch a server,
# then the real dispatch.
{
  sed '/^case "\${1:-}" in$/,$d' "$SRC/postgres.sh"
  cat <<'SH'
pg_up() { mkdir -p "$PG_STATE" && : >"$PG_STATE/fake-running" && say "postgres: (fake) up"; }
pg_down() { rm -f "$PG_STATE/fake-running" && say "postgres: (fake) stopped"; }
pg_status() { [ -f "$PG_STATE/fake-running" ] || { say "postgres: (fake) stopped" && return 3; }; }
SH
  sed -n '/^case "\${1:-}" in$/,$p' "$SRC/postgres.sh"
} >"$TMP/services/postgres.sh"

failures=0
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  failures=$((failures + 1))
}
ok() { printf 'ok: %s\n' "$*"; }
has() { grep -qE "$1" "$ENV" 2>/dev/null; }
run() { (cd "$TMP" && bash "$@") >"$TMP/out.log" 2>&1; }

# Leftovers of an earlier session: an env file naming every engine, and a Neo4j that wrote its
# settings and has since died (its PID file names a process that is gone).
mkdir -p "$STATE/neo4j"
printf 'DATABASE_URL=x\nNEO4J_URI=bolt://127.0.0.1:57687\nWEAVIATE_URL=http://127.0.0.1:58080\n' >"$ENV"
printf 'NEO4J_URI=bolt://127.0.0.1:57687\nNEO4J_USER=neo4j\nNEO4J_PASSWORD=x\n' >"$STATE/neo4j.env"
dead_pid="$(bash -c 'echo $$')"
echo "$dead_pid" >"$STATE/neo4j/neo4j.pid"

# 1. Only postgres is up.
if run services/up.sh postgres; then ok "up.sh postgres exits 0"; else fail "up.sh postgres failed: $(cat "$TMP/out.log")"; fi
if has '^DATABASE_URL=postgres://matchhub:[0-9a-f]+@127\.0\.0\.1:55432/matchhub$'; then
  ok "env has DATABASE_URL"
else
  fail "env lacks DATABASE_URL"
fi
if has '^(NEO4J|WEAVIATE)_'; then
  fail "env names engines that are not up: $(grep -E '^(NEO4J|WEAVIATE)_' "$ENV" | cut -d= -f1 | paste -sd' ')"
else
  ok "env has no NEO4J_/WEAVIATE_ settings"
fi
[ ! -e "$STATE/neo4j.env" ] && ok "stale neo4j.env removed" || fail "stale neo4j.env kept although Neo4j is not running"
# What the README tells users to do with the file.
sourced="$(env -i bash -c "set -a; . '$ENV'; set +a; echo \"\${DATABASE_URL:+db} \${NEO4J_URI:-} \${WEAVIATE_URL:-}\"")"
[ "$sourced" = "db  " ] && ok "sourcing env sets DATABASE_URL only" || fail "sourcing env gave '$sourced'"

# 2. Ports follow the MATCHHUB_* variables.
if MATCHHUB_PG_PORT=55999 run services/up.sh postgres && has '@127\.0\.0\.1:55999/matchhub$'; then
  ok "env follows MATCHHUB_PG_PORT"
else
  fail "env does not follow MATCHHUB_PG_PORT"
fi
run services/up.sh postgres || fail "up.sh postgres (again) failed"

# 3. status.sh leaves the running engine's settings in place.
run services/status.sh && fail "status.sh exits 0 although neo4j and weaviate are stopped"
has '^DATABASE_URL=' && ! has '^(NEO4J|WEAVIATE)_' && ok "status.sh keeps env at postgres only" ||
  fail "status.sh changed env: $(cut -d= -f1 "$ENV" | paste -sd' ')"

# 4. An engine that died: status.sh (and up.sh/down.sh for other engines) drop its settings.
rm -f "$STATE/postgres/fake-running"
run services/status.sh postgres || true
has '^DATABASE_URL=' && fail "env keeps DATABASE_URL after postgres died and status.sh ran" || ok "status.sh drops a dead engine"

# 5. down.sh removes the settings of the engine it stops.
run services/up.sh postgres || fail "up.sh postgres (restart) failed"
run services/down.sh postgres || fail "down.sh postgres failed: $(cat "$TMP/out.log")"
has '^DATABASE_URL=' && fail "env keeps DATABASE_URL after down.sh postgres" || ok "down.sh removes DATABASE_URL"
[ ! -e "$STATE/postgres.env" ] && ok "postgres.env removed by down" || fail "postgres.env kept after down"

# 6. Each engine script prints only its own settings.
for pair in postgres:DATABASE_URL neo4j:NEO4J_ weaviate:WEAVIATE_; do
  engine="${pair%%:*}" prefix="${pair#*:}"
  lines="$( (cd "$TMP" && bash services/"$engine".sh env) 2>/dev/null || true)"
  if [ -n "$lines" ] && ! grep -vE "^$prefix" <<<"$lines" | grep -q .; then
    ok "$engine.sh env prints only $prefix settings"
  else
    fail "$engine.sh env printed: $(cut -d= -f1 <<<"$lines" | paste -sd' ')"
  fi
done

if [ "$failures" -gt 0 ]; then
  printf '%d check(s) failed\n' "$failures" >&2
  exit 1
fi
echo "all checks passed"
