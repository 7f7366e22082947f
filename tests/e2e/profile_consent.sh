# A hostile project's .docker-sandbox.json asks for each relaxation in turn. Without consent the
# run is refused (exit 125, one line naming the key and the trust command, nothing created); after
# `docker sandbox trust` it applies, as seen from inside the sandbox; a one-byte change needs
# consent again. `trust --list` and `untrust` show and remove the record, which lives in the Docker
# config dir, outside the project.
source "$(dirname "$0")/common.sh"

cgroup_value() { # FILE-in-v1 FILE-in-v2
  echo "if [ -f /sys/fs/cgroup/cgroup.controllers ]; then cat /sys/fs/cgroup/$2; else cat /sys/fs/cgroup/$1; fi"
}

mount_mode() { # PATH: rw or ro, from the last mount at PATH
  echo "awk '\$2 == \"$1\" { mode = substr(\$4, 1, 2) } END { print mode }' /proc/mounts"
}

# relaxation NAME PROFILE KEYS PROBE EXPECTED
relaxation() {
  local name=$1 profile=$2 keys=$3 probe=$4 expected=$5
  local dir="$TEST_DIR/project-$name"
  mkdir -p "$dir"
  printf '%s\n' "$profile" > "$dir/.docker-sandbox.json"
  cd "$dir"

  run_capture docker sandbox run "$IMAGE" sh -c "$probe"
  expect_eq "$rc" 125 "$name without consent: exit code ($err)"
  expect_eq "$(printf '%s\n' "$err" | grep -vc '^hint: ')" 1 "$name: the refusal is one line ($err)"
  expect_contains "$err" "docker sandbox: run: profile $dir/.docker-sandbox.json relaxes the sandbox ($keys)" "$name: the keys are named"
  expect_contains "$err" "run 'docker sandbox trust $dir/.docker-sandbox.json'" "$name: the command that grants it"
  [ ! -e output ] || fail "$name: a refused run created ./output"
  expect_eq "$out" "" "$name: nothing ran"
  expect_no_leftovers

  run_capture docker sandbox trust
  expect_eq "$rc" 0 "$name: trust exit code ($err)"
  expect_contains "$out" "$dir/.docker-sandbox.json (sha256 " "$name: trust names the file and its digest"
  expect_contains "$out" "  ${keys%%,*}" "$name: trust shows what it relaxes"

  run_capture docker sandbox run "$IMAGE" sh -c "$probe"
  expect_eq "$rc" 0 "$name with consent: exit code ($err)"
  expect_eq "$out" "$expected" "$name with consent: seen from inside"
  expect_contains "$err" "docker sandbox: warning: profile $dir/.docker-sandbox.json (trusted) relaxes ${keys%%,*}" "$name: the applied relaxation is still shown"

  printf ' ' >> "$dir/.docker-sandbox.json"
  run_capture docker sandbox run "$IMAGE" sh -c "$probe"
  expect_eq "$rc" 125 "$name after a one-byte change: exit code ($err)"
  expect_contains "$err" "relaxes the sandbox ($keys)" "$name after a one-byte change: refused again"
  expect_no_leftovers
  cd "$TEST_DIR"
}

relaxation user '{"user": "0"}' user 'id -u' 0
relaxation user-name '{"user": "root"}' user 'id -u' 0
relaxation cap-add '{"user": "0", "cap_add": ["NET_BIND_SERVICE"]}' 'user, cap_add' \
  'grep ^CapEff: /proc/self/status | tr -d " \t"' 'CapEff:0000000000000400'
relaxation network '{"network": "bridge"}' network 'ls /sys/class/net | tr "\n" " "' 'eth0 lo '
relaxation workspace-rw '{"mounts": {"workspace_rw": true}}' mounts.workspace_rw \
  "$(mount_mode /workspace)" rw
relaxation memory '{"limits": {"memory": "0"}}' limits.memory \
  "m=\$($(cgroup_value memory/memory.limit_in_bytes memory.max)); [ \"\$m\" = max ] || [ \${#m} -gt 15 ] && echo unlimited" unlimited
relaxation memory-above '{"limits": {"memory": "999t"}}' limits.memory \
  "$(cgroup_value memory/memory.limit_in_bytes memory.max)" 1098412116148224
relaxation pids '{"limits": {"pids": 4000000}}' limits.pids "$(cgroup_value pids/pids.max pids.max)" 4000000
relaxation tmpfs-size '{"tmpfs": ["/tmp:size=64g"]}' tmpfs \
  'grep " /tmp " /proc/mounts | grep -o "size=[0-9a-z]*"' size=67108864k
relaxation tmpfs-exec '{"tmpfs": ["/tmp:size=64m,exec"]}' tmpfs \
  'grep " /tmp " /proc/mounts | grep -c noexec || true' 0
relaxation writable-root '{"writable_root": true}' writable_root "$(mount_mode /)" rw
relaxation new-privileges '{"allow_new_privileges": true}' allow_new_privileges \
  'grep ^NoNewPrivs: /proc/self/status | tr -d " \t"' NoNewPrivs:0
relaxation seccomp '{"seccomp_profile": "unconfined"}' seccomp_profile \
  'grep ^Seccomp: /proc/self/status | tr -d " \t"' Seccomp:0
relaxation runtime '{"runtime": "runc"}' runtime 'echo ran' ran

# Tightening and neutral keys need no consent.
mkdir -p "$TEST_DIR/project-strict"
cd "$TEST_DIR/project-strict"
printf '%s\n' '{"env": ["MODE=strict"], "limits": {"memory": "64m", "pids": 32}, "tmpfs": ["/tmp:size=8m"]}' > .docker-sandbox.json
run_capture docker sandbox run "$IMAGE" sh -c "echo \$MODE; $(cgroup_value pids/pids.max pids.max)"
expect_eq "$rc" 0 "a tightening profile runs without consent ($err)"
expect_eq "$out" "$(printf 'strict\n32')" "a tightening profile applies"
expect_eq "$err" "" "a tightening profile warns about nothing"
run_capture docker sandbox trust
expect_eq "$rc" 0 "trust of a profile that relaxes nothing ($err)"
expect_contains "$out" "relaxes nothing" "trust says there is nothing to consent to"

# A flag that overrides the key needs no consent, and its profile warning is gone.
cd "$TEST_DIR/project-network"
run_capture docker sandbox run --network none "$IMAGE" ls /sys/class/net
expect_eq "$rc" 0 "--network none overrides the profile's network ($err)"
expect_eq "$out" lo "the command line wins"

# --profile FILE is consent for that run.
cd "$TEST_DIR/project-user"
run_capture docker sandbox run --profile .docker-sandbox.json "$IMAGE" id -u
expect_eq "$rc" 0 "--profile FILE exit code ($err)"
expect_eq "$out" 0 "--profile FILE applies what it relaxes"
expect_contains "$err" "warning: profile $TEST_DIR/project-user/.docker-sandbox.json relaxes user \"0\": the sandbox runs as root" "--profile FILE still warns"

# The record: outside the project, listed with its state, removed by untrust.
store="$DOCKER_CONFIG/sandbox/trusted-profiles.json"
[ -f "$store" ] || fail "no consent store at $store"
expect_eq "$(stat -c %a "$store")" 600 "the consent store is private"
run_capture docker sandbox trust --list
expect_eq "$rc" 0 "trust --list exit code ($err)"
expect_contains "$out" "STATE" "trust --list has a header"
expect_contains "$out" "changed  " "a profile changed since consent is listed as changed"
cd "$TEST_DIR/project-user"
printf '%s\n' '{"user": "0"}' > .docker-sandbox.json
docker sandbox trust > /dev/null
run_capture docker sandbox trust --list
expect_contains "$out" "current  " "a profile trusted as it is is listed as current"
run_capture docker sandbox untrust
expect_eq "$rc" 0 "untrust exit code ($err)"

# --sha256: consent only to the bytes the user checked.
checked=$(sha256sum .docker-sandbox.json | cut -c1-16)
printf '%s\n' '{"user": "0", "network": "host"}' > .docker-sandbox.json # changed after the check
run_capture docker sandbox trust --sha256 "$checked"
expect_eq "$rc" 1 "trust --sha256 of changed content"
expect_contains "$err" "is not the content you checked" "trust --sha256 says why"
run_capture docker sandbox trust --sha256 "$(sha256sum .docker-sandbox.json | cut -c1-12)"
expect_eq "$rc" 0 "trust --sha256 of the checked content ($err)"
expect_contains "$out" "(sha256 $(sha256sum .docker-sandbox.json | cut -d' ' -f1))" "trust shows the whole digest"
docker sandbox untrust > /dev/null
run_capture docker sandbox run "$IMAGE" id -u
expect_eq "$rc" 125 "after untrust the profile is refused again ($err)"
run_capture docker sandbox untrust
expect_eq "$rc" 1 "untrust of a profile that is not trusted"
expect_contains "$err" "is not trusted" "untrust says so"
expect_no_leftovers
