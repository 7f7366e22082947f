# The engine goes away while a sandbox runs. A private dockerd (its own data root, socket,
# containerd namespace and network namespace, so that the suite's engine and the host's docker0
# are never touched) is stopped while `run --tenant --input --collect` is attached. The plugin
# must end with a clear error and exit 125, as `docker run` does, and say how to clean up. Once
# the engine is back, `docker sandbox prune` must find the orphaned container and the run's
# volumes, and leave nothing behind.
source "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || fail "starting a private dockerd needs root"
engine_dir=$(mktemp -d /tmp/sbx-engine.XXXXXX)
echo '{}' >"$engine_dir/daemon.json" # not the host's /etc/docker/daemon.json (live-restore, hosts, ...)
sock="$engine_dir/docker.sock"
private=(-H "unix://$sock")

start_private_engine() {
  unshare --net dockerd --config-file "$engine_dir/daemon.json" --data-root "$engine_dir/data" --exec-root "$engine_dir/exec" --pidfile "$engine_dir/dockerd.pid" \
    -H "unix://$sock" --containerd-namespace sandbox-e2e --containerd-plugins-namespace sandbox-e2e-plugins \
    --iptables=false --ip-masq=false >>"$engine_dir/dockerd.log" 2>&1 &
  echo $! >"$engine_dir/pid"
  for _ in $(seq 1 120); do
    docker "${private[@]}" version >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$engine_dir/pid")" 2>/dev/null || break
    sleep 0.25
  done
  tail -n 20 "$engine_dir/dockerd.log" >&2
  fail "the private dockerd did not come up"
}

stop_private_engine() {
  local pid
  pid=$(cat "$engine_dir/pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  kill -9 "$pid" 2>/dev/null || true
}
on_exit "stop_private_engine; rm -rf '$engine_dir'"

start_private_engine
DOCKER_HOST="unix://$sock" bash "$SANDBOX_SOURCE_DIR/tests/tools/make-image.sh" "$IMAGE" >/dev/null

mkdir -p "$TEST_DIR/in"
echo data >"$TEST_DIR/in/file"
tenant="eng$RANDOM"
setsid docker "${private[@]}" sandbox run --tenant "$tenant" --run gone --input "$TEST_DIR/in" \
  --collect "/outputs:$TEST_DIR/collected" "$IMAGE" sleep 60 >"$TEST_DIR/out" 2>"$TEST_DIR/err" </dev/null &
pid=$!
for _ in $(seq 1 300); do
  [ -n "$(docker "${private[@]}" ps -q --filter label=docker-sandbox.managed=true --filter status=running)" ] && break
  kill -0 "$pid" 2>/dev/null || fail "the run ended before its container ran: $(cat "$TEST_DIR/err")"
  sleep 0.1
done
[ -n "$(docker "${private[@]}" ps -q --filter label=docker-sandbox.managed=true --filter status=running)" ] ||
  fail "no running sandbox on the private engine"

stop_private_engine
code=0
for _ in $(seq 1 300); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$pid" 2>/dev/null && fail "the run still waits 30 s after the engine went away"
wait "$pid" || code=$?
err=$(cat "$TEST_DIR/err")
echo "the run said: $err"
# Either the connection breaks first (125, as docker run), or the stopping engine first ends the
# sandbox (SIGTERM: 143, the command's status, as docker run reports it) and answers the requests
# still in flight on a kept-alive connection with errors: each is named, and the volumes stay.
if [ "$code" = 143 ]; then
  expect_contains "$err" "--collect /outputs: " "the collect the stopping engine refused is named"
  expect_contains "$err" "kept volume" "the volumes that stay are named"
else
  expect_eq "$code" 125 "exit code when the engine goes away ($err)"
  expect_contains "$err" "the engine went away" "the error names the cause"
  expect_contains "$err" "docker sandbox prune" "the error says how to clean up"
fi
[ ! -e "$TEST_DIR/collected" ] || fail "a run whose engine went away collected something"

start_private_engine
left_containers=$(docker "${private[@]}" ps -aq --filter label=docker-sandbox.managed=true | wc -l)
left_volumes=$(docker "${private[@]}" volume ls -q --filter "label=docker-sandbox.tenant=$tenant" | wc -l)
echo "after the restart: $left_containers sandbox container(s), $left_volumes volume(s) of the run"
# The sandbox at least; on a loaded machine also the lookup container, whose removal (sent ahead of
# its reply) the stopping engine may not have finished. prune must find them all.
if [ "$code" = 125 ] && [ "$left_containers" -lt 1 ]; then
  fail "the interrupted run's container is gone after the restart, before prune"
fi
expect_eq "$left_volumes" 2 "the interrupted run's input and output volumes are still there after the restart"
docker "${private[@]}" sandbox prune --force >"$TEST_DIR/prune" 2>&1 || fail "prune failed: $(cat "$TEST_DIR/prune")"
expect_eq "$(docker "${private[@]}" ps -aq --filter label=docker-sandbox.managed=true)" "" "containers left after prune"
expect_eq "$(docker "${private[@]}" volume ls -q --filter label=docker-sandbox.managed=true)" "" "volumes left after prune"
