# Privileges seen from inside: no effective capabilities, no-new-privileges and a seccomp filter by
# default; --cap-add adds exactly that capability for uid 0; --seccomp-profile FILE replaces the
# filter (mkdir blocked, still mode 2); unconfined removes it; a profile that is not JSON is refused
# before anything is created.
source "$(dirname "$0")/common.sh"

status_fields='grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status | tr -d " \t"'

# Refused first, so that "nothing created" also covers the output directory.
printf '{"defaultAction": "SCMP_ACT_ALLOW",\n' > "$TEST_DIR/broken-seccomp.json"
run_capture docker sandbox run --seccomp-profile "$TEST_DIR/broken-seccomp.json" "$IMAGE" true
expect_eq "$rc" 125 "seccomp profile that is not JSON: exit code"
expect_contains "$err" "$TEST_DIR/broken-seccomp.json" "the error names the profile file"
expect_eq "$(printf '%s\n' "$err" | grep -vc '^hint: ')" 1 "the error is one line ($err)"
[ ! -e output ] || fail "a refused run created the output directory"
expect_no_leftovers

run_capture docker sandbox run "$IMAGE" sh -c "$status_fields"
expect_eq "$rc" 0 "default exit code ($err)"
expect_eq "$out" "$(printf 'CapEff:0000000000000000\nNoNewPrivs:1\nSeccomp:2')" "default privileges"

run_capture docker sandbox run --user 0 "$IMAGE" sh -c "$status_fields"
expect_eq "$rc" 0 "--user 0 exit code ($err)"
expect_eq "$out" "$(printf 'CapEff:0000000000000000\nNoNewPrivs:1\nSeccomp:2')" "uid 0 has no capabilities either"

run_capture docker sandbox run --user 0 --cap-add NET_BIND_SERVICE "$IMAGE" sh -c "$status_fields"
expect_eq "$rc" 0 "--cap-add exit code ($err)"
expect_eq "$out" "$(printf 'CapEff:0000000000000400\nNoNewPrivs:1\nSeccomp:2')" "--cap-add NET_BIND_SERVICE as uid 0"

cat > "$TEST_DIR/no-mkdir.json" <<'JSON'
{
  "defaultAction": "SCMP_ACT_ALLOW",
  "syscalls": [
    {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}
  ]
}
JSON
probe='if mkdir /tmp/made; then echo mkdir=ok; else echo mkdir=failed; fi; grep "^Seccomp:" /proc/self/status | tr -d " \t"'
run_capture docker sandbox run "$IMAGE" sh -c "$probe"
expect_eq "$rc" 0 "mkdir control run exit code ($err)"
expect_eq "$out" "$(printf 'mkdir=ok\nSeccomp:2')" "mkdir in /tmp under the default profile"

run_capture docker sandbox run --seccomp-profile "$TEST_DIR/no-mkdir.json" "$IMAGE" sh -c "$probe"
expect_eq "$rc" 0 "custom profile exit code ($err)"
expect_eq "$out" "$(printf 'mkdir=failed\nSeccomp:2')" "mkdir under a profile that forbids it"
expect_contains "$err" "Operation not permitted" "mkdir fails with EPERM"

run_capture docker sandbox run --seccomp-profile unconfined "$IMAGE" sh -c "$status_fields"
expect_eq "$rc" 0 "unconfined exit code ($err)"
expect_eq "$out" "$(printf 'CapEff:0000000000000000\nNoNewPrivs:1\nSeccomp:0')" "--seccomp-profile unconfined"
expect_no_leftovers
