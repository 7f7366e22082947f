# --keep leaves the exited container in place, labelled as a managed sandbox (run id, creation
# time) with the user's labels; --tenant adds the tenant label.
source "$(dirname "$0")/common.sh"

# keep_run ARGS...: runs a kept sandbox and sets $kept to its container id.
keep_run() {
  run_capture docker sandbox run --keep "$@" "$IMAGE" sh -c 'echo kept'
  expect_eq "$rc" 0 "--keep $* exit code ($err)"
  expect_eq "$out" "kept" "--keep $* output"
  kept=$(docker ps -aq --filter label=docker-sandbox.managed=true --filter label=team=x)
  on_exit "docker rm -f $kept >/dev/null 2>&1"
  [ -n "$kept" ] || fail "--keep $*: no container left"
  expect_eq "$(printf '%s\n' "$kept" | wc -l)" 1 "--keep $*: one container kept"
  expect_eq "$(docker inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$kept")" "exited 0" "--keep $*: state"
}

check_labels() { # EXPECTED_TENANT: checks the kept container's labels
  docker inspect --format '{{json .Config.Labels}}' "$kept" | python3 -c '
import json, re, sys
labels = json.load(sys.stdin)
tenant = sys.argv[1]
assert labels.get("docker-sandbox.managed") == "true", labels
assert re.fullmatch(r"[0-9a-f]{12}", labels.get("docker-sandbox.run", "")), labels
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", labels.get("docker-sandbox.created", "")), labels
assert labels.get("team") == "x", labels
if tenant:
    assert labels.get("docker-sandbox.tenant") == tenant, labels
else:
    assert "docker-sandbox.tenant" not in labels, labels
' "$1" || fail "labels of the kept container: $(docker inspect --format '{{json .Config.Labels}}' "$kept")"
}

keep_run --label team=x
check_labels ""
docker rm "$kept" >/dev/null

keep_run --label team=x --tenant acme
check_labels acme
docker rm "$kept" >/dev/null
expect_no_leftovers
