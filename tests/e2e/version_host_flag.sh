# A global -H typed before `sandbox` reaches the plugin and is honoured (and wins over
# DOCKER_CONTEXT, as in the CLI).
source "$(dirname "$0")/common.sh"

run_capture docker -H unix:///var/run/docker.sock sandbox version
expect_eq "$rc" 0 "-H exit code"
expect_contains "$out" "Endpoint:      unix:///var/run/docker.sock" "-H endpoint"

run_capture env DOCKER_CONTEXT=does-not-exist docker -H unix:///var/run/docker.sock sandbox version
expect_eq "$rc" 0 "-H beats DOCKER_CONTEXT"

run_capture docker -H unix:///nonexistent.sock sandbox version
expect_eq "$rc" 1 "unreachable engine exit code"
expect_contains "$err" "cannot connect to the Docker daemon at unix:///nonexistent.sock" "unreachable message"
expect_eq "$(printf '%s\n' "$err" | wc -l)" 1 "unreachable error is one line"
