# run --check behind gVisor: it tells gVisor's kernel from the host's, reports no false mismatch for
# what gVisor does not show inside (Seccomp 0, no NoNewPrivs line, no cgroup limits), says what holds
# instead, and still checks what the code can see: ids, capabilities, mounts, writes, exec, network.
source "$(dirname "$0")/common.sh"
need_gvisor

run_capture docker sandbox run --isolation gvisor --check "$IMAGE"
expect_eq "$rc" 0 "--check behind gVisor ($err)"
row() { printf '%s\n' "$out" | grep -F "  $1 " | awk '{ print $NF }'; }
expect_contains "$(printf '%s\n' "$out" | grep -F 'kernel the code talks to')" "gvisor              gvisor" "gVisor detected"
for what in "user id" "capabilities in effect (CapEff)" "no-new-privileges" "seccomp mode (2: filter)" "network interfaces" \
  "mount /workspace" "write /workspace as the sandbox user" "execute from /tmp"; do
  expect_eq "$(row "$what")" ok "$what"
done
expect_contains "$out" "behind gVisor: the code's system calls are answered by gVisor's kernel" "what holds instead"

# The same engine's runc: the host's kernel, with its own seccomp and no-new-privileges.
run_capture docker sandbox run --isolation runc --check "$IMAGE"
expect_eq "$rc" 0 "--check on runc ($err)"
expect_contains "$(printf '%s\n' "$out" | grep -F 'kernel the code talks to')" "host                host" "the host's kernel"
expect_no_leftovers
