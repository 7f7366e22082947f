# An unknown context fails with one clear line naming it, exit 1, like the CLI.
source "$(dirname "$0")/common.sh"

run_capture docker --context no-such-ctx sandbox version
expect_eq "$rc" 1 "exit code"
expect_contains "$err" 'context "no-such-ctx": context not found' "message names the context"

run_capture env DOCKER_CONTEXT=no-such-ctx docker sandbox version
expect_eq "$rc" 1 "DOCKER_CONTEXT exit code"
expect_contains "$err" 'context "no-such-ctx"' "DOCKER_CONTEXT message"
