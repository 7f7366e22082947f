# A sandbox that exceeds --memory is killed (exit 137) and the plugin says that the memory limit did it.
source "$(dirname "$0")/common.sh"

run_capture docker sandbox run --memory 8m "$IMAGE" sh -c 's=xxxxxxxxxxxxxxxx; while :; do s="$s$s"; done'
expect_eq "$rc" 137 "exit code of an OOM kill"
expect_contains "$err" "killed: memory limit 8m reached" "the OOM kill is explained"
expect_no_leftovers
