#!/usr/bin/env bash
# Measures each engine's warm start (stop, then services/up.sh with everything built) and its
# resident memory once idle, and prints one table. Restarts the named engines.
# Usage: services/measure.sh [postgres|neo4j|weaviate|all]...   (default: all)
# Environment: MATCHHUB_MEASURE_SETTLE_S (default 20): idle seconds before reading RSS.
# First-build times are printed by services/up.sh itself ("built in ...s") on a fresh machine.
# shellcheck source=services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

engines_from_args "$@"
settle="${MATCHHUB_MEASURE_SETTLE_S:-20}"
declare -A start_s cpu_s rss_mib

pid_of() {
  case "$1" in
    postgres) head -1 "$STATE_ROOT/postgres/data/postmaster.pid" ;;
    *) read_pid "$STATE_ROOT/$1/$1.pid" ;;
  esac
}

for engine in "${ENGINES[@]}"; do
  bash "$SERVICES_DIR/$engine.sh" down >/dev/null
  # Build (if needed) outside the timed span, so the figure is start-up alone.
  bash "$SERVICES_DIR/$engine.sh" build >/dev/null
  t0="$(now_ms)"
  bash "$SERVICES_DIR/$engine.sh" up >/dev/null
  start_s[$engine]="$(elapsed_s "$t0")"
  # CPU time spent by the engine up to "ready": unlike wall time, barely moved by other load.
  cpu_s[$engine]="$(tree_cpu_s "$(pid_of "$engine")")"
done
sleep "$settle"
for engine in "${ENGINES[@]}"; do
  rss_mib[$engine]="$(tree_rss_mib "$(pid_of "$engine")")"
done

printf '\n%-10s %15s %17s %21s\n' engine "warm start (s)" "CPU to ready (s)" "idle RSS (MiB, tree)"
for engine in "${ENGINES[@]}"; do
  printf '%-10s %15s %17s %21s\n' "$engine" "${start_s[$engine]}" "${cpu_s[$engine]}" "${rss_mib[$engine]}"
done
printf '\n(%s cores, load average %s; RSS read %ss after the last engine was ready)\n' \
  "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$settle"
