# Docker-in-Docker: a worker container with the engine's socket runs the plugin. The worker's
# project path also exists on the engine's host, holding a decoy. The sandbox must see the
# worker's files (copied, since the engine cannot see them), never the decoy; its output must land
# in the worker's ./output, never in the decoy's; --input/--collect and volume put/get work; and
# nothing is left behind.
source "$(dirname "$0")/common.sh"

socket=/var/run/docker.sock
[ -S "$socket" ] || skip "no engine socket at $socket to hand to a worker"
command -v busybox >/dev/null || skip "busybox-static is not installed"

# The worker image: busybox, the docker CLI with the libraries it loads, and the plugin.
root=$TEST_DIR/worker-root
mkdir -p "$root"/{bin,etc,tmp,proc,sys,dev,root/.docker/cli-plugins,usr/bin}
chmod 1777 "$root/tmp"
cp "$(command -v busybox)" "$root/bin/busybox"
for applet in sh cat ls mkdir echo id find sort test env; do ln -s busybox "$root/bin/$applet"; done
cp "$(command -v docker)" "$root/usr/bin/docker"
plugin_dir=$(dirname "$(readlink -f "$SANDBOX_BINARY")")
cp "$plugin_dir/docker-sandbox" "$root/root/.docker/cli-plugins/"
for binary in "$root/usr/bin/docker" "$root/root/.docker/cli-plugins/docker-sandbox"; do
  for lib in $(ldd "$binary" | grep -o '/[^ ]*'); do
    cp --parents -L "$lib" "$root/"
  done
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
worker=docker-sandbox-e2e-worker:$$
tar -C "$root" -c . | docker import --change 'ENV PATH=/usr/bin:/bin' --change 'ENV HOME=/root' - "$worker" >/dev/null
on_exit "docker rmi -f $worker >/dev/null"

# The same path on the engine's host, with a decoy in it.
project=$TEST_DIR/project
mkdir -p "$project/output"
echo DECOY >"$project/secret.txt"
echo DECOY >"$project/output/old.txt"

in_worker() {
  run_capture docker run --rm --network none -v "$socket:$socket" -e PROJECT="$project" -e IMAGE="$IMAGE" \
    "$worker" sh -c "$1"
}

# The worker's project, the default run, its output, then what the worker's ./output holds.
in_worker '
  mkdir -p "$PROJECT" && cd "$PROJECT" && echo REAL >secret.txt && mkdir -p sub && echo deep >sub/f
  docker sandbox run "$IMAGE" sh -c "cat secret.txt sub/f; ls output; echo written >output/result.txt; id -u" || exit 1
  echo "--- worker output:"; ls output; cat output/result.txt'
expect_eq "$rc" 0 "default run in the worker: $err"
expect_contains "$out" "REAL" "the sandbox saw the worker's file"
expect_contains "$out" "deep" "the sandbox saw the worker's tree"
case "$out" in *DECOY* | *old.txt*) fail "the sandbox saw the host's decoy: $out" ;; esac
expect_contains "$out" "--- worker output:
result.txt
written" "the output landed in the worker's ./output"
expect_contains "$err" "the workspace is copied in and the output copied back through run volumes (the engine does not see this host's directories)" "one line says so"
expect_eq "$(cat "$project/secret.txt")" "DECOY" "host decoy untouched"
expect_eq "$(ls "$project/output")" "old.txt" "nothing written into the host's decoy output"

# The worker shares its Docker config dir with the engine's host at the same path, so the probe's
# marker is found; the project is still a decoy there, and its mode and mtime tell it apart.
shared=$TEST_DIR/shared-config
mkdir -p "$shared/cli-plugins"
cp "$plugin_dir/docker-sandbox" "$shared/cli-plugins/"
run_capture docker run --rm --network none -v "$socket:$socket" -v "$shared:$shared" -e DOCKER_CONFIG="$shared" \
  -e PROJECT="$project" -e IMAGE="$IMAGE" "$worker" sh -c '
  mkdir -p "$PROJECT" && cd "$PROJECT" && echo REAL >secret.txt && docker sandbox run --output none "$IMAGE" cat secret.txt'
expect_eq "$rc" 0 "run with a shared config dir: $err"
expect_eq "$out" "REAL" "the sandbox saw the worker's file, not the decoy"
expect_contains "$err" "the engine does not see this host's directories" "copied, and said so"
[ -z "$(ls "$shared/sandbox/probes" 2>/dev/null)" ] || fail "probe markers left: $(ls "$shared/sandbox/probes")"

# --workspace-mode bind is the user's explicit choice: the engine's error, never a silent decoy.
in_worker 'mkdir -p /elsewhere && cd /elsewhere && docker sandbox run --workspace-mode bind --output none "$IMAGE" true'
[ "$rc" -ne 0 ] || fail "bind mode of a directory the engine does not have succeeded"

# A host path bound with -v: the engine does not see the worker's, so it is refused (a decoy of the
# same path on the engine's host is never bound), with nothing created.
in_worker 'mkdir -p /p/src && cd /p && docker sandbox run --output none -v ./src:/src "$IMAGE" true'
expect_eq "$rc" 125 "-v in the worker is refused: $err"
expect_contains "$err" "a host path cannot be bound when the workspace is copied" "-v refused, and why"
expect_contains "$err" "--input copies it into a volume" "-v refused with the way out"

# --input/--collect and volume put/get from the worker.
in_worker '
  mkdir -p /in && echo input-data >/in/i.txt && cd /
  docker sandbox run --tenant dind --input /in:/inputs --collect /outputs:/collected "$IMAGE" \
    sh -c "cat /inputs/i.txt >/outputs/o.txt" || exit 1
  cat /collected/o.txt
  vol=$(docker sandbox volume create --tenant dind) || exit 1
  docker sandbox volume put --tenant dind "$vol" /in || exit 1
  docker sandbox volume get --tenant dind "$vol" /got || exit 1
  find /got -type f | sort; cat /got/in/i.txt
  docker sandbox volume rm --tenant dind "$vol"'
expect_eq "$rc" 0 "volumes in the worker: $err"
expect_contains "$out" "input-data" "collected in the worker"
expect_contains "$out" "/got/in/i.txt" "volume get in the worker"

expect_no_leftovers
echo "ok: dind_workspace"
