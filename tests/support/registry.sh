# Starts and stops a real registry for tests and benchmarks: Debian's docker-registry
# (the CNCF distribution registry) on 127.0.0.1 with a generated config file.
#
#   source tests/support/registry.sh
#   registry_start DIR            # sets REGISTRY (host:port); stopped by registry_stop
#   registry_stop
# Needs the docker-registry package. Only ever listens on 127.0.0.1.

REGISTRY=""
REGISTRY_PID=""

registry_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

registry_start() {
  local dir=$1 port
  command -v docker-registry >/dev/null || { echo "docker-registry is not installed" >&2; return 1; }
  mkdir -p "$dir/storage"
  port=$(registry_free_port)
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
  docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  REGISTRY_PID=$!
  REGISTRY="127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if curl -fsS "http://$REGISTRY/v2/" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "the registry did not start; its log:" >&2
  cat "$dir/registry.log" >&2
  registry_stop
  return 1
}

registry_stop() {
  if [[ -n "$REGISTRY_PID" ]]; then
    kill "$REGISTRY_PID" 2>/dev/null || true
    wait "$REGISTRY_PID" 2>/dev/null || true
  fi
  REGISTRY_PID=""
}
