# A private Docker engine for bench/run: Debian's dockerd (docker.io 20.10) with its data,
# state and socket under one directory, no iptables, no bridge, vfs storage, so it needs
# nothing from the host's Docker (if any) and leaves nothing behind. Sourced by bench/run.
#
#   docker_start DIR   starts it; sets DOCKER (the client command, Debian's /usr/bin/docker
#                      pointed at this engine) or DOCKER_NOTE (why there is none) and returns 1
#   docker_stop        stops it (the EXIT trap), with the containerd it started

DOCKER="" DOCKER_NOTE="" DOCKER_DIR=""

docker_start() {
  local dir=$1 i
  # Debian's client and daemon by path: another docker client may come first on PATH.
  if [[ ! -x /usr/sbin/dockerd || ! -x /usr/bin/docker ]]; then
    DOCKER_NOTE="docker.io is not installed (scripts/install-deps --bench)"
    return 1
  fi
  mkdir -p "$dir"
  DOCKER_DIR=$dir
  /usr/sbin/dockerd --data-root "$dir/data" --exec-root "$dir/exec" -H "unix://$dir/sock" \
    --pidfile "$dir/dockerd.pid" --iptables=false --ip-masq=false --bridge=none \
    --storage-driver=vfs >"$dir/dockerd.log" 2>&1 &
  for ((i = 0; i < 120; i++)); do
    if [[ -S $dir/sock ]] && /usr/bin/docker -H "unix://$dir/sock" version >/dev/null 2>&1; then
      DOCKER="/usr/bin/docker -H unix://$dir/sock"
      return 0
    fi
    kill -0 $! 2>/dev/null || break
    sleep 0.25
  done
  DOCKER_NOTE="dockerd did not start here: $(tail -1 "$dir/dockerd.log")"
  docker_stop
  return 1
}

docker_stop() {
  [[ -n $DOCKER_DIR && -f $DOCKER_DIR/dockerd.pid ]] || return 0
  local pid i
  pid=$(cat "$DOCKER_DIR/dockerd.pid")
  kill "$pid" 2>/dev/null || true
  # dockerd stops the containerd it started before it exits.
  for ((i = 0; i < 80; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$DOCKER_DIR/dockerd.pid"
  DOCKER_DIR=""
}
