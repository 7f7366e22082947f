# A fork bomb hits the pids limit: fork fails inside (the host is unaffected), the shell gives up
# (busybox sh exits 2) or --timeout stops it (124), no container is left, and the next sandbox
# runs normally.
source "$(dirname "$0")/common.sh"

run_capture docker sandbox run --pids-limit 16 --timeout 3s "$IMAGE" sh -c 'while :; do sleep 60 & done'
case "$rc" in 2 | 124) ;; *) fail "fork bomb: exit status $rc ($err)" ;; esac
case "$err" in
  *"can't fork"* | *"Resource temporarily unavailable"* | *"Cannot fork"*) ;;
  *) fail "the pids limit did not stop the forks: $err" ;;
esac
run_capture docker sandbox run "$IMAGE" echo still-fine
expect_eq "$out" still-fine "the next sandbox runs normally"
expect_no_leftovers
