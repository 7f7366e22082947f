#!/usr/bin/env bash
# Runs a second, newer Docker engine from Debian's own archive (sid's docker.io,
# 28.5.2, API 1.51; SANDBOX_CHROOT_SUITE=trixie gives 26.1.5, API 1.45, and works
# too) in a cached chroot, so the e2e suite can run against it as well:
#   bash tests/tools/chroot-engine.sh start    build/reuse the chroot, start dockerd, print its socket path
#   bash tests/tools/chroot-engine.sh stop     stop dockerd and all it started, drop the netns (idempotent)
#   bash tests/tools/chroot-engine.sh version  print the engine's server version
# Then: DOCKER_HOST=unix://$(bash tests/tools/chroot-engine.sh start) docker ...
# SANDBOX_CHROOT_FLAVOR=gvisor (what tests/tools/gvisor-engine.sh sets) gives another engine
# beside it, with its own chroot, name, socket and data: Debian's runsc in the chroot,
# registered as the runtime "runsc" in that dockerd's own daemon.json (never the host's).
# dockerd gets its own network and mount namespaces: a second dockerd in the host's
# network namespace would fight the host engine over docker0 and iptables. So its
# `--network host` is that namespace (lo and its own docker0), not the host's.
# The host's /tmp is the chroot's /tmp: the plugin's workspaces under /tmp must be
# the same directories for the engine.
set -euo pipefail
suite=${SANDBOX_CHROOT_SUITE:-sid} # sid has docker.io 28.5.x; trixie (26.1.5, API 1.45) is the fallback
flavor=${SANDBOX_CHROOT_FLAVOR:-}
packages=docker.io
version=1 # bump to force a rebuild when the way the chroot is built changes
name=docker-sandbox-$suite
case "$flavor" in
"") ;;
gvisor)
  packages="docker.io runsc"
  name=docker-sandbox-$suite-gvisor
  ;;
*)
  echo "chroot-engine: unknown SANDBOX_CHROOT_FLAVOR '$flavor' (known: gvisor)" >&2
  exit 2
  ;;
esac
cache=/var/cache/docker-sandbox
run=/run/$name                # visible on the host and, bind-mounted, inside the chroot
data=/var/lib/$name           # images and containers; kept outside the chroot so rebuilds keep them
log=/var/log/$name-dockerd.log
sock=$run/docker.sock
config=$run/daemon.json       # this engine's own daemon.json (the gvisor flavor's runtimes)
pidfile=$run/dockerd.pid
mntns=$run/mntns              # id of dockerd's mount namespace, to find what it left running
gid=$(getent group docker | cut -d: -f3) || gid=0 # the host's docker group owns the socket

die() { echo "chroot-engine: $*" >&2; exit 1; }

# The chroot is keyed by what goes into it, so changing any input gives a fresh one.
chroot_dir() {
  local key
  key=$(printf '%s\n' "$suite" "$packages" "$version" | sha256sum | cut -c1-12)
  echo "$cache/$suite-$key"
}

need_tools() {
  local missing=()
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  command -v unshare >/dev/null || missing+=(util-linux)
  command -v ip >/dev/null || missing+=(iproute2)
  command -v curl >/dev/null || missing+=(curl) # talks to the socket without needing a docker CLI
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "chroot-engine: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2 ||
    { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2; }
}

# Builds into a temp dir next to the final one and renames it: a killed build leaves
# only a temp dir (removed on the next build), never a half chroot that looks ready.
build_chroot() {
  local root=$1 tmp
  [ -x "$root/usr/sbin/dockerd" ] && return 0
  mkdir -p "$cache"
  rm -rf --one-file-system "$cache"/.build-* # leftovers of killed builds
  tmp=$(mktemp -d "$cache/.build-XXXXXX")
  rmdir "$tmp" # mmdebstrap wants a missing or empty target; missing is simplest
  echo "chroot-engine: building $root (about a minute)" >&2
  # Check-Valid-Until: sid's Release file expires after a week and mirrors lag behind.
  # Own mount namespace: mmdebstrap mounts /proc, /sys, /dev in the target, and a
  # killed build would otherwise leave those mounted on the host.
  if ! unshare --mount --propagation private mmdebstrap --variant=minbase \
    --aptopt='Acquire::Check-Valid-Until "false"' --include="$packages" "$suite" "$tmp" >&2; then
    rm -rf "$tmp"
    die "mmdebstrap failed"
  fi
  mv -T "$tmp" "$root"
}

engine_up() {
  [ -S "$sock" ] || return 1
  curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1
}

# The pid from the pidfile, but only while it still is our dockerd (pids get reused).
dockerd_pid() {
  local pid
  [ -f "$pidfile" ] && [ -f "$mntns" ] || return 1
  pid=$(cat "$pidfile")
  [ "$(readlink "/proc/$pid/ns/mnt" 2>/dev/null)" = "$(cat "$mntns")" ] || return 1
  echo "$pid"
}

# Runs inside the new mount namespace (and the netns): mounts the chroot's
# filesystems there, so they vanish with the namespace and never show on the host.
setup_mounts_and_exec() {
  local root=$1
  mount --bind "$root" "$root" # runc makes / rslave: without this, "mount dst=/ ... invalid argument"
  mount -t proc proc "$root/proc"
  mount -t sysfs sysfs "$root/sys" # a fresh sysfs shows this netns's devices
  mount --rbind /sys/fs/cgroup "$root/sys/fs/cgroup" # v1, hybrid or v2: whatever the host has
  mount --rbind /dev "$root/dev"
  mount -t tmpfs tmpfs "$root/run" # exec-root state starts clean on every start
  mkdir -p "$root$run" "$root$data"
  mount --bind "$run" "$root$run" # the socket shows up on the host at the same path
  mount --bind "$data" "$root$data"
  mount --rbind /tmp "$root/tmp" # the plugin puts workspaces under the host's /tmp
  ip link set lo up
  # cgroup parent absolute, like the default /docker: a relative one lands under the
  # caller's cgroup, which on cgroup v2 holds processes and so cannot take children
  # with controllers. Its own docker0 lives in this netns, so `--network bridge`
  # works without touching the host's; --iptables=false: there is no uplink to NAT
  # to, and it spares a dependence on the CI kernel's netfilter modules.
  # The socket's group is the host's docker group by number: the chroot's own
  # docker group has another gid, which would lock out the host's docker users.
  local enter=(chroot "$root")
  if [ -n "$config" ]; then
    # runsc's gofer starts in a new user namespace, which the kernel refuses (EPERM) to a
    # chrooted process: so this engine's root becomes the namespace's root (pivot_root),
    # and the host's is unmounted from it.
    mkdir -p "$root/.host-root"
    cd "$root"
    pivot_root . .host-root
    umount -l /.host-root
    enter=()
  fi
  exec "${enter[@]}" /usr/sbin/dockerd \
    -H "unix://$sock" --group "$gid" --pidfile "$pidfile" \
    --data-root "$data" --exec-root /run/docker-exec \
    --cgroup-parent "/$name" --exec-opt native.cgroupdriver=cgroupfs \
    --iptables=false --ip6tables=false ${config:+--config-file "$config"}
}

# The gvisor flavor's daemon.json, as the README tells users to write theirs. No --platform:
# each runsc takes its own default (systrap in sid's; its ptrace platform panics on this
# kernel, "ptrace set regs failed"). --network=none: runsc refuses to start a container with
# its own network stack in dockerd's network namespace otherwise.
write_config() {
  rm -f "$config"
  [ "$flavor" = gvisor ] || return 0
  cat >"$config" <<'JSON'
{
  "runtimes": {
    "runsc": {"path": "/usr/bin/runsc", "runtimeArgs": ["--network=none"]}
  }
}
JSON
}

start() {
  local root pid
  if engine_up; then
    echo "$sock"
    return 0
  fi
  stop # a dead or half-started engine leaves state that would get in the way
  need_tools
  root=$(chroot_dir)
  build_chroot "$root"
  mkdir -p "$run" "$data"
  write_config
  ip netns add "$name"
  # nsenter (not `ip netns exec`) because the latter remounts /sys and hides the cgroup fs.
  nsenter --net="/run/netns/$name" unshare --mount --propagation private \
    bash -c "set -euo pipefail; readlink /proc/self/ns/mnt >'$mntns';
      run='$run' data='$data' sock='$sock' pidfile='$pidfile' name='$name' gid='$gid'
      config='$([ "$flavor" = gvisor ] && echo "$config")'
      $(declare -f setup_mounts_and_exec); setup_mounts_and_exec '$root'" \
    >"$log" 2>&1 </dev/null &
  pid=$!
  for _ in $(seq 1 120); do
    if engine_up; then
      echo "$sock"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "chroot-engine: dockerd did not come up; last lines of $log:" >&2
  tail -n 20 "$log" >&2
  stop
  exit 1
}

# Kills every process still in dockerd's mount namespace: containerd and the shims
# inherit it (the containers themselves get their own and are found by cgroup).
kill_namespace() {
  local ns p
  [ -f "$mntns" ] || return 0
  ns=$(cat "$mntns")
  # A stale record could name a namespace number reused since: never ours or the host's.
  [ "$ns" != "$(readlink /proc/self/ns/mnt)" ] && [ "$ns" != "$(readlink /proc/1/ns/mnt)" ] || return 0
  for p in /proc/[0-9]*; do
    if [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$ns" ]; then
      kill -9 "${p#/proc/}" 2>/dev/null || true
    fi
  done
}

# Kills what is left in the containers' cgroups and removes them. A relative
# --cgroup-parent lands under dockerd's own cgroup in each hierarchy (e.g. memory
# may sit a few levels down), so look for it rather than assume the top level.
kill_cgroups() {
  local dir pid
  find /sys/fs/cgroup -maxdepth 6 -type d -name "$name" -prune 2>/dev/null |
    while read -r dir; do
      find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null |
        while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done
      sleep 0.1
      find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
}

# Waits up to $2 half-seconds for process $1 to go away.
wait_gone() {
  local pid=$1
  for _ in $(seq 1 "$2"); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  return 1
}

stop() {
  local pid
  pid=$(dockerd_pid || true)
  # Containers first: on TERM dockerd gives each running one 10s to stop, which
  # a test engine need not wait for. Then TERM lets dockerd stop its containerd.
  kill_cgroups
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    wait_gone "$pid" 60 || true
  fi
  kill_namespace
  kill_cgroups
  sleep 0.2 # let the killed processes exit before looking again
  kill_namespace
  if ip netns list | grep -qx "$name\( .*\)\?"; then
    ip netns delete "$name"
  fi
  rm -f "$pidfile" "$mntns" "$sock"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
version)
  engine_up || die "not running"
  curl -sf --unix-socket "$sock" http://localhost/version |
    sed -E 's/.*"Components":\[\{"Name":"Engine","Version":"([^"]*)".*"ApiVersion":"([^"]*)".*/\1 (API \2)/'
  ;;
*)
  echo "usage: $0 start|stop|version" >&2
  exit 2
  ;;
esac
