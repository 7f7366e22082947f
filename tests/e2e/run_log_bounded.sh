# The sandbox's output never lands on the host's disk through the engine's log: an attached run
# keeps no log at all (800 MB printed, the container's directory stays small while it runs), and a
# kept one keeps a json-file capped at 10m.
source "$(dirname "$0")/common.sh"

# Each container's directory under the engine's data root, which holds its log: Docker's
# containers/ID (json-file), Podman's overlay-containers/ID (ctr.log, Podman's k8s-file for json-file).
root=$(docker info --format '{{.DockerRootDir}}')
containers=$root/containers
if engine_is_podman; then
  containers=$root/overlay-containers
fi
[ -d "$containers" ] || fail "cannot see the engine's container directories ($containers) from here"

largest=0
watch_log() { # records in $largest the biggest size, in KiB, of any managed container's directory
  local id size
  for id in $(docker ps -q --no-trunc --filter label=docker-sandbox.managed=true); do
    # The run may end and remove its container between ps and du (pipefail would end the test).
    size=$(du -sk "$containers/$id" 2>/dev/null | cut -f1) || size=0
    [ "${size:-0}" -gt "$largest" ] && largest=$size
  done
  return 0
}

{
  set +e
  docker sandbox run "$IMAGE" sh -c 'dd if=/dev/zero bs=1M count=800 2>/dev/null' 2>"$TEST_DIR/flood.err"
  echo $? > "$TEST_DIR/flood.rc"
} | wc -c > "$TEST_DIR/count" &
flood=$!
while kill -0 "$flood" 2>/dev/null; do
  watch_log
done
wait "$flood"
expect_eq "$(cat "$TEST_DIR/flood.rc")" 0 "the flood's exit code ($(cat "$TEST_DIR/flood.err"))"
expect_eq "$(cat "$TEST_DIR/count")" 838860800 "all 800 MB reached stdout"
[ "$largest" -lt 4096 ] || fail "the container's directory grew to $largest KiB during the flood"
echo "flood: 800 MB printed, largest container directory seen: $largest KiB"

run_capture docker sandbox run --keep --name "sbx-log-$$" "$IMAGE" sh -c 'dd if=/dev/zero bs=1M count=64 2>/dev/null | tr "\0" x | fold -w 1024'
on_exit "docker rm -f sbx-log-$$ >/dev/null"
expect_eq "$rc" 0 "kept flood ($err)"
id=$(docker inspect --format '{{.Id}}' "sbx-log-$$")
log=$(du -sk "$containers/$id" | cut -f1)
# json-file rotates once a write crosses max-size, and the directory holds the config files too.
[ "$log" -le 12288 ] || fail "a kept sandbox's log grew to $log KiB (cap 10m)"
echo "kept: 64 MB printed, log directory $log KiB"
docker rm -f "sbx-log-$$" > /dev/null
expect_no_leftovers
