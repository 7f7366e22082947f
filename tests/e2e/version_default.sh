# `docker sandbox version` reaches the engine the docker CLI uses and reports its version and the
# negotiated API version.
source "$(dirname "$0")/common.sh"

engine_version=$(docker version --format '{{.Server.Version}}')
engine_api=$(docker version --format '{{.Server.APIVersion}}')
run_capture docker sandbox version
expect_eq "$rc" 0 "version exit code"
expect_contains "$out" "Version:       $engine_version" "engine version"
expect_contains "$out" "Endpoint:      unix:///var/run/docker.sock" "endpoint"
expect_contains "$out" "Context:       default" "context"

run_capture docker sandbox version --format json
python3 - "$out" "$engine_version" <<'PY'
import json, sys
v = json.loads(sys.argv[1])
assert v["Server"]["Version"] == sys.argv[2], v
major, minor = map(int, v["Client"]["ApiVersion"].split("."))
assert (major, minor) >= (1, 41), v
PY

# A DOCKER_API_VERSION newer than the plugin speaks (set for a newer engine or client) is not a
# failure: one warning, then the version is negotiated, and commands work.
run_capture env DOCKER_API_VERSION=1.99 docker sandbox version
expect_eq "$rc" 0 "version with DOCKER_API_VERSION=1.99 ($err)"
expect_contains "$err" "DOCKER_API_VERSION 1.99 is newer than docker-sandbox speaks" "one warning"
expect_contains "$out" "(negotiated)" "negotiated instead"
run_capture env DOCKER_API_VERSION=1.99 docker sandbox run --output none "$IMAGE" echo ran
expect_eq "$out" "ran" "a run with DOCKER_API_VERSION=1.99 ($err)"
