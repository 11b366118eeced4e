#!/usr/bin/env bash
# Neo4j Community 5.26 LTS, embedded in a small Java launcher (services/neo4j/) whose jars
# Maven resolves from Maven Central into ~/.m2. Bolt on 127.0.0.1 only, auth on.
# Usage: services/neo4j.sh build|up|down|status|env   (normally through services/up.sh)
# shellcheck source=services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NEO4J_STATE="$STATE_ROOT/neo4j"
NEO4J_HOME="$NEO4J_STATE/home"
NEO4J_BUILD="$NEO4J_STATE/build"
NEO4J_PIDFILE="$NEO4J_STATE/neo4j.pid"
NEO4J_LOG="$NEO4J_STATE/neo4j.log"
NEO4J_POM="$SERVICES_DIR/neo4j/pom.xml"
NEO4J_MAIN=org.matchhub.services.Neo4jLauncher
# Enough for development and the test suites; the page cache is set inside the launcher.
NEO4J_HEAP="${MATCHHUB_NEO4J_HEAP:-512m}"

neo4j_install() {
  local java_major=0
  if command -v java >/dev/null 2>&1; then
    java_major="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }')"
  fi
  if [ "${java_major%%.*}" -lt 17 ]; then
    apt_install openjdk-17-jdk-headless
  fi
  command -v mvn >/dev/null 2>&1 || apt_install maven
}

# Compiles the launcher only when its sources changed since the last build.
neo4j_build() {
  local stamp="$NEO4J_BUILD/build.stamp" started
  if [ -f "$stamp" ] && [ -f "$NEO4J_BUILD/classpath.txt" ] &&
    [ -z "$(find "$SERVICES_DIR/neo4j" -type f -newer "$stamp" -print -quit)" ]; then
    return 0
  fi
  started="$(now_ms)"
  say "neo4j: building the launcher with Maven (first run downloads Neo4j's jars into ~/.m2)"
  mkdir -p "$NEO4J_STATE"
  if ! mvn -q -B -f "$NEO4J_POM" -Dmatchhub.build.dir="$NEO4J_BUILD" compile >"$NEO4J_STATE/build.log" 2>&1; then
    log_tail "$NEO4J_STATE/build.log"
    die "neo4j: Maven build failed (log: $NEO4J_STATE/build.log)"
  fi
  touch "$stamp"
  say "neo4j: launcher built in $(elapsed_s "$started")s"
}

neo4j_up() {
  local started pid
  started="$(now_ms)"
  neo4j_install
  neo4j_build

  pid="$(read_pid "$NEO4J_PIDFILE")"
  if pid_is_ours "$pid" "$NEO4J_HOME"; then
    if grep -q MATCHHUB_NEO4J_READY "$NEO4J_LOG" 2>/dev/null; then
      say "neo4j: already running (pid $pid) on bolt://$LOOPBACK:$NEO4J_BOLT_PORT"
      return 0
    fi
    say "neo4j: pid $pid is still starting; waiting for it"
  else
    if [ -n "$pid" ]; then
      say "neo4j: PID file named $pid, which is no longer our Neo4j (killed or crashed); starting a new one"
      rm -f "$NEO4J_PIDFILE"
    fi
    require_free_ports NEO4J_BOLT_PORT
    mkdir -p "$NEO4J_HOME"
    secret neo4j-password >/dev/null
    [ -f "$NEO4J_LOG" ] && mv -f "$NEO4J_LOG" "$NEO4J_LOG.previous"
    # setsid: the engine must outlive this script and not receive the terminal's Ctrl-C.
    # Serial GC: with a small heap on a 2-core box, concurrent collectors only take CPU from
    # the tests. The --add-opens let Neo4j's page cache use direct buffers without fallbacks.
    setsid java -Xms128m -Xmx"$NEO4J_HEAP" -XX:+UseSerialGC \
      --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
      -cp "$NEO4J_BUILD/classes:$(cat "$NEO4J_BUILD/classpath.txt")" "$NEO4J_MAIN" \
      --home "$NEO4J_HOME" --bolt-port "$NEO4J_BOLT_PORT" \
      --password-file "$STATE_ROOT/secrets/neo4j-password" --plugins "$NEO4J_BUILD/plugins" \
      </dev/null >"$NEO4J_LOG" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$NEO4J_PIDFILE"
  fi

  local deadline=$((SECONDS + ${MATCHHUB_NEO4J_START_TIMEOUT:-240}))
  until grep -q MATCHHUB_NEO4J_READY "$NEO4J_LOG" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$NEO4J_PIDFILE"
      log_tail "$NEO4J_LOG" "$NEO4J_HOME/logs/debug.log"
      die "neo4j: exited during start-up (logs above)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log_tail "$NEO4J_LOG" "$NEO4J_HOME/logs/debug.log"
      die "neo4j: not ready after ${MATCHHUB_NEO4J_START_TIMEOUT:-240}s (pid $pid left running; stop it with services/down.sh neo4j)"
    fi
    sleep 0.3
  done
  say "neo4j: ready on bolt://$LOOPBACK:$NEO4J_BOLT_PORT in $(elapsed_s "$started")s (pid $pid)"
}

neo4j_down() { stop_pid_file "$NEO4J_PIDFILE" "$NEO4J_HOME" 60 neo4j; }

neo4j_status() {
  local pid
  pid="$(read_pid "$NEO4J_PIDFILE")"
  if pid_is_ours "$pid" "$NEO4J_HOME"; then
    say "neo4j: running, pid $pid, bolt://$LOOPBACK:$NEO4J_BOLT_PORT, RSS $(tree_rss_mib "$pid") MiB"
  else
    say "neo4j: stopped${pid:+ (stale PID file names $pid)}"
    return 3
  fi
}

# The settings MatchHub reads for this engine (its part of .services/env).
neo4j_env() {
  cat <<ENV
NEO4J_URI=bolt://$LOOPBACK:$NEO4J_BOLT_PORT
NEO4J_USER=neo4j
NEO4J_PASSWORD=$(secret neo4j-password)
ENV
}

case "${1:-}" in
  build) neo4j_install && neo4j_build ;;
  up) lock_engine neo4j && remove_engine_env neo4j && neo4j_up && neo4j_env | write_engine_env neo4j ;;
  down) lock_engine neo4j && neo4j_down && remove_engine_env neo4j ;;
  status) neo4j_status || { remove_engine_env neo4j && exit 3; } ;;
  env) neo4j_env ;;
  *) die "usage: $0 build|up|down|status|env" ;;
esac
