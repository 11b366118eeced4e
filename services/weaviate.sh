#!/usr/bin/env bash
# Weaviate, built from its Go module with the ordinary Go toolchain, persisting under
# .services/weaviate/data, REST and gRPC on 127.0.0.1, API-key auth, no vectorizer modules
# (MatchHub sends its own vectors), gse and gse_ch dictionary tokenizers for CJK text.
# Usage: services/weaviate.sh build|up|down|status|env   (normally through services/up.sh)
# shellcheck source=services/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WEAVIATE_MODULE=github.com/weaviate/weaviate
WEAVIATE_VERSION=v1.35.2
# Bump when weaviate_patch_listen_host or the build flags change, so cached binaries are rebuilt.
WEAVIATE_PATCH_REVISION=2
WEAVIATE_CACHE="$MATCHHUB_CACHE/weaviate"
WEAVIATE_BIN="$WEAVIATE_CACHE/weaviate-server-$WEAVIATE_VERSION-loopback$WEAVIATE_PATCH_REVISION"
WEAVIATE_STATE="$STATE_ROOT/weaviate"
WEAVIATE_DATA="$WEAVIATE_STATE/data"
WEAVIATE_PIDFILE="$WEAVIATE_STATE/weaviate.pid"
WEAVIATE_LOG="$WEAVIATE_STATE/weaviate.log"
WEAVIATE_NODE=matchhub-node1
# Dictionary tokenizers to load. Each costs start time and memory (gse ~0.5 GiB, gse_ch
# ~0.3 GiB resident, see BENCHMARKS.md); a collection using one that is off is refused.
WEAVIATE_TOKENIZERS="${MATCHHUB_WEAVIATE_TOKENIZERS-gse,gse_ch}"
# Go 1.21+ fetches the newer toolchain Weaviate's go.mod asks for from the module proxy.
GO_MIN_MINOR=21

weaviate_install_go() {
  local minor
  if ! command -v go >/dev/null 2>&1; then
    apt_install golang-go ca-certificates
  fi
  minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
  [ "$minor" -ge "$GO_MIN_MINOR" ] ||
    die "weaviate: found $(go env GOVERSION); building Weaviate needs Go 1.$GO_MIN_MINOR or newer (install it from https://go.dev/dl and rerun)"
}

# Upstream binds the public gRPC API and the intra-cluster API to every interface, with no
# setting to change it (REST has --host, gossip and Raft have CLUSTER_BIND_ADDR). These edits
# make the three listeners use MATCHHUB_LISTEN_HOST; unset, they behave exactly as upstream.
# Each edit must match exactly once, so a changed upstream file fails loudly here.
weaviate_patch_listen_host() {
  local src="$1" file
  for file in adapters/handlers/grpc/server.go \
    adapters/handlers/rest/clusterapi/grpc/server.go \
    adapters/handlers/rest/clusterapi/serve.go; do
    if [ "$(grep -c 'fmt.Sprintf(":%d",' "$src/$file")" != 1 ] || [ "$(grep -c $'^\t"fmt"$' "$src/$file")" != 1 ]; then
      die "weaviate: $file in $WEAVIATE_VERSION does not look as expected; update weaviate_patch_listen_host"
    fi
    sed -i -e 's/fmt.Sprintf(":%d",/fmt.Sprintf("%s:%d", os.Getenv("MATCHHUB_LISTEN_HOST"),/' \
      -e $'s/^\t"fmt"$/\t"fmt"\\n\t"os"/' "$src/$file"
  done
}

# Builds the server once into ~/.cache/matchhub; later runs reuse the binary.
weaviate_build() {
  [ -x "$WEAVIATE_BIN" ] && return 0
  weaviate_install_go
  local started module_dir src
  started="$(now_ms)"
  mkdir -p "$WEAVIATE_CACHE" "$WEAVIATE_STATE"
  say "weaviate: building $WEAVIATE_MODULE $WEAVIATE_VERSION from its Go module (first run: several minutes on 2 cores; log: $WEAVIATE_STATE/build.log)"
  # `go install module@version` cannot take local edits, so build from a copy of the module
  # as the Go module proxy serves it (same go.mod and go.sum, dependencies from the cache).
  module_dir="$(cd "$WEAVIATE_CACHE" && GOFLAGS=-mod=mod go mod download -json "$WEAVIATE_MODULE@$WEAVIATE_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$module_dir" ] || die "weaviate: go mod download $WEAVIATE_MODULE@$WEAVIATE_VERSION failed"
  src="$WEAVIATE_CACHE/src-$WEAVIATE_VERSION"
  rm -rf "$src"
  cp -R "$module_dir" "$src"
  chmod -R u+w "$src"
  weaviate_patch_listen_host "$src"
  # No -trimpath: the gse tokenizer finds its dictionaries next to its own source file in
  # the module cache (runtime.Caller), so the binary needs the real paths compiled in, and
  # `go clean -modcache` means rebuilding (delete the binary in $WEAVIATE_CACHE).
  if ! (cd "$src" && go build -buildvcs=false -o "$WEAVIATE_BIN.tmp" ./cmd/weaviate-server) \
    >"$WEAVIATE_STATE/build.log" 2>&1; then
    log_tail "$WEAVIATE_STATE/build.log"
    die "weaviate: go build failed (log: $WEAVIATE_STATE/build.log)"
  fi
  mv "$WEAVIATE_BIN.tmp" "$WEAVIATE_BIN"
  rm -rf "$src"
  say "weaviate: built in $(elapsed_s "$started")s -> $WEAVIATE_BIN"
}

tokenizer_enabled() {
  case ",$WEAVIATE_TOKENIZERS," in
    *",$1,"*) echo true ;;
    *) echo false ;;
  esac
}

# HTTP status of a GET on loopback, using only bash (no curl on minimal machines).
http_status() {
  local port="$1" path="$2" line
  exec 3<>"/dev/tcp/$LOOPBACK/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$LOOPBACK" >&3
  IFS= read -r -t 5 line <&3 || true
  exec 3<&-
  line="${line#HTTP/* }"
  echo "${line%% *}"
}

weaviate_ready() { [ "$(http_status "$WEAVIATE_HTTP_PORT" /v1/.well-known/ready 2>/dev/null)" = 200 ]; }

weaviate_up() {
  local started pid tokenizer
  started="$(now_ms)"
  for tokenizer in ${WEAVIATE_TOKENIZERS//,/ }; do
    case "$tokenizer" in
      gse | gse_ch) ;;
      *) die "MATCHHUB_WEAVIATE_TOKENIZERS: unknown tokenizer '$tokenizer'; use a comma list of gse, gse_ch (or set it empty for none)" ;;
    esac
  done
  weaviate_build

  pid="$(read_pid "$WEAVIATE_PIDFILE")"
  if pid_is_ours "$pid" "$WEAVIATE_DATA"; then
    if weaviate_ready; then
      say "weaviate: already running (pid $pid) on http://$LOOPBACK:$WEAVIATE_HTTP_PORT"
      return 0
    fi
    say "weaviate: pid $pid is still starting; waiting for it"
  else
    if [ -n "$pid" ]; then
      say "weaviate: PID file named $pid, which is no longer our Weaviate (killed or crashed); starting a new one"
      rm -f "$WEAVIATE_PIDFILE"
    fi
    require_free_ports WEAVIATE_HTTP_PORT WEAVIATE_GRPC_PORT WEAVIATE_GOSSIP_PORT WEAVIATE_DATA_PORT \
      WEAVIATE_RAFT_PORT WEAVIATE_RAFT_RPC_PORT
    mkdir -p "$WEAVIATE_DATA"
    [ -f "$WEAVIATE_LOG" ] && mv -f "$WEAVIATE_LOG" "$WEAVIATE_LOG.previous"
    # No modules at all: upstream enables every API-based vectorizer/generative module by
    # default, and MatchHub sends its own vectors. Single node: gossip, Raft and the cluster
    # API still listen, so all of them are moved off the default ports and onto loopback.
    # Profiling (:6060 on every interface upstream) and Prometheus are off. gse tokenizes with
    # gse's Japanese dictionary (kanji words overlap Chinese); gse_ch uses its Chinese one.
    setsid env \
      PERSISTENCE_DATA_PATH="$WEAVIATE_DATA" \
      DEFAULT_VECTORIZER_MODULE=none \
      API_BASED_MODULES_DISABLED=true \
      ENABLE_TOKENIZER_GSE="$(tokenizer_enabled gse)" \
      ENABLE_TOKENIZER_GSE_CH="$(tokenizer_enabled gse_ch)" \
      AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED=false \
      AUTHENTICATION_APIKEY_ENABLED=true \
      AUTHENTICATION_APIKEY_ALLOWED_KEYS="$(secret weaviate-api-key)" \
      AUTHENTICATION_APIKEY_USERS=matchhub \
      DISABLE_TELEMETRY=true \
      GO_PROFILING_DISABLE=true \
      PROMETHEUS_MONITORING_ENABLED=false \
      MATCHHUB_LISTEN_HOST="$LOOPBACK" \
      GRPC_PORT="$WEAVIATE_GRPC_PORT" \
      CLUSTER_HOSTNAME="$WEAVIATE_NODE" \
      CLUSTER_BIND_ADDR="$LOOPBACK" \
      CLUSTER_ADVERTISE_ADDR="$LOOPBACK" \
      CLUSTER_GOSSIP_BIND_PORT="$WEAVIATE_GOSSIP_PORT" \
      CLUSTER_DATA_BIND_PORT="$WEAVIATE_DATA_PORT" \
      RAFT_PORT="$WEAVIATE_RAFT_PORT" \
      RAFT_INTERNAL_RPC_PORT="$WEAVIATE_RAFT_RPC_PORT" \
      RAFT_JOIN="$WEAVIATE_NODE" \
      RAFT_BOOTSTRAP_EXPECT=1 \
      "$WEAVIATE_BIN" --host "$LOOPBACK" --port "$WEAVIATE_HTTP_PORT" --scheme http \
      </dev/null >"$WEAVIATE_LOG" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$WEAVIATE_PIDFILE"
  fi

  local deadline=$((SECONDS + ${MATCHHUB_WEAVIATE_START_TIMEOUT:-120}))
  until weaviate_ready; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$WEAVIATE_PIDFILE"
      log_tail "$WEAVIATE_LOG"
      die "weaviate: exited during start-up (log above)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log_tail "$WEAVIATE_LOG"
      die "weaviate: not ready after ${MATCHHUB_WEAVIATE_START_TIMEOUT:-120}s (pid $pid left running; stop it with services/down.sh weaviate)"
    fi
    sleep 0.3
  done
  if grep -q 'Could not load dictionaries' "$WEAVIATE_LOG"; then
    log_tail "$WEAVIATE_LOG"
    die "weaviate: running (pid $pid) but gse has no dictionaries, so gse/gse_ch text would not be searchable; the Go module cache was probably cleaned: run services/down.sh weaviate, delete $WEAVIATE_BIN and rerun services/up.sh weaviate to rebuild"
  fi
  local exposed
  exposed="$(non_loopback_listeners "$pid")"
  [ -z "$exposed" ] || warn "weaviate listens beyond loopback on: $exposed"
  say "weaviate: ready on http://$LOOPBACK:$WEAVIATE_HTTP_PORT (gRPC $WEAVIATE_GRPC_PORT) in $(elapsed_s "$started")s (pid $pid)"
}

weaviate_down() { stop_pid_file "$WEAVIATE_PIDFILE" "$WEAVIATE_DATA" 60 weaviate; }

weaviate_status() {
  local pid
  pid="$(read_pid "$WEAVIATE_PIDFILE")"
  if pid_is_ours "$pid" "$WEAVIATE_DATA"; then
    say "weaviate: running, pid $pid, http://$LOOPBACK:$WEAVIATE_HTTP_PORT, gRPC $WEAVIATE_GRPC_PORT, RSS $(tree_rss_mib "$pid") MiB"
  else
    say "weaviate: stopped${pid:+ (stale PID file names $pid)}"
    return 3
  fi
}

# The settings MatchHub reads for this engine (its part of .services/env).
weaviate_env() {
  cat <<ENV
WEAVIATE_URL=http://$LOOPBACK:$WEAVIATE_HTTP_PORT
WEAVIATE_GRPC_PORT=$WEAVIATE_GRPC_PORT
WEAVIATE_API_KEY=$(secret weaviate-api-key)
ENV
}

case "${1:-}" in
  build) weaviate_build ;;
  up) lock_engine weaviate && remove_engine_env weaviate && weaviate_up && weaviate_env | write_engine_env weaviate ;;
  down) lock_engine weaviate && weaviate_down && remove_engine_env weaviate ;;
  status) weaviate_status || { remove_engine_env weaviate && exit 3; } ;;
  env) weaviate_env ;;
  *) die "usage: $0 build|up|down|status|env" ;;
esac
