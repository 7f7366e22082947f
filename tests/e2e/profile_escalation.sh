# A sandbox run with --workspace-rw writes the project's profile to escalate the next run: root
# with CAP_SYS_ADMIN, or a link to a profile the user trusted in another project. The next run is
# refused before anything is created, even `trust` will not record the capability, and the
# sandbox never reached the consent store. The state seen from inside stays locked down.
source "$(dirname "$0")/common.sh"

status='id -u; grep ^CapEff: /proc/self/status | tr -d " \t"'

# Another project whose profile the user trusted (root, no capability).
mkdir "$TEST_DIR/trusted"
printf '%s\n' '{"user": "0"}' > "$TEST_DIR/trusted/.docker-sandbox.json"
(cd "$TEST_DIR/trusted" && docker sandbox trust > /dev/null)

mkdir "$TEST_DIR/victim"
chown 65534:65534 "$TEST_DIR/victim" # a project the sandbox user may write, as a cloned repo would be
cd "$TEST_DIR/victim"
run_capture docker sandbox run --workspace-rw --output none "$IMAGE" sh -c '
  printf "%s\n" "{\"user\": \"0\", \"cap_add\": [\"SYS_ADMIN\"]}" > /workspace/.docker-sandbox.json
  ls -a / | grep -c docker-config || true'
expect_eq "$rc" 0 "the first sandbox wrote its profile ($err)"
expect_eq "$out" 0 "the first sandbox sees no Docker config dir"
[ -f .docker-sandbox.json ] || fail "the planted profile is missing"

run_capture docker sandbox run "$IMAGE" sh -c "$status"
expect_eq "$rc" 125 "the escalating profile is refused ($err)"
expect_eq "$out" "" "nothing ran"
expect_contains "$err" "cap_add CAP_SYS_ADMIN: lets the code take over the host on most engines; never accepted from a profile" "the dangerous capability is named"
expect_eq "$(printf '%s\n' "$err" | grep -vc '^hint: ')" 1 "the refusal is one line ($err)"
[ ! -e output ] || fail "a refused run created ./output"
expect_no_leftovers

run_capture docker sandbox trust
expect_eq "$rc" 1 "trust refuses a profile with a dangerous capability"
expect_contains "$err" "cannot be trusted: cap_add CAP_SYS_ADMIN" "trust names it"
run_capture docker sandbox run --profile .docker-sandbox.json "$IMAGE" sh -c "$status"
expect_eq "$rc" 125 "even --profile FILE does not accept a dangerous capability ($err)"

# A link to the trusted profile of the other project.
run_capture docker sandbox run --profile none --workspace-rw --output none "$IMAGE" sh -c "
  rm /workspace/.docker-sandbox.json && ln -s '$TEST_DIR/trusted/.docker-sandbox.json' /workspace/.docker-sandbox.json"
expect_eq "$rc" 0 "the second sandbox planted a link ($err)"
run_capture docker sandbox run "$IMAGE" sh -c "$status"
expect_eq "$rc" 125 "a linked profile is refused ($err)"
expect_contains "$err" "is a symbolic link" "the link is named"

# Seen from inside, without the profile: the defaults.
run_capture docker sandbox run --profile none "$IMAGE" sh -c "$status"
expect_eq "$rc" 0 "--profile none ($err)"
expect_eq "$out" "$(printf '65534\nCapEff:0000000000000000')" "the sandbox is still locked down"
expect_no_leftovers
