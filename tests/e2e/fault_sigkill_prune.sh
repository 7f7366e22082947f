# SIGKILL of the plugin in the middle of `run --input --collect` leaves a running container and
# the run's volumes with nobody to remove them. `docker sandbox prune -f` finds and removes
# exactly those: a live sandbox (and its volumes), an unmanaged container and volume, and a
# managed volume that no killed run owns stay. SIGTERM (group) during `volume put` and socket
# EOF during `volume get` end with 143 and 130 and leave no helper.
source "$(dirname "$0")/common.sh"

tenant="e2e$RANDOM"
on_exit "docker ps -aq --filter label=docker-sandbox.tenant=$tenant | xargs -r docker rm -f >/dev/null"
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=$tenant | xargs -r docker volume rm -f >/dev/null"
on_exit "docker rm -f sbx-e2e-foreign-$tenant >/dev/null; docker volume rm -f sbx-e2e-foreign-$tenant >/dev/null"

mkdir -p "$TEST_DIR/in" && echo data >"$TEST_DIR/in/f"
docker create --name "sbx-e2e-foreign-$tenant" -v "sbx-e2e-foreign-$tenant:/v" "$IMAGE" true >/dev/null
kept=$(docker sandbox volume create --tenant "$tenant" --run kept)
fixtures_made

# wait_for CONDITION: polls a shell condition for up to 30 s.
wait_for() {
  for _ in $(seq 1 300); do
    eval "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  fail "never true: $1"
}
running_of() { docker ps -q --filter "label=docker-sandbox.run=$1" --filter status=running; }

# The victim: killed with SIGKILL once its sandbox runs.
docker sandbox run --tenant "$tenant" --run victim --input "$TEST_DIR/in" --collect "/outputs:$TEST_DIR/o" "$IMAGE" sleep 300 \
  >/dev/null 2>&1 &
victim=$!
wait_for '[ -n "$(running_of victim)" ]'
# The plugin is the docker CLI's child.
core=$(pgrep -P "$victim" -f docker-sandbox)
[ -n "$core" ] || fail "no plugin process found"
kill -KILL $core
wait "$victim" 2>/dev/null || true
expect_eq "$(docker volume ls -q --filter "label=docker-sandbox.run=victim" | wc -l)" 2 "the killed run left its two volumes"

# A live run that prune must not touch.
docker sandbox run --tenant "$tenant" --run alive --input "$TEST_DIR/in" --collect "/outputs:$TEST_DIR/a" "$IMAGE" sleep 300 \
  >/dev/null 2>&1 &
alive=$!
on_exit "kill -INT $alive 2>/dev/null"
wait_for '[ -n "$(running_of alive)" ]'

run_capture docker sandbox prune -f
expect_eq "$rc" 0 "prune ($err)"
expect_eq "$(docker ps -aq --filter label=docker-sandbox.run=victim)" "" "the orphaned container is gone"
expect_eq "$(docker volume ls -q --filter label=docker-sandbox.run=victim)" "" "the orphaned volumes are gone"
[ -n "$(running_of alive)" ] || fail "prune removed a live sandbox"
expect_eq "$(docker volume ls -q --filter label=docker-sandbox.run=alive | wc -l)" 2 "a live run's volumes stay"
docker inspect "sbx-e2e-foreign-$tenant" >/dev/null || fail "prune removed a container that is not ours"
docker volume inspect "sbx-e2e-foreign-$tenant" >/dev/null || fail "prune removed a volume that is not ours"
docker volume inspect "$kept" >/dev/null || fail "prune removed a managed volume that no killed run owns"

kill -INT "$alive"
code=0
wait "$alive" || code=$?
expect_eq "$code" 130 "the live run, interrupted"
expect_eq "$(docker volume ls -q --filter label=docker-sandbox.run=alive)" "" "its volumes went with it"

# SIGTERM to the group during a put, SIGINT to the CLI alone (socket EOF) during a get.
head -c 400000000 /dev/zero >"$TEST_DIR/in/big"
helper='[ -n "$(docker ps -aq --filter label=docker-sandbox.role=volume-transfer)" ]'
setsid docker sandbox volume put "$kept" "$TEST_DIR/in" >/dev/null 2>&1 </dev/null &
pid=$!
wait_for "$helper"
kill -TERM -- "-$pid"
code=0
wait "$pid" || code=$?
expect_eq "$code" 143 "SIGTERM during put"
expect_eq "$(docker ps -aq --filter label=docker-sandbox.role=volume-transfer)" "" "no helper after put"
docker sandbox volume put -q "$kept" "$TEST_DIR/in"
setsid docker sandbox volume get "$kept" "$TEST_DIR/got" >/dev/null 2>&1 </dev/null &
pid=$!
wait_for "$helper"
kill -INT "$pid"
code=0
wait "$pid" || code=$?
expect_eq "$code" 130 "socket EOF during get"
[ ! -e "$TEST_DIR/got" ] || fail "an interrupted get left its destination"
wait_for '[ -z "$(docker ps -aq --filter label=docker-sandbox.role=volume-transfer)" ]'
expect_no_leftovers
