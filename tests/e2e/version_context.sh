# Contexts: --context, -c, DOCKER_CONTEXT and `docker context use` all select the context's
# endpoint; DOCKER_HOST beats DOCKER_CONTEXT.
source "$(dirname "$0")/common.sh"

docker context create sbx-e2e-ctx --docker host=unix:///var/run/docker.sock >/dev/null
docker context create sbx-e2e-bad --docker host=unix:///nonexistent-sbx.sock >/dev/null

run_capture docker --context sbx-e2e-ctx sandbox version
expect_eq "$rc" 0 "--context exit code"
expect_contains "$out" "Context:       sbx-e2e-ctx" "--context"

run_capture docker -c sbx-e2e-ctx sandbox version
expect_contains "$out" "Context:       sbx-e2e-ctx" "-c"

run_capture env DOCKER_CONTEXT=sbx-e2e-ctx docker sandbox version
expect_eq "$rc" 0 "DOCKER_CONTEXT exit code"
expect_contains "$out" "Context:       sbx-e2e-ctx" "DOCKER_CONTEXT"

run_capture env DOCKER_CONTEXT=sbx-e2e-bad docker sandbox version
expect_eq "$rc" 1 "context pointing nowhere"
expect_contains "$err" "unix:///nonexistent-sbx.sock" "the context's host is named"
expect_contains "$err" "sbx-e2e-bad" "the context is named"

run_capture env DOCKER_CONTEXT=sbx-e2e-bad DOCKER_HOST=unix:///var/run/docker.sock docker sandbox version
expect_eq "$rc" 0 "DOCKER_HOST beats DOCKER_CONTEXT"
expect_contains "$out" "Context:       default" "DOCKER_HOST selects default"

docker context use sbx-e2e-ctx >/dev/null
run_capture docker sandbox version
expect_contains "$out" "Context:       sbx-e2e-ctx" "currentContext in config.json"
docker context use default >/dev/null
