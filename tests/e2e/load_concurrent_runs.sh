# 20 concurrent runs with --tenant/--input/--collect on this machine: all succeed, each gets its
# own tenant's data back (never another's), and nothing is left (tests/bench/load_runs.sh).
source "$(dirname "$0")/common.sh"
SANDBOX_TEST_IMAGE=$IMAGE bash "$SANDBOX_SOURCE_DIR/tests/bench/load_runs.sh" 20 || fail "the load run failed"
expect_no_leftovers
