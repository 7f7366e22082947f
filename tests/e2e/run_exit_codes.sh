# The exit status is the command's (0, 1, 7); 127 for a command that does not exist, 126 for one that
# cannot be executed, 125 when the plugin refuses to run (a bad flag, an image that is not present
# locally, which is never pulled).
source "$(dirname "$0")/common.sh"

for code in 0 1 7; do
  run_capture docker sandbox run "$IMAGE" sh -c "exit $code"
  expect_eq "$rc" "$code" "exit $code"
done

run_capture docker sandbox run "$IMAGE" no-such-command-sbx
expect_eq "$rc" 127 "missing command"
expect_contains "$err" "no-such-command-sbx" "missing command is named"

run_capture docker sandbox run "$IMAGE" /etc/passwd
expect_eq "$rc" 126 "non-executable file as command"
expect_contains "$err" "/etc/passwd" "non-executable command is named"

run_capture docker sandbox run --no-such-flag "$IMAGE" true
expect_eq "$rc" 125 "bad flag"
expect_contains "$err" "no-such-flag" "bad flag is named"

missing=sbx-e2e-missing-image:never
if docker image inspect "$missing" >/dev/null 2>&1; then
  fail "$missing unexpectedly exists"
fi
run_capture docker sandbox run "$missing" true
expect_eq "$rc" 125 "missing image"
expect_contains "$err" "$missing" "missing image is named"
expect_contains "$err" "not present locally" "missing image message"
expect_contains "$err" "no pull" "missing image: says it was not pulled"
if docker image inspect "$missing" >/dev/null 2>&1; then
  docker rmi "$missing" >/dev/null 2>&1 || true
  fail "the missing image was pulled"
fi
expect_no_leftovers
