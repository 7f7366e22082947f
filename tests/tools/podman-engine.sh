#!/usr/bin/env bash
# Starts Debian's podman as a Docker-compatible engine on a socket of its own, beside (never
# instead of) any dockerd on the machine, so that the e2e suite can run against it:
#   bash tests/tools/podman-engine.sh start   install podman if missing, start its API service;
#                                             prints the socket's DOCKER_HOST (unix:///...)
#   bash tests/tools/podman-engine.sh stop    stop the service that `start` started (the storage,
#                                             its images, containers and volumes, stays)
# Then: DOCKER_HOST=$(bash tests/tools/podman-engine.sh start) bash tests/tools/make-image.sh
#       SANDBOX_E2E_DOCKER_HOST=unix:///run/sbx-podman/podman.sock ctest --test-dir build -L e2e
set -euo pipefail
dir=${SANDBOX_PODMAN_DIR:-/run/sbx-podman}
socket=$dir/podman.sock
state=$dir/service.pid
log=${SANDBOX_PODMAN_LOG:-/var/log/docker-sandbox-podman.log}
host=unix://$socket

engine_up() { DOCKER_HOST=$host docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

case "${1:-}" in
start)
  if [ "$(id -u)" != 0 ]; then
    echo "podman-engine: run as root (the suite needs a rootful podman)" >&2
    exit 1
  fi
  if engine_up; then
    echo "$host"
    exit 0
  fi
  if ! command -v podman >/dev/null || ! [ -x /usr/bin/catatonit ] || ! command -v runc >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      podman runc catatonit uidmap slirp4netns fuse-overlayfs >/dev/null
  fi
  mkdir -p "$dir"
  # Podman raises RLIMIT_NOFILE and RLIMIT_NPROC of every container to its own defaults; where
  # the bounding set lacks CAP_SYS_RESOURCE (a container, a CI runner), crun cannot, and every
  # start fails with "setrlimit RLIMIT_NOFILE: Operation not permitted". Limits no higher than
  # the service's own are always allowed (podman caps its own RLIMIT_NPROC at 32768). The file
  # is this service's alone (CONTAINERS_CONF), not /etc/containers.
  conf=$dir/containers.conf
  nproc=$(ulimit -Hu)
  if [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; then
    nproc=32768
  fi
  # runc, not crun: crun 1.8 refuses a host with cgroup v1 and the unified v2 hierarchy both
  # mounted ("cgroups in hybrid mode not supported"); cgroupfs, as there may be no systemd.
  printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\ninit_path = "/usr/bin/catatonit"\n' \
    "$(ulimit -Hn)" "$(ulimit -Hn)" "$nproc" "$nproc" >"$conf"
  printf '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' >>"$conf"
  if [ -f "$state" ] && kill -0 "$(cat "$state")" 2>/dev/null; then
    echo "podman-engine: a service (pid $(cat "$state")) holds $state but $host does not answer" >&2
    exit 1
  fi
  rm -f "$socket" # stale socket of a service that is gone
  # In $dir, not the caller's directory: Podman 4.3's conmon (2.1.6) writes its marker of an OOM
  # kill, a file named oom, into the directory it was started in (the service's).
  CONTAINERS_CONF=$conf nohup env -C "$dir" podman system service --time=0 "$host" >"$log" 2>&1 &
  echo $! >"$state"
  for _ in $(seq 1 60); do
    if engine_up; then
      # As Debian's docker.sock: the docker group may use it (the suite's non-root user is in it).
      # Like dockerd's, this socket is root on the host to whoever can open it.
      if getent group docker >/dev/null; then
        chgrp docker "$socket"
        chmod 660 "$socket"
      fi
      echo "$host"
      exit 0
    fi
    if ! kill -0 "$(cat "$state")" 2>/dev/null; then
      break
    fi
    sleep 0.5
  done
  echo "podman-engine: podman did not come up on $host; last lines of $log:" >&2
  tail -n 20 "$log" >&2
  exit 1
  ;;
stop)
  [ -f "$state" ] || exit 0
  pid=$(cat "$state")
  rm -f "$state"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$socket"
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
