# --dry-run with --api-version plans without any engine (text and JSON), sends nothing, creates
# nothing; without --api-version and without an engine it says how to plan offline.
source "$(dirname "$0")/common.sh"

run_capture env DOCKER_HOST=unix:///nonexistent.sock docker sandbox run --dry-run --api-version 1.41 "$IMAGE" echo hi
expect_eq "$rc" 0 "offline dry run exit code"
expect_contains "$out" "POST /v1.41/containers/create?name=docker-sandbox-" "create request"
expect_contains "$out" '"ReadonlyRootfs": true' "pretty JSON body"
expect_contains "$out" "DELETE /v1.41/containers/{create.Id}?force=1&v=1" "cleanup request"
[ ! -e output ] || fail "a dry run created the output directory"

run_capture env DOCKER_HOST=unix:///nonexistent.sock docker sandbox run --dry-run=json --api-version 1.47 "$IMAGE" true
expect_eq "$rc" 0 "json dry run exit code"
python3 - "$out" <<'PY'
import json, sys
steps = json.loads(sys.argv[1])
def create_body_image(steps):
    return next(s for s in steps if s["step"] == "create")["body"]["Image"]
paths = [s["method"] + " " + s["path"] for s in steps]
assert paths[0] == "POST /v1.47/containers/create", paths
assert create_body_image(steps) == "docker-sandbox-busybox:latest"
assert steps[-1]["cleanup"] is True and steps[-1]["method"] == "DELETE", steps[-1]
create = next(s for s in steps if s["step"] == "create")
assert create["body"]["HostConfig"]["NetworkMode"] == "none"
PY

run_capture env DOCKER_HOST=unix:///nonexistent.sock docker sandbox run --dry-run "$IMAGE" true
expect_eq "$rc" 125 "dry run without engine or version"
expect_contains "$err" "--api-version" "hint to pin a version"
