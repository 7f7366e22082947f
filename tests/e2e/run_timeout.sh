# --timeout stops a sandbox that runs too long: exit 124 within seconds, a message that says so, and
# the container is removed.
source "$(dirname "$0")/common.sh"

start=$(date +%s%N)
run_capture docker sandbox run --timeout 1s "$IMAGE" sleep 30
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
expect_eq "$rc" 124 "exit code after --timeout ($err)"
[ "$elapsed_ms" -lt 8000 ] || fail "--timeout 1s took ${elapsed_ms} ms"
expect_contains "$err" "timed out" "the timeout is reported"
expect_contains "$err" "--timeout 1s" "the message names the limit"
expect_no_leftovers
