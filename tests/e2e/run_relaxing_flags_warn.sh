# Each flag that relaxes a default prints one warning line naming it, and the relaxation is real
# inside the sandbox; the flags that only spell out or tighten a default print nothing.
source "$(dirname "$0")/common.sh"

# warns FLAGS... -- PROBE EXPECTED WARNING
warns() {
  local flags=()
  while [ "$1" != -- ]; do flags+=("$1"); shift; done
  shift
  local probe=$1 expected=$2 warning=$3
  run_capture docker sandbox run "${flags[@]}" "$IMAGE" sh -c "$probe"
  expect_eq "$rc" 0 "${flags[*]}: exit code ($err)"
  expect_eq "$out" "$expected" "${flags[*]}: seen from inside"
  expect_eq "$err" "docker sandbox: warning: $warning" "${flags[*]}: one warning line"
}

status() { echo "grep ^$1: /proc/self/status | tr -d ' \t'"; }
mode_of() { echo "awk '\$2 == \"$1\" { mode = substr(\$4, 1, 2) } END { print mode }' /proc/mounts"; }
cgroup() { echo "if [ -f /sys/fs/cgroup/cgroup.controllers ]; then cat /sys/fs/cgroup/$2; else cat /sys/fs/cgroup/$1; fi"; }
unlimited="m=\$($(cgroup memory/memory.limit_in_bytes memory.max)); [ \"\$m\" = max ] || [ \${#m} -gt 15 ] && echo unlimited"

warns --user 0 -- 'id -u' 0 '--user 0: the sandbox runs as root (uid 0)'
run_capture docker sandbox run --user 0 --cap-add NET_BIND_SERVICE "$IMAGE" sh -c "$(status CapEff)"
expect_eq "$out" CapEff:0000000000000400 "--cap-add NET_BIND_SERVICE is effective"
expect_contains "$err" "docker sandbox: warning: --cap-add NET_BIND_SERVICE: the sandbox gains CAP_NET_BIND_SERVICE" "--cap-add warns"
run_capture docker sandbox run --user 0 --cap-add SYS_ADMIN "$IMAGE" sh -c "$(status CapEff)"
expect_eq "$out" CapEff:0000000000200000 "--cap-add SYS_ADMIN typed by the user runs"
expect_contains "$err" "docker sandbox: warning: --cap-add SYS_ADMIN: with CAP_SYS_ADMIN the sandbox no longer holds on most engines: the code can likely take over the host" "a dangerous capability says so plainly"
warns --seccomp-profile unconfined -- "$(status Seccomp)" Seccomp:0 '--seccomp-profile unconfined: no system call filter'
warns --allow-new-privileges -- "$(status NoNewPrivs)" NoNewPrivs:0 '--allow-new-privileges: setuid programs can gain privileges'
warns --writable-root -- "$(mode_of /)" rw '--writable-root: the root filesystem is writable'
mkdir "$TEST_DIR/writable" && chown 65534:65534 "$TEST_DIR/writable" # the sandbox user's own: no ownership warning
(cd "$TEST_DIR/writable" &&
  warns --workspace-rw --output none -- "$(mode_of /workspace)" rw "--workspace-rw: the sandbox can change the workspace's files")
warns --network bridge -- 'ls /sys/class/net | tr "\n" " "' 'eth0 lo ' '--network bridge: the sandbox can reach the network (bridge)'
warns --runtime runc -- 'echo ran' ran '--runtime runc: this OCI runtime, not the defaults, decides the isolation'
warns --memory 0 -- "$unlimited" unlimited '--memory 0: no memory limit'
warns --pids-limit 0 -- "$(cgroup pids/pids.max pids.max)" max '--pids-limit 0: no process limit'

# Spelling out or tightening a default is silent.
run_capture docker sandbox run --network none --user 1000 --memory 64m --pids-limit 32 "$IMAGE" true
expect_eq "$rc" 0 "quiet flags ($err)"
expect_eq "$err" "" "no warning for flags that relax nothing"
expect_no_leftovers
