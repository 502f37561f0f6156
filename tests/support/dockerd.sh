# Starts and stops a private Docker daemon for tests: Debian's docker.io (dockerd 20.10) with
# its data, state and socket in one directory, no bridge network and no iptables rules (the
# containers the tests run use --network none), the vfs storage driver (no overlay mounts).
#
#   source tests/support/dockerd.sh
#   dockerd_start DIR   sets DOCKER_HOST=unix://DIR/sock (exported) and DOCKER (the client
#                       to use: Debian's /usr/bin/docker, which matches the daemon, if present);
#                       its log is DIR/dockerd.log. Returns 77 (skip) when not root: dockerd
#                       needs root.
#   dockerd_stop        stops it (and the containerd it started); call it from the EXIT trap.
# Registries on 127.0.0.0/8 need no insecure-registries setting: dockerd allows plain HTTP there.

DOCKERD_PID=""
DOCKER=""

dockerd_start() {
  local dir=$1
  [[ $(id -u) -eq 0 ]] || { echo "skip: dockerd needs root" >&2; return 77; }
  command -v dockerd >/dev/null || { echo "dockerd is not installed (scripts/install-deps installs docker.io)" >&2; return 1; }
  DOCKER=/usr/bin/docker
  [[ -x $DOCKER ]] || DOCKER=$(command -v docker) || { echo "no docker client" >&2; return 1; }
  mkdir -p "$dir/data" "$dir/exec"
  dockerd --data-root "$dir/data" --exec-root "$dir/exec" -H "unix://$dir/sock" --pidfile "$dir/dockerd.pid" \
    --iptables=false --ip-masq=false --bridge=none --storage-driver=vfs >"$dir/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  export DOCKER_HOST="unix://$dir/sock"
  for _ in $(seq 1 300); do
    if "$DOCKER" version >/dev/null 2>&1; then return 0; fi
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "dockerd did not start; its log:" >&2
  tail -20 "$dir/dockerd.log" >&2
  dockerd_stop
  return 1
}

dockerd_stop() {
  if [[ -n "$DOCKERD_PID" ]]; then
    kill "$DOCKERD_PID" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$DOCKERD_PID" 2>/dev/null || true
    wait "$DOCKERD_PID" 2>/dev/null || true
  fi
  DOCKERD_PID=""
}
