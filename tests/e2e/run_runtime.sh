# --runtime picks the OCI runtime (runc here; runsc where gVisor is installed); a runtime the
# engine does not have fails before anything runs, with exit 125 and nothing left behind.
source "$(dirname "$0")/common.sh"

run_capture docker sandbox run --runtime runc "$IMAGE" echo on-runc
expect_eq "$rc" 0 "--runtime runc ($err)"
expect_eq "$out" "on-runc" "--runtime runc output"
expect_eq "$err" "docker sandbox: warning: --runtime runc: this OCI runtime, not the defaults, decides the isolation" "--runtime says so"

if docker info --format '{{json .Runtimes}}' | grep -q '"runsc"'; then
  run_capture docker sandbox run --runtime runsc "$IMAGE" dmesg
  expect_eq "$rc" 0 "--runtime runsc ($err)"
  expect_contains "$out" "gVisor" "runsc is really gVisor"
else
  mkdir fresh && cd fresh
  run_capture docker sandbox run --runtime runsc "$IMAGE" true
  expect_eq "$rc" 125 "--runtime runsc without gVisor"
  expect_contains "$err" "runsc" "the missing runtime is named"
  expect_contains "$err" "docker sandbox: warning: --runtime runsc: this OCI runtime, not the defaults, decides the isolation" "--runtime warns"
  expect_eq "$(printf '%s\n' "$err" | grep -v '^hint:' | grep -vc 'warning: --runtime')" 1 "one line of error"
  [ ! -e output ] || fail "a run that never started left output/ behind"
fi
expect_no_leftovers
