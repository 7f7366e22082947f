# A rootless dockerd (Debian's, inside rootlesskit, for a non-root user): run finds it rootless
# in /info and runs the sandbox as the engine's uid 0, which is the invoker outside, so ./output
# is written and owned as the invoker (a subordinate uid could do neither). Limits the engine
# cannot enforce (no cgroups rootless on cgroup v1) are said in one line, and doctor agrees with
# itself about user namespaces.
source "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || fail "this test must run as root (it starts a rootless engine for another user)"
was_running=$(pgrep -f 'rootlesskit.*dockerd-rootless' >/dev/null && echo yes || echo no)
engine=$(bash "$SANDBOX_SOURCE_DIR/tests/tools/rootless-engine.sh" start)
[ "$was_running" = yes ] || on_exit "bash $SANDBOX_SOURCE_DIR/tests/tools/rootless-engine.sh stop"
user=$(printf '%s\n' "$engine" | sed -n 's/^user=//p')
host=$(printf '%s\n' "$engine" | sed -n 's/^host=//p')
uid=$(id -u "$user")
gid=$(id -g "$user")
as_user() { runuser -u "$user" -- env DOCKER_CONFIG="$DOCKER_CONFIG" DOCKER_HOST="$host" HOME="$(getent passwd "$user" | cut -d: -f6)" "$@"; }
chmod -R a+rX "$DOCKER_CONFIG"
as_user bash "$SANDBOX_SOURCE_DIR/tests/tools/make-image.sh" "$IMAGE" >/dev/null
as_user docker info --format '{{json .SecurityOptions}}' | grep -q 'name=rootless' || fail "the engine does not say it is rootless"
no_cgroups=$(as_user docker info --format '{{.CgroupDriver}}')

mkdir "$TEST_DIR/project"
echo "the project" > "$TEST_DIR/project/in.txt"
chown -R "$user:" "$TEST_DIR/project"
cd "$TEST_DIR/project"
run_capture as_user docker sandbox run "$IMAGE" sh -c 'id -u; cat in.txt; echo from-sandbox > output/f; echo s > /tmp/s && cat /tmp/s'
expect_eq "$rc" 0 "rootless run exit code ($err)"
expect_eq "$out" "$(printf '0\nthe project\ns')" "the engine's uid 0, the workspace and /tmp from inside"
expect_eq "$(cat output/f)" "from-sandbox" "written to output/"
expect_eq "$(stat -c '%u:%g' output/f)" "$uid:$gid" "owner on the host: the invoker, not a subordinate uid"
limits_line="docker sandbox: warning: this engine (rootless, cgroup v1) cannot enforce --memory 2g and --pids-limit 512: they are not applied"
if [ "$no_cgroups" = none ]; then
  expect_eq "$err" "$limits_line" "the limits that do not hold, in one line"
else
  expect_eq "$err" "" "no limits line where the engine enforces them"
fi

# Lifting the limits leaves nothing to say about them (the relaxations warn as ever).
run_capture as_user docker sandbox run --memory 0 --pids-limit 0 "$IMAGE" true
expect_eq "$rc" 0 "rootless run without limits exit code ($err)"
case "$err" in *"cannot enforce"*) fail "a limits line without limits: $err" ;; esac

# A user the engine maps to a subordinate uid is the user's explicit choice.
run_capture as_user docker sandbox run --memory 0 --pids-limit 0 --user 65534 --output none "$IMAGE" id -u
expect_eq "$rc" 0 "explicit --user exit code ($err)"
expect_eq "$out" "65534" "the typed user"

run_capture as_user docker sandbox doctor
expect_contains "$out" "ok    rootless: the engine runs rootless" "doctor: rootless"
expect_contains "$out" "ok    user namespaces: the engine's own (rootless)" "doctor: its user namespace line agrees"
if [ "$no_cgroups" = none ]; then
  expect_contains "$out" "FAIL  cgroup limits: missing: memory pids cpu (rootless, cgroup v1)" "doctor: the limits"
fi

# Nothing of the run is left in the rootless engine.
expect_eq "$(as_user docker ps -aq --filter label=docker-sandbox.managed=true)" "" "containers left in the rootless engine"
expect_eq "$(as_user docker volume ls -q --filter label=docker-sandbox.managed=true)" "" "volumes left in the rootless engine"
