#!/usr/bin/env bash
# Shows which engines run, their PIDs, ports and resident memory; rewrites .services/env so it
# names only the engines that run.
# Usage: services/status.sh [postgres|neo4j|weaviate|all]...   (default: all)
# Exits 0 when every named engine runs, 3 otherwise.
# shellcheck source=services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

engines_from_args "$@"
status=0
for engine in "${ENGINES[@]}"; do
  bash "$SERVICES_DIR/$engine.sh" status || status=3
done
write_env_file
exit "$status"
