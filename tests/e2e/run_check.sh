# docker sandbox run --check reports, from inside the sandbox, what the process can do, and
# every finding matches the settings: for the defaults and for each flag that relaxes one.
source "$(dirname "$0")/common.sh"
mkdir -p output

# check "FLAGS" ROW FOUND...: --check with FLAGS passes, and ROW shows FOUND.
check() {
  local flags=$1
  shift
  run_capture docker sandbox run --check $flags "$IMAGE"
  expect_eq "$rc" 0 "--check $flags: every finding matches ($out $err)"
  while [ $# -gt 0 ]; do
    local row found
    row=$(printf '%s\n' "$out" | grep -F "  $1 " | head -n 1)
    [ -n "$row" ] || fail "--check $flags: no row \"$1\" in: $out"
    found=$(printf '%s\n' "$row" | awk '{print $(NF-1)}')
    expect_eq "$found" "$2" "--check $flags: $1"
    shift 2
  done
  expect_no_leftovers
}

check "" "user id" 65534 "capabilities it could ever hold (CapBnd)" 0000000000000000 "no-new-privileges" 1 \
  "seccomp mode (2: filter)" 2 "network interfaces" lo "process limit" 512 "mount /" ro "mount /workspace" ro \
  "write /workspace/output as the sandbox user" yes "write /tmp as the sandbox user" yes "execute from /tmp" no
check "--user 0" "user id" 0 "capabilities in effect (CapEff)" 0000000000000000
check "--cap-add NET_RAW" "capabilities it could ever hold (CapBnd)" 0000000000002000 "capabilities in effect (CapEff)" 0000000000000000
check "--user 0 --cap-add NET_RAW" "capabilities in effect (CapEff)" 0000000000002000
check "--allow-new-privileges" "no-new-privileges" 0
check "--seccomp-profile unconfined" "seccomp mode (2: filter)" 0
check "--network bridge" "network interfaces" lo,eth0
check "--writable-root" "mount /" rw
check "--tmpfs /scratch:exec" "execute from /scratch" yes "write /scratch as the sandbox user" yes
check "--tmpfs /tmp:exec" "execute from /tmp" yes
check "--exclude node_modules" "execute from /workspace/node_modules" yes
check "--workspace-rw" "mount /workspace" rw
check "--pids-limit 0 --memory 0" "process limit" max
check "--pids-limit 64 --memory 256m" "process limit" 64 "memory limit (bytes)" 268435456

# An image without a shell cannot be checked: one clear line.
tar -cf - --files-from /dev/null | docker import - docker-sandbox-empty-check:1 >/dev/null
on_exit "docker rmi -f docker-sandbox-empty-check:1 >/dev/null"
run_capture docker sandbox run --check docker-sandbox-empty-check:1
[ "$rc" -ne 0 ] || fail "--check on an image without /bin/sh succeeded"
expect_contains "$err" "POSIX shell" "why"
expect_no_leftovers
