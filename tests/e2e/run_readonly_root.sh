# The root filesystem is read-only (even for --user 0, so not a permission error);
# --writable-root makes it writable.
source "$(dirname "$0")/common.sh"

run_capture docker sandbox run "$IMAGE" sh -c 'echo x > /probe'
[ "$rc" -ne 0 ] || fail "writing to / succeeded on a read-only root"
expect_contains "$err" "Read-only file system" "write to / as the default user"

run_capture docker sandbox run --user 0 "$IMAGE" sh -c 'echo x > /etc/probe'
[ "$rc" -ne 0 ] || fail "writing to /etc as uid 0 succeeded on a read-only root"
expect_contains "$err" "Read-only file system" "write to /etc as uid 0"

run_capture docker sandbox run --user 0 --writable-root "$IMAGE" sh -c 'echo x > /probe && cat /probe && echo y > /etc/probe && cat /etc/probe'
expect_eq "$rc" 0 "--writable-root write exit code ($err)"
expect_eq "$out" "$(printf 'x\ny')" "files written with --writable-root"
expect_no_leftovers
