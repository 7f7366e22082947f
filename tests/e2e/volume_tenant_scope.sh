# --tenant scopes every volume command: given another tenant's volume, put, get, inspect and rm
# refuse it in one line and change nothing; given the owner's tenant they work; volume prune and
# prune with --tenant leave other tenants' volumes alone.
source "$(dirname "$0")/common.sh"

owner=owner$$
other=other$$
volume=$(docker sandbox volume create --tenant "$owner")
on_exit "docker volume rm -f $volume >/dev/null 2>&1"
fixtures_made
mkdir src && echo data > src/file

refused() { # WHAT CMD...
  local what=$1
  shift
  run_capture docker sandbox "$@"
  expect_eq "$rc" 1 "$what with another tenant: exit code ($err)"
  expect_contains "$err" "volume $volume belongs to tenant $owner, not to tenant $other; refusing to touch it" "$what says why"
  expect_eq "$(printf '%s\n' "$err" | grep -vc '^hint: ')" 1 "$what: one line"
}
refused put volume put --tenant "$other" "$volume" ./src
refused get volume get --tenant "$other" "$volume" "$TEST_DIR/out"
[ ! -e "$TEST_DIR/out" ] || fail "a refused get created its destination"
refused inspect volume inspect --tenant "$other" "$volume"
refused rm volume rm --tenant "$other" "$volume"
docker volume inspect "$volume" > /dev/null || fail "a refused rm removed the volume"

run_capture docker sandbox volume put --tenant "$owner" "$volume" ./src
expect_eq "$rc" 0 "put with the owner's tenant ($err)"
run_capture docker sandbox volume get --tenant "$owner" "$volume" src/file "$TEST_DIR"
expect_eq "$rc" 0 "get with the owner's tenant ($err)"
expect_eq "$(cat "$TEST_DIR/file")" data "the data came back"

run_capture docker sandbox volume prune -f --tenant "$other"
docker volume inspect "$volume" > /dev/null || fail "volume prune --tenant $other removed $owner's volume"
run_capture docker sandbox prune -f --tenant "$other"
expect_eq "$rc" 0 "prune --tenant ($err)"
docker volume inspect "$volume" > /dev/null || fail "prune --tenant $other removed $owner's volume"

run_capture docker sandbox volume rm --tenant "$owner" "$volume"
expect_eq "$rc" 0 "rm with the owner's tenant ($err)"
expect_no_leftovers
