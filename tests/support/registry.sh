# Starts and stops a real registry for tests and benchmarks: Debian's docker-registry
# (the CNCF distribution registry) on 127.0.0.1 with a generated config file, and the
# fault-injecting proxy in front of it.
#
#   source tests/support/registry.sh
#   registry_start DIR [--tls] [--htpasswd USER PASSWORD] [--log-level info]
#       sets REGISTRY (host:port) and, with --tls, REGISTRY_CA (the self-signed cert to
#       trust, e.g. through SSL_CERT_FILE); its access log is DIR/registry.log (at level
#       info it also has a line per request with the client's address and port,
#       http.request.remoteaddr="127.0.0.1:PORT", so tests can count connections)
#   registry_stop
#   proxy_start DIR RULES.json [--bearer USER:PASSWORD]
#       sets PROXY (host:port) in front of REGISTRY; log DIR/proxy.log; with --bearer it
#       also demands bearer tokens, which it issues at /token (see fault_proxy.py)
#   proxy_stop
# Needs docker-registry, openssl, apache2-utils (htpasswd) and python3. Listens on 127.0.0.1 only.
#
# A second, independent implementation: go-containerregistry's registry (pkg/registry with
# the OCI referrers API on, in memory; tests/support/ggcr_registry), with the same options,
# REGISTRY/REGISTRY_CA and the same access-log shapes in DIR/registry.log:
#   registry_start_ggcr DIR [--tls] [--htpasswd USER PASSWORD] [--log-level info]
#   REGISTRY_IMPL=ggcr|distribution (default distribution): which one registry_start starts,
#       so one test script runs against either (CTest registers some twice)
#   registry_stop stops either. Differences a test may meet: ggcr keeps blobs in one global
#   store (a blob pushed to any repository HEADs 200 in every one, so there is nothing to
#   mount) and serves GET /v2/<name>/referrers/<digest>; docker-registry 2.8 mounts and
#   has no referrers API.
# go_test_tool NAME: path of a Go program the tests need, built once from the Go module
#   proxy into KO_TEST_TOOLS_DIR (default ~/.cache/cmake-ko/test-tools, outside the source
#   tree), keyed by its sources and the Go version, and reused by every later test:
#   ggcr_registry (from tests/support/ggcr_registry/), gocacheprog (tests/support/gocacheprog/,
#   a GOCACHEPROG that records its requests) and oras (oras.land/oras v1.3.6, an independent
#   OCI client); needs Go >= 1.25 and the module proxy (or a warm module cache)
#   the first time. Warm the cache before a parallel ctest run (on a shared machine, under its CPU lock):
#   bash -c 'source tests/support/registry.sh; go_test_tool ggcr_registry; go_test_tool oras'.

REGISTRY=""
REGISTRY_PID=""
REGISTRY_IMPL=${REGISTRY_IMPL:-distribution}
REGISTRY_CA=""
PROXY=""
PROXY_PID=""

registry_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

registry_start() {
  case $REGISTRY_IMPL in
    distribution) registry_start_distribution "$@" ;;
    ggcr) registry_start_ggcr "$@" ;;
    *) echo "registry_start: REGISTRY_IMPL must be distribution or ggcr, not $REGISTRY_IMPL" >&2; return 1 ;;
  esac
}

# Reads the options both implementations take into the caller's locals tls, user,
# password and level (bash functions see their caller's locals).
registry_options() {
  while (($#)); do
    case $1 in
      --tls) tls=1 ;;
      --htpasswd) user=$2 password=$3; shift 2 ;;
      --log-level) level=$2; shift ;;
      *) echo "registry_start: unknown option $1" >&2; return 1 ;;
    esac
    shift
  done
}

registry_start_distribution() {
  local dir=$1 port tls="" user="" password="" level=warn
  shift
  registry_options "$@" || return 1
  command -v docker-registry >/dev/null || { echo "docker-registry is not installed" >&2; return 1; }
  mkdir -p "$dir/storage"
  port=$(registry_free_port)
  {
    echo "version: 0.1"
    echo "log: {level: $level, accesslog: {disabled: false}}"
    echo "storage: {filesystem: {rootdirectory: $dir/storage}, delete: {enabled: true}}"
    echo "http:"
    echo "  addr: 127.0.0.1:$port"
    if [[ -n "$tls" ]]; then
      registry_self_signed "$dir"
      echo "  tls: {certificate: $dir/cert.pem, key: $dir/key.pem}"
    fi
    if [[ -n "$user" ]]; then
      htpasswd -B -b -c "$dir/htpasswd" "$user" "$password" >/dev/null 2>&1
      echo "auth: {htpasswd: {realm: cmake-ko-test, path: $dir/htpasswd}}"
    fi
  } >"$dir/config.yml"
  docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  REGISTRY_PID=$!
  REGISTRY="127.0.0.1:$port"
  registry_wait "$dir" "$tls"
}

registry_start_ggcr() {
  local dir=$1 port tls="" user="" password="" level=warn binary
  shift
  registry_options "$@" || return 1
  binary=$(go_test_tool ggcr_registry) || return 1
  mkdir -p "$dir"
  port=$(registry_free_port)
  local args=(-addr "127.0.0.1:$port" -log "$dir/registry.log" -log-level "$level")
  if [[ -n "$tls" ]]; then
    registry_self_signed "$dir"
    args+=(-tls-cert "$dir/cert.pem" -tls-key "$dir/key.pem")
  fi
  if [[ -n "$user" ]]; then
    (umask 077 && printf '%s\n' "$password" >"$dir/password")
    args+=(-user "$user" -password-file "$dir/password")
  fi
  : >"$dir/registry.log"
  "$binary" "${args[@]}" 2>>"$dir/registry.log" &
  REGISTRY_PID=$!
  REGISTRY="127.0.0.1:$port"
  registry_wait "$dir" "$tls"
}

# registry_self_signed DIR: DIR/cert.pem + DIR/key.pem for 127.0.0.1, trusted through REGISTRY_CA.
registry_self_signed() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$1/key.pem" -out "$1/cert.pem" >/dev/null 2>&1
  REGISTRY_CA="$1/cert.pem"
}

# registry_wait DIR TLS: until the registry started in DIR answers /v2/ (200, or 401 with auth).
registry_wait() {
  local dir=$1 tls=$2 scheme=http status
  [[ -z "$tls" ]] || scheme=https
  for _ in $(seq 1 300); do
    status=$(curl -s -o /dev/null -w '%{http_code}' ${REGISTRY_CA:+--cacert "$REGISTRY_CA"} "$scheme://$REGISTRY/v2/" || true)
    if [[ "$status" == 200 || "$status" == 401 ]]; then return 0; fi
    sleep 0.1
  done
  echo "the registry did not start; its log:" >&2
  cat "$dir/registry.log" >&2
  registry_stop
  return 1
}

# go_test_tool NAME: see the header. The build holds a lock in the cache dir, so parallel
# tests wait for one build instead of racing.
go_test_tool() {
  local name=$1 src="" module="" key dir
  case $name in
    oras) module=oras.land/oras/cmd/oras@v1.3.6 ;;  # an independent OCI client (oras discover)
    *) src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$name"
       [[ -f "$src/go.mod" ]] || { echo "go_test_tool: no Go program $src" >&2; return 1; } ;;
  esac
  command -v go >/dev/null || { echo "go_test_tool: $name needs Go on PATH" >&2; return 1; }
  if [[ -n "$module" ]]; then
    key=$( (go env GOVERSION GOOS GOARCH; echo "$module") | sha256sum | cut -c1-16)
  else
    key=$( (go env GOVERSION GOOS GOARCH; cat "$src"/go.* "$src"/*.go) | sha256sum | cut -c1-16)
  fi
  dir="${KO_TEST_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cmake-ko/test-tools}/$name-$key"
  if [[ ! -x "$dir/$name" ]]; then
    mkdir -p "$dir"
    (
      flock 9
      [[ -x "$dir/$name" ]] && exit 0
      if [[ -n "$module" ]]; then
        mkdir -p "$dir/bin" && GOBIN="$dir/bin" GOFLAGS=-mod=mod CGO_ENABLED=0 go install -trimpath "$module"
      else
        cd "$src" && GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath -o "$dir/bin/$name" .
      fi >"$dir/build.log" 2>&1 ||
        { echo "go_test_tool: building $name failed (needs the Go module proxy the first time):" >&2
          cat "$dir/build.log" >&2; exit 1; }
      mv "$dir/bin/$name" "$dir/$name"
    ) 9>"$dir/.lock" || return 1
  fi
  echo "$dir/$name"
}

proxy_start() {
  local dir=$1 rules=$2
  shift 2
  rm -f "$dir/proxy.port"
  python3 "$(dirname "${BASH_SOURCE[0]}")/fault_proxy.py" --upstream "$REGISTRY" --rules "$rules" \
    --log "$dir/proxy.log" --port-file "$dir/proxy.port" "$@" &
  PROXY_PID=$!
  for _ in $(seq 1 300); do
    if [[ -s "$dir/proxy.port" ]]; then
      PROXY="127.0.0.1:$(cat "$dir/proxy.port")"
      return 0
    fi
    sleep 0.1
  done
  echo "the fault proxy did not start" >&2
  return 1
}

proxy_stop() {
  if [[ -n "$PROXY_PID" ]]; then
    kill "$PROXY_PID" 2>/dev/null || true
    wait "$PROXY_PID" 2>/dev/null || true
  fi
  PROXY_PID=""
}

registry_stop() {
  if [[ -n "$REGISTRY_PID" ]]; then
    kill "$REGISTRY_PID" 2>/dev/null || true
    wait "$REGISTRY_PID" 2>/dev/null || true
  fi
  REGISTRY_PID=""
}
