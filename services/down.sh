#!/usr/bin/env bash
# Stops the engines that services/up.sh started, by their PID files only, and drops their
# settings from .services/env.
# Usage: services/down.sh [postgres|neo4j|weaviate|all]...   (default: all)
# shellcheck source=services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

engines_from_args "$@"
status=0
for engine in "${ENGINES[@]}"; do
  bash "$SERVICES_DIR/$engine.sh" down || status=1
done
write_env_file
exit "$status"
