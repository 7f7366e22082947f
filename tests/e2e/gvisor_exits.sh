# --isolation gvisor: exit codes as docker run gives them (the command's own, 127 for a missing
# command, 128+N for a signal), --timeout stops it with 124, the memory limit's OOM kill is
# reported as such, and a fork bomb ends against the pids limit (gVisor's host threads count
# against it: the sandbox ends as a whole, exit 2) without reaching the timeout.
source "$(dirname "$0")/common.sh"
need_gvisor

g() { run_capture docker sandbox run --isolation gvisor "$@"; }

g "$IMAGE" sh -c 'exit 7'
expect_eq "$rc" 7 "the command's exit code ($err)"
g "$IMAGE" no-such-command
expect_eq "$rc" 127 "a missing command ($err)"
g "$IMAGE" sh -c 'kill -KILL $$'
expect_eq "$rc" 137 "killed by SIGKILL ($err)"
g "$IMAGE" sh -c 'kill -TERM $$'
expect_eq "$rc" 143 "killed by SIGTERM ($err)"

start=$(date +%s)
g --timeout 1s "$IMAGE" sleep 30
expect_eq "$rc" 124 "timeout ($err)"
expect_contains "$err" "timed out: the sandbox ran longer than --timeout 1s" "the timeout is said"
[ $(($(date +%s) - start)) -lt 15 ] || fail "the timeout took $(($(date +%s) - start))s"

g --memory 32m "$IMAGE" sh -c 's=xxxxxxxxxxxxxxxx; while :; do s="$s$s"; done'
expect_eq "$rc" 137 "an OOM kill ($err)"
expect_contains "$err" "killed: memory limit 32m reached" "the OOM kill is explained"

g --timeout 60s "$IMAGE" sh -c 'f() { f | f & }; f; sleep 50'
[ "$rc" != 124 ] || fail "the fork bomb ran until the timeout: the pids limit did not hold ($err)"
[ "$rc" != 0 ] || fail "the fork bomb ended well ($err)"
# A pids limit that gVisor's own tasks would use up is refused in one line, before anything is
# created (it would end the sandbox with exit 2 and nothing said).
run_capture docker sandbox run --isolation gvisor --pids-limit 30 "$IMAGE" true
expect_eq "$rc" 125 "--pids-limit 30 behind gVisor"
expect_contains "$err" "gVisor's own tasks count against the limit" "--pids-limit 30 behind gVisor says why"
expect_no_leftovers
