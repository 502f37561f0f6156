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

REGISTRY=""
REGISTRY_PID=""
REGISTRY_CA=""
PROXY=""
PROXY_PID=""

registry_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

registry_start() {
  local dir=$1 port tls="" user="" password="" level=warn
  shift
  while (($#)); do
    case $1 in
      --tls) tls=1 ;;
      --htpasswd) user=$2 password=$3; shift 2 ;;
      --log-level) level=$2; shift ;;
      *) echo "registry_start: unknown option $1" >&2; return 1 ;;
    esac
    shift
  done
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
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
        -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
        -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1
      echo "  tls: {certificate: $dir/cert.pem, key: $dir/key.pem}"
      REGISTRY_CA="$dir/cert.pem"
    fi
    if [[ -n "$user" ]]; then
      htpasswd -B -b -c "$dir/htpasswd" "$user" "$password" >/dev/null 2>&1
      echo "auth: {htpasswd: {realm: cmake-ko-test, path: $dir/htpasswd}}"
    fi
  } >"$dir/config.yml"
  docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  REGISTRY_PID=$!
  REGISTRY="127.0.0.1:$port"
  local scheme=http status
  [[ -z "$tls" ]] || scheme=https
  for _ in $(seq 1 100); do
    status=$(curl -s -o /dev/null -w '%{http_code}' ${REGISTRY_CA:+--cacert "$REGISTRY_CA"} "$scheme://$REGISTRY/v2/" || true)
    if [[ "$status" == 200 || "$status" == 401 ]]; then return 0; fi
    sleep 0.1
  done
  echo "the registry did not start; its log:" >&2
  cat "$dir/registry.log" >&2
  registry_stop
  return 1
}

proxy_start() {
  local dir=$1 rules=$2
  shift 2
  rm -f "$dir/proxy.port"
  python3 "$(dirname "${BASH_SOURCE[0]}")/fault_proxy.py" --upstream "$REGISTRY" --rules "$rules" \
    --log "$dir/proxy.log" --port-file "$dir/proxy.port" "$@" &
  PROXY_PID=$!
  for _ in $(seq 1 100); do
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
