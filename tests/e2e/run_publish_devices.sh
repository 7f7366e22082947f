# -p publishes a port on the host's loopback (unless an address is given) and gives the sandbox
# the bridge network; --device passes one host device; --gpus asks the engine for GPUs. Each is
# a warned relaxation, and what cannot be honoured is refused in one line.
source "$(dirname "$0")/common.sh"

name=sbx-e2e-publish-$$
port=$((20000 + RANDOM % 20000))
docker sandbox run --name "$name" --timeout 60s -p "$port:8080" "$IMAGE" sh -c 'echo served | nc -l -p 8080' \
  >"$TEST_DIR/publish.out" 2>"$TEST_DIR/publish.err" &
plugin=$!
on_exit "kill $plugin 2>/dev/null || true"
published=""
for _ in $(seq 100); do
  published=$(docker port "$name" 8080/tcp 2>/dev/null || true)
  [ -z "$published" ] || break
  kill -0 "$plugin" 2>/dev/null || break
  sleep 0.1
done
expect_eq "$published" "127.0.0.1:$port" "the port is published on loopback only"
if [ -z "${SANDBOX_E2E_DOCKER_HOST:-}" ]; then
  # The host's own engine: the port is on this loopback. Another engine's may not be (a chroot
  # engine has a network namespace of its own).
  reply=""
  for _ in $(seq 50); do
    if exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
      reply=$(cat <&3 || true)
      exec 3<&-
      [ -z "$reply" ] || break
    fi
    sleep 0.1
  done
  expect_eq "$reply" "served" "the sandbox answered on the published port"
else
  # Podman publishes the port when the container is created, before it runs: kill it once it runs.
  for _ in $(seq 100); do
    [ "$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" != true ] || break
    sleep 0.1
  done
  docker kill "$name" >/dev/null
fi
set +e
wait "$plugin"
rc=$?
set -e
[ -n "${SANDBOX_E2E_DOCKER_HOST:-}" ] || expect_eq "$rc" 0 "the published sandbox's exit code ($(cat "$TEST_DIR/publish.err"))"
expect_contains "$(cat "$TEST_DIR/publish.err")" \
  "warning: -p $port:8080: the sandbox's port 8080/tcp is reachable at 127.0.0.1:$port, and it gets the bridge network" \
  "-p warns"

run_capture docker sandbox run --device /dev/null:/dev/sbx-null "$IMAGE" sh -c 'test -c /dev/sbx-null && echo x >/dev/sbx-null && echo ok'
expect_eq "$rc" 0 "--device ($err)"
expect_eq "$out" "ok" "the device is usable inside"
expect_contains "$err" "warning: --device /dev/null:/dev/sbx-null: the sandbox can use this host device" "--device warns"

run_capture docker sandbox run --dry-run=json --gpus all "$IMAGE" true
expect_eq "$rc" 0 "--gpus dry run ($err)"
expect_contains "$(printf '%s\n' "$out" | tr -d ' \n')" '"DeviceRequests":[{"Driver":"","Count":-1,"DeviceIDs":[],"Capabilities":[["gpu"]]}]' "--gpus all in the plan"

for bad in "-p 80 --network none" "-p 80 --network host" "-p 8000-8010:80" "--device /etc/passwd" "--gpus some"; do
  # shellcheck disable=SC2086 # the flags split on purpose
  run_capture docker sandbox run $bad "$IMAGE" true
  expect_eq "$rc" 125 "$bad is refused ($err)"
  expect_eq "$(printf '%s\n' "$err" | grep -c '^docker sandbox: run: ')" 1 "$bad: one line"
done
expect_no_leftovers
