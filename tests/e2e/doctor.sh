# `docker sandbox doctor` checks the engine in plain words: reachable, API version, seccomp,
# cgroup limits, rootless, user namespaces, runtimes, the isolation levels (and how to add gVisor),
# the default image; exit 1 when the engine
# cannot be reached.
source "$(dirname "$0")/common.sh"

run_capture docker sandbox doctor
expect_eq "$rc" 0 "doctor exit code ($out $err)"
for check in "engine reachable" "API version" "seccomp" "cgroup limits" "rootless" "user namespaces" "runtimes" "isolation" "image"; do
  expect_contains "$out" "$check:" "doctor reports $check"
done
expect_contains "$out" "ok    image: docker-sandbox-busybox:latest is present locally" "default image found"
if engine_has_gvisor; then
  expect_contains "$out" "and gVisor (--isolation gvisor: runtime runsc" "gVisor offered"
elif engine_is_podman; then
  expect_contains "$out" "isolation: runc only: Podman" "gVisor not offered through Podman's Docker API"
else
  expect_contains "$out" 'to add gVisor (--isolation gvisor): apt-get install runsc; add "runtimes": {"runsc"' "how to add gVisor"
fi

run_capture docker sandbox doctor --image no-such-image:1
expect_contains "$out" "warn  image: no-such-image:1 is not present locally" "missing image is a warning"

run_capture docker -H unix:///nonexistent.sock sandbox doctor
expect_eq "$rc" 1 "doctor without an engine"
expect_contains "$out" "FAIL  engine reachable: cannot connect to the Docker daemon at unix:///nonexistent.sock" "unreachable engine is named"
