# --isolation gvisor: the locked-down defaults hold as read from inside (non-root, no capability,
# read-only root, no network), and the second wall shows: the code talks to gVisor's kernel, not
# the host's (another kernel version, gVisor's boot log, no /proc/kallsyms).
source "$(dirname "$0")/common.sh"
need_gvisor

run_capture docker sandbox run --isolation gvisor "$IMAGE" sh -c '
id -u; id -g
grep CapEff /proc/self/status
touch /etc/x 2>/dev/null && echo root=writable || echo root=read-only
[ -z "$(ls /sys/class/net 2>/dev/null | grep -vx lo)" ] && echo network=none || ls /sys/class/net
uname -r
dmesg | head -n 1
[ -e /proc/kallsyms ] && echo kallsyms=there || echo kallsyms=absent'
expect_eq "$rc" 0 "run ($err)"
expect_eq "$(printf '%s\n' "$out" | sed -n 1,5p)" "$(printf '65534\n65534\nCapEff:\t0000000000000000\nroot=read-only\nnetwork=none')" "defaults from inside"
kernel=$(printf '%s\n' "$out" | sed -n 6p)
[ "$kernel" != "$(uname -r)" ] || fail "uname -r inside is the host's kernel ($kernel): not behind gVisor"
expect_contains "$(printf '%s\n' "$out" | sed -n 7p)" "Starting gVisor" "gVisor's kernel booted the sandbox"
[ -e /proc/kallsyms ] || fail "the host has no /proc/kallsyms to compare with"
expect_eq "$(printf '%s\n' "$out" | sed -n 8p)" "kallsyms=absent" "the host kernel's symbols are not there"
expect_eq "$err" "" "no warning for a run that only tightens"

# The same image under runc sees the host's kernel: the difference is the wall, not the image.
run_capture docker sandbox run --isolation runc "$IMAGE" uname -r
expect_eq "$out" "$(docker info --format '{{.KernelVersion}}')" "runc shares the engine's kernel"
expect_no_leftovers
