# A workspace nobody named (the current directory) is refused when it is /, the user's home, or a
# directory holding .ssh, .gnupg, .aws, .docker or the Docker config: one line, exit 125, nothing
# created. Named with --workspace, it is the user's choice and runs.
source "$(dirname "$0")/common.sh"

refused() { # DIR WHY
  run_capture env HOME="${HOME_FOR:-/nonexistent}" docker sandbox run "$IMAGE" true
  expect_eq "$rc" 125 "$1: exit code ($err)"
  expect_contains "$err" "docker sandbox: run: the workspace would be $1, $2: refusing to expose it by default; name it with --workspace $1 if you mean it" "$1: the reason"
  expect_eq "$(printf '%s\n' "$err" | grep -vc '^hint: ')" 1 "$1: one line"
  expect_no_leftovers
}

(cd / && HOME_FOR=/nonexistent refused / "the root of the filesystem")
[ ! -e /output ] || fail "a refused run created /output"

mkdir "$TEST_DIR/home"
(cd "$TEST_DIR/home" && HOME_FOR="$TEST_DIR/home" refused "$TEST_DIR/home" "your home directory")
[ ! -e "$TEST_DIR/home/output" ] || fail "a refused run created output/ in the home directory"

for secret in .ssh .gnupg .aws .docker; do
  mkdir -p "$TEST_DIR/with$secret/$secret"
  (cd "$TEST_DIR/with$secret" && refused "$TEST_DIR/with$secret" "a directory that holds $secret")
done

mkdir "$TEST_DIR/config-inside"
(cd "$TEST_DIR/config-inside" && DOCKER_CONFIG="$DOCKER_CONFIG" && mkdir cfg && cp -a "$DOCKER_CONFIG/." cfg/ &&
  DOCKER_CONFIG="$TEST_DIR/config-inside/cfg" refused "$TEST_DIR/config-inside" "a directory that holds your Docker config ($TEST_DIR/config-inside/cfg)")

cd "$TEST_DIR/home"
run_capture env HOME="$TEST_DIR/home" docker sandbox run --workspace "$TEST_DIR/home" "$IMAGE" sh -c 'ls -d /workspace/output'
expect_eq "$rc" 0 "--workspace names it on purpose ($err)"
expect_eq "$out" /workspace/output "the named workspace is mounted"
expect_no_leftovers
