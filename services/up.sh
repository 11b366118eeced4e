#!/usr/bin/env bash
# Installs what is missing, starts the engines on 127.0.0.1 and writes .services/env with the
# settings of the engines that are up (those started now and any already running).
# Usage: services/up.sh [postgres|neo4j|weaviate|all]...   (default: all)
# Exits non-zero when any engine fails to start, after printing that engine's log tail.
# shellcheck source=services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

engines_from_args "$@"
mkdir -p "$STATE_ROOT"
failed=()
for engine in "${ENGINES[@]}"; do
  bash "$SERVICES_DIR/$engine.sh" up || failed+=("$engine")
done
write_env_file
say "connection settings: $ENV_FILE"
if [ "${#failed[@]}" -gt 0 ]; then
  die "failed to start: ${failed[*]} (reason and log tail above; fix, then rerun services/up.sh ${failed[*]})"
fi
