#!/usr/bin/env bash
# Runs a rootless Docker engine (Debian's docker.io dockerd inside rootlesskit) as a dedicated
# non-root user, so that e2e tests can check rootless behaviour. Needs root.
#   bash tests/tools/rootless-engine.sh start   install/create what is missing, start the engine,
#                                               print "user=NAME" and "host=unix:///…/docker.sock"
#   bash tests/tools/rootless-engine.sh stop    stop that engine (idempotent); keeps the user and
#                                               its storage so that the next start is fast
# Use it as the user:  runuser -u NAME -- env DOCKER_HOST=unix:///… docker …
# Environment: SBX_ROOTLESS_USER (default sbx-rootless), SBX_ROOTLESS_LOG,
#   SBX_ROOTLESS_DOCKERD_FLAGS (extra dockerd flags, e.g. "--storage-driver vfs").
set -euo pipefail
user=${SBX_ROOTLESS_USER:-sbx-rootless}
log=${SBX_ROOTLESS_LOG:-/var/log/docker-sandbox-rootless.log}
# Root-owned, outside the user's reach: holds the pid of rootlesskit (the session leader).
state=/run/docker-sandbox-rootless-$user.pid
script=/usr/share/docker.io/contrib/dockerd-rootless.sh

die() {
  echo "rootless-engine: $*" >&2
  exit 1
}

# Installs the packages that are missing. uidmap gives newuidmap/newgidmap (setuid), which
# rootlesskit needs to map the subordinate ids. slirp4netns, fuse-overlayfs and
# dbus-user-session are not needed: we use the host network and no systemd user session.
install_packages() {
  local p missing=()
  for p in docker.io rootlesskit uidmap; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "rootless-engine: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  [ -x "$script" ] || die "$script is missing (docker.io too old?)"
}

# Creates the user and its subordinate id ranges (useradd adds them on Debian 12, but not
# when the user already existed or SUB_UID_COUNT is 0).
ensure_user() {
  if ! id -u "$user" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash --comment "docker-sandbox rootless e2e" "$user"
  fi
  local uid f first
  uid=$(id -u "$user")
  for f in subuid subgid; do
    grep -q "^\($user\|$uid\):" "/etc/$f" 2>/dev/null && continue
    # 65536 ids after the last range in use, so that no two users share subordinate ids.
    first=$(awk -F: 'BEGIN { n = 100000 } $2 + $3 > n { n = $2 + $3 } END { print n }' "/etc/$f" 2>/dev/null || echo 100000)
    usermod "--add-${f}s" "$first-$((first + 65535))" "$user"
  done
}

uid() { id -u "$user"; }
home() { getent passwd "$user" | cut -d: -f6; }
# dockerd-rootless uses $XDG_RUNTIME_DIR for its socket, pid file and exec root.
rundir() { echo "/run/user/$(uid)"; }
sock() { echo "$(rundir)/docker.sock"; }

# Runs a command as the user with a clean environment (no root HOME, DOCKER_HOST, …).
as_user() {
  setpriv --reuid="$(uid)" --regid="$(id -g "$user")" --init-groups \
    env -i HOME="$(home)" USER="$user" LOGNAME="$user" PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    XDG_RUNTIME_DIR="$(rundir)" "$@"
}

engine_up() { as_user env DOCKER_HOST="unix://$(sock)" docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# Pid of our rootlesskit, if it is still the process we started.
running_pid() {
  local pid
  [ -f "$state" ] || return 1
  pid=$(cat "$state")
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = rootlesskit ] || return 1
  [ "$(stat -c %u "/proc/$pid")" = "$(uid)" ] || return 1
  echo "$pid"
}

start() {
  install_packages
  ensure_user
  # No systemd-logind here to create the runtime dir; the script refuses to run without it.
  install -d -m 700 -o "$user" -g "$(id -g "$user")" "$(rundir)"
  if running_pid >/dev/null && engine_up; then
    report
    return 0
  fi
  stop # a half-dead previous run, or a stale socket/pid
  # /dev/net/tun is often root-only (0600), which breaks slirp4netns and vpnkit; the tests'
  # containers use --network none, so rootlesskit's host network is enough. The host network
  # namespace is not ours: no bridge, no iptables, no port driver. dockerd then fails (EPERM)
  # to delete the host's docker0 because of --bridge none; that warning is harmless.
  # The storage driver is left to dockerd: overlay2 works rootless on kernels >= 5.11.
  # setsid: its own session, so that the caller's Ctrl-C or job teardown does not reach it.
  # shellcheck disable=SC2086 # SBX_ROOTLESS_DOCKERD_FLAGS is a list of words
  setsid setpriv --reuid="$(uid)" --regid="$(id -g "$user")" --init-groups \
    env -i HOME="$(home)" USER="$user" LOGNAME="$user" PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    XDG_RUNTIME_DIR="$(rundir)" DOCKERD_ROOTLESS_ROOTLESSKIT_NET=host \
    DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER=none \
    "$script" --host "unix://$(sock)" --bridge none --iptables=false --ip-forward=false \
    ${SBX_ROOTLESS_DOCKERD_FLAGS:-} </dev/null >"$log" 2>&1 &
  # setsid and setpriv, env and the script exec in place, so $! becomes rootlesskit's pid.
  echo $! >"$state"
  local pid=$!
  for _ in $(seq 1 240); do
    if engine_up; then
      report
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  echo "rootless-engine: dockerd did not come up; last lines of $log:" >&2
  grep -v '^+ ' "$log" | tail -n 20 >&2
  stop
  exit 1
}

report() {
  echo "user=$user"
  echo "host=unix://$(sock)"
}

# rootlesskit ($1) and every process in its user namespace: dockerd, containerd, and the
# shims and containers that got reparented to init (so they are not its descendants).
engine_pids() {
  local child ns p
  echo "$1"
  child=$(pgrep -P "$1" | head -n 1) || return 0
  ns=$(readlink "/proc/$child/ns/user") || return 0
  # The user can make any process look like rootlesskit: never the host's own user namespace.
  [ "$ns" != "$(readlink /proc/1/ns/user)" ] || return 0
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/ns/user" 2>/dev/null)" = "$ns" ] && echo "${p#/proc/}"
  done
  return 0
}

# Waits up to $2 half-seconds for pid $1 to exit.
wait_gone() {
  local i
  for ((i = 0; i < $2; i++)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.5
  done
  return 1
}

stop() {
  id -u "$user" >/dev/null 2>&1 || { rm -f "$state"; return 0; }
  local pid
  if pid=$(running_pid); then
    # rootlesskit forwards SIGTERM to dockerd, which stops its containers and containerd;
    # rootlesskit exits with it.
    kill "$pid" 2>/dev/null || true
    # dockerd gives running containers 10 s to stop before it exits.
    if ! wait_gone "$pid" 60; then
      # shellcheck disable=SC2046 # one pid a word
      kill -KILL $(engine_pids "$pid") 2>/dev/null || true
      wait_gone "$pid" 10 || die "rootlesskit $pid does not exit"
    fi
  fi
  rm -f "$state" "$(sock)" "$(rundir)/docker.pid"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
