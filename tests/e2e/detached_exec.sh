# exec in a detached sandbox, as an agent uses it: 50 commands in a row in one sandbox, each with
# its exit code, input, environment and working directory; the same identity as run's, read from
# inside (-u 0 warns, and still has no capability); a command that cannot run fails as docker exec's
# does; the plugin killed with SIGKILL during an exec leaves the sandbox working and nothing
# behind; exec touches the init (--idle-timeout counts from the last one); stop and logs reach it.
source "$(dirname "$0")/common.sh"

probe='id -u; id -g; grep -E "^(CapEff|NoNewPrivs):" /proc/self/status'
run_capture docker sandbox run "$IMAGE" sh -c "$probe"
expect_eq "$rc" 0 "run"
expected=$out

run_capture docker sandbox run -d --ttl 10m "$IMAGE" sh -c 'echo started; echo on-stderr >&2; exec sleep 1000'
expect_eq "$rc" 0 "run -d"
name=$out
on_exit "docker rm -f $name >/dev/null 2>&1"

# The agent's loop.
for i in $(seq 1 50); do
  docker sandbox exec "$name" sh -c "echo $i >>/tmp/steps" || fail "exec $i failed"
done
expect_eq "$(docker sandbox exec "$name" sh -c 'wc -l </tmp/steps')" 50 "50 execs, each ran once"

run_capture docker sandbox exec "$name" sh -c "$probe"
expect_eq "$out" "$expected" "exec's identity is run's"
run_capture docker sandbox exec "$name" sh -c 'exit 7'
expect_eq "$rc" 7 "exec's exit code is the command's"
run_capture docker sandbox exec -e GREETING=hi -w /tmp "$name" sh -c 'echo "$GREETING $(pwd)"'
expect_eq "$out" "hi /tmp" "-e and -w"
expect_eq "$(echo piped | docker sandbox exec -i "$name" cat)" "piped" "-i forwards stdin"
run_capture docker sandbox exec -u 0 "$name" sh -c 'id -u; grep ^CapEff: /proc/self/status'
expect_contains "$err" "-u 0: the command runs as root in the sandbox, not as its own user" "-u warns"
expect_eq "$out" "0
CapEff:	0000000000000000" "-u 0 is root with no capability"

set +e
docker exec "$name" nosuch-command >/dev/null 2>&1
docker_rc=$?
set -e
run_capture docker sandbox exec "$name" nosuch-command
expect_eq "$rc" "$docker_rc" "a command that does not exist: docker exec's exit code"

# SIGKILL of the plugin during an exec: the sandbox goes on, and nothing is left behind.
"$SANDBOX_BINARY" exec "$name" sh -c 'echo waiting; exec sleep 300' >"$TEST_DIR/killed.out" 2>&1 &
plugin=$!
for _ in $(seq 1 100); do
  grep -q waiting "$TEST_DIR/killed.out" && break
  sleep 0.1
done
grep -q waiting "$TEST_DIR/killed.out" || fail "the exec never started"
kill -9 "$plugin"
wait "$plugin" 2>/dev/null || true
expect_eq "$(docker inspect --format '{{.State.Status}}' "$name")" running "the sandbox runs on after the plugin was killed"
expect_eq "$(docker sandbox exec "$name" echo still-here)" still-here "and takes the next exec"

# logs and stop.
run_capture docker sandbox logs "$name"
expect_eq "$out" "started" "logs: stdout to stdout"
expect_eq "$err" "on-stderr" "logs: stderr to stderr"
run_capture docker sandbox stop -t 1 "$name"
expect_eq "$rc" 0 "stop"
expect_eq "$out" "$name" "stop prints the name"
expect_eq "$(docker inspect --format '{{.State.Status}}' "$name")" exited "stopped"
run_capture docker sandbox exec "$name" true
expect_eq "$rc" 125 "exec in a stopped sandbox"
expect_contains "$err" "sandbox $name is exited" "says so"

# Each exec tells the init it is in use: execs a second apart keep a sandbox whose idle timeout is
# 3 seconds alive for longer than that.
run_capture docker sandbox run -d --idle-timeout 3s "$IMAGE" sleep 1000
idle=$out
on_exit "docker rm -f $idle >/dev/null 2>&1"
for i in 1 2 3 4 5 6; do
  docker sandbox exec "$idle" true || fail "exec $i in the idle-timed sandbox"
  sleep 1
done
expect_eq "$(docker inspect --format '{{.State.Status}}' "$idle")" running "execs keep it alive"
expect_eq "$(docker wait "$idle")" 143 "then idle, it stops"

run_capture docker sandbox rm -f "$name" "$idle"
expect_eq "$rc" 0 "rm"
expect_no_leftovers
