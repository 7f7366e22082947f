# --isolation on any engine: on one without gVisor, gvisor is refused in one line with the exact fix
# (exit 125, nothing created) and auto runs on the engine's default runtime; on one with gVisor,
# auto takes it, and a network, which that gVisor cannot give, is refused or left to runc.
# --isolation and --runtime together are refused.
source "$(dirname "$0")/common.sh"

mkdir fresh && cd fresh
run_capture docker sandbox run --isolation gvisor --runtime runsc "$IMAGE" true
expect_eq "$rc" 125 "--isolation with --runtime"
expect_contains "$err" "both choose the OCI runtime" "why"
run_capture docker sandbox run --isolation kata "$IMAGE" true
expect_eq "$rc" 125 "an unknown isolation"
expect_contains "$err" 'invalid --isolation "kata": runc, gvisor or auto' "what is known"

if engine_has_gvisor; then
  run_capture docker sandbox run --isolation auto "$IMAGE" dmesg
  expect_eq "$rc" 0 "--isolation auto ($err)"
  expect_contains "$out" "gVisor" "auto took gVisor"
  if docker info --format '{{json .Runtimes}}' | grep -q -- '--network=none'; then
    # gVisor without a network of its own: a network is refused, not silently lost.
    run_capture docker sandbox run --isolation gvisor --network bridge "$IMAGE" true
    expect_eq "$rc" 125 "--isolation gvisor --network bridge"
    expect_contains "$err" "runs with --network=none, so the sandbox would have no network" "why"
    run_capture docker sandbox run --isolation auto --network bridge "$IMAGE" uname -r
    expect_eq "$out" "$(docker info --format '{{.KernelVersion}}')" "auto with a network took the default runtime ($err)"
  fi
else
  run_capture docker sandbox run --isolation gvisor "$IMAGE" true
  expect_eq "$rc" 125 "--isolation gvisor without gVisor"
  if engine_is_podman; then # it lists runsc, but would run the sandbox on its default runtime
    expect_contains "$err" "'s Docker API ignores the runtime a container asks for" "the refusal"
  else
    expect_contains "$err" "docker sandbox: run: --isolation gvisor: the engine has no gVisor runtime (runsc)" "the refusal"
    expect_contains "$err" 'hint: apt-get install runsc; add "runtimes": {"runsc": {"path": "/usr/bin/runsc", "runtimeArgs": ["--network=none"]}} to /etc/docker/daemon.json' "the fix"
  fi
  expect_eq "$(printf '%s\n' "$err" | grep -vc '^hint:')" 1 "one line of error"
  [ ! -e output ] || fail "a refused run left output/ behind"
  run_capture docker sandbox run --isolation auto "$IMAGE" uname -r
  expect_eq "$rc" 0 "--isolation auto without gVisor ($err)"
  expect_eq "$out" "$(docker info --format '{{.KernelVersion}}')" "auto ran on the engine's kernel"
fi
expect_no_leftovers
