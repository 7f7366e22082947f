# The dry run lists every request the real command sends, in the same order: for each command the
# dry run (--dry-run=json) is taken first, then the same command runs for real under the docker
# CLI's -D, and the two lists must match (tests/e2e/lib/same_requests.py). Covers run with and
# without volumes (the workspace probe's requests are lookups, sent in the dry run too), run with
# a copied workspace, --pull of a present image, run -d, exec and stop in it, volume create, put, get
# (whole and a path below its root), rm (of a detached sandbox too), prune, volume rm and volume
# prune.
matcher=$(cd "$(dirname "$0")" && pwd)/lib/same_requests.py
. "$(dirname "$0")/common.sh"

tenant=dryrun$$
on_exit "docker ps -aq --filter label=docker-sandbox.tenant=$tenant | xargs -r docker rm -f >/dev/null"
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=$tenant | xargs -r docker volume rm >/dev/null"
compared=0

# same_requests WHAT ARGS... -- the dry-run flag goes right after the command words, given as
# the first argument(s) up to "::", e.g. same_requests "run" run :: "$IMAGE" true
same_requests() {
  local what=$1
  shift
  local words=()
  while [ "$1" != "::" ]; do
    words+=("$1")
    shift
  done
  shift
  docker sandbox "${words[@]}" --dry-run=json "$@" >"$TEST_DIR/dry.json" 2>"$TEST_DIR/dry.err" \
    || fail "$what: the dry run failed: $(cat "$TEST_DIR/dry.err")"
  local code=0
  docker -D sandbox "${words[@]}" "$@" >"$TEST_DIR/live.out" 2>"$TEST_DIR/live.err" </dev/null || code=$?
  [ "$code" = 0 ] || fail "$what: exit $code: $(grep -v '^DEBU' "$TEST_DIR/live.err")"
  python3 "$matcher" "$TEST_DIR/dry.json" "$TEST_DIR/live.err" "$what"
  compared=$((compared + 1))
}

mkdir -p "$TEST_DIR/project/in/sub"
echo data >"$TEST_DIR/project/in/sub/file"
cd "$TEST_DIR/project"

same_requests "run" run :: --output none "$IMAGE" true
same_requests "run --workspace-mode copy" run :: --workspace-mode copy "$IMAGE" sh -c 'cat in/sub/file >output/copied'
expect_eq "$(cat output/copied)" data "the copied run's output came back"
rm -rf output
same_requests "run --pull (present)" run :: --output none --pull "$IMAGE" true
same_requests "run --input --collect" run :: --output none --tenant "$tenant" --input in \
  --collect "/outputs/deep/er:$TEST_DIR/collected" "$IMAGE" sh -c 'mkdir -p /outputs/deep/er && cp -r /inputs/. /outputs/deep/er/'
expect_eq "$(cat "$TEST_DIR/collected/sub/file")" data "the run collected what it copied"
rm -rf "$TEST_DIR/collected"

same_requests "volume create" volume create :: --tenant "$tenant"
vol=$(docker volume ls -q --filter label=docker-sandbox.tenant="$tenant" | head -n 1)
[ -n "$vol" ] || fail "volume create made no volume"
same_requests "volume put" volume put :: --tenant "$tenant" "$vol" in
same_requests "volume get (all)" volume get :: -q "$vol" "$TEST_DIR/all"
same_requests "volume get (a path)" volume get :: -q "$vol" in/sub "$TEST_DIR/part"
expect_eq "$(cat "$TEST_DIR/part/file")" data "get of a path copied it"

same_requests "run -d" run :: -d --tenant "$tenant" --name "sbx-dry-detached-$tenant" "$IMAGE" sleep 1000
same_requests "exec" exec :: "sbx-dry-detached-$tenant" true
same_requests "stop" stop :: -t 1 "sbx-dry-detached-$tenant"
same_requests "rm (detached, with its init's volume)" rm :: "sbx-dry-detached-$tenant"
docker sandbox run --output none --keep --tenant "$tenant" --name "sbx-dry-$tenant" "$IMAGE" true
same_requests "rm" rm :: "sbx-dry-$tenant"
docker sandbox run --output none --keep --tenant "$tenant" "$IMAGE" true
same_requests "prune" prune :: --force --tenant "$tenant"
same_requests "volume rm" volume rm :: "$vol"
docker sandbox volume create --tenant "$tenant" >/dev/null
same_requests "volume prune" volume prune :: --force --tenant "$tenant"

expect_eq "$(docker volume ls -q --filter label=docker-sandbox.tenant="$tenant")" "" "no volume of the test left"
expect_eq "$(docker ps -aq --filter label=docker-sandbox.tenant="$tenant")" "" "no container of the test left"
echo "dry_run_matches_live: $compared commands, each sent exactly what its dry run listed"
