# Ctrl-C (SIGINT to the process group) during each phase of `run --input --collect` - while
# the input is copied in, while the sandbox runs, while the output is copied out - and during
# `volume put` and `volume get`: exit 130, and no volume, helper or container of the run is left.
source "$(dirname "$0")/common.sh"

tenant="e2e$RANDOM"
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=$tenant | xargs -r docker volume rm -f >/dev/null"
on_exit "docker ps -aq --filter label=docker-sandbox.managed=true | xargs -r docker rm -f >/dev/null"

mkdir -p "$TEST_DIR/big"
for i in 1 2 3 4; do head -c 200000000 /dev/zero >"$TEST_DIR/big/zero$i"; done

# interrupt WHAT CONDITION COMMAND...: runs COMMAND in its own process group, waits until
# CONDITION (a shell command) succeeds, sends SIGINT to the group, and checks the outcome.
interrupt() {
  local what=$1 condition=$2
  shift 2
  setsid env --default-signal=INT "$@" >"$TEST_DIR/out" 2>"$TEST_DIR/err" </dev/null &
  local pid=$!
  local reached=""
  for _ in $(seq 1 600); do
    if eval "$condition" >/dev/null 2>&1; then reached=1; break; fi
    kill -0 "$pid" 2>/dev/null || fail "$what: ended before the phase was reached: $(cat "$TEST_DIR/err")"
    sleep 0.05
  done
  [ -n "$reached" ] || fail "$what: the phase was never reached"
  kill -INT -- "-$pid"
  local code=0
  wait "$pid" || code=$?
  expect_eq "$code" 130 "$what: exit code ($(cat "$TEST_DIR/err"))"
  # One label filter, the other label checked here: Podman 4.3 matches either of two label filters.
  expect_eq "$(docker volume ls --filter "label=docker-sandbox.tenant=$tenant" --format '{{.Name}} {{.Label "docker-sandbox.run"}}' |
    awk -v run="$what" '$2 == run')" "" "$what: volumes left"
  expect_eq "$(docker ps -aq --filter label=docker-sandbox.role=volume-transfer)" "" "$what: helper left"
  expect_no_leftovers
}

helper_exists='[ -n "$(docker ps -aq --filter label=docker-sandbox.role=volume-transfer)" ]'
sandbox_running='[ -n "$(docker ps -q --filter label=docker-sandbox.managed=true --filter status=running)" ]'
# The collect phase: a sandbox of the run was seen running, none runs now (it exited, or is being
# removed while the collector is read), and the collector it is read back through is there.
collecting() {
  if [ -n "$(docker ps -q --filter label=docker-sandbox.managed=true --filter status=running)" ]; then
    touch "$TEST_DIR/ran"
    return 1
  fi
  [ -e "$TEST_DIR/ran" ] && [ -n "$(docker ps -aq --filter name=docker-sandbox-collect-)" ]
}

interrupt filling "$helper_exists" \
  docker sandbox run --tenant "$tenant" --run filling --input "$TEST_DIR/big" --collect "/outputs:$TEST_DIR/o1" "$IMAGE" true
interrupt running "$sandbox_running" \
  docker sandbox run --tenant "$tenant" --run running --input "$TEST_DIR/big/zero1" --collect "/outputs:$TEST_DIR/o2" "$IMAGE" sleep 60
interrupt collecting collecting \
  docker sandbox run --tenant "$tenant" --run collecting --input "$TEST_DIR/big/zero1" --collect "/outputs:$TEST_DIR/o3" \
  "$IMAGE" sh -c 'for i in 1 2 3 4 5 6; do cat /inputs/zero1 >/outputs/z$i; done'
[ ! -e "$TEST_DIR/o3" ] || fail "an interrupted collect left $TEST_DIR/o3 behind"

vol=$(docker sandbox volume create --tenant "$tenant" --run putdata)
fixtures_made
interrupt put "$helper_exists" docker sandbox volume put "$vol" "$TEST_DIR/big"
docker sandbox volume rm "$vol" >/dev/null
vol=$(docker sandbox volume create --tenant "$tenant" --run getdata)
fixtures_made
docker sandbox volume put -q "$vol" "$TEST_DIR/big"
interrupt get "$helper_exists" docker sandbox volume get "$vol" "$TEST_DIR/got"
[ ! -e "$TEST_DIR/got" ] || fail "an interrupted get left $TEST_DIR/got behind"
docker sandbox volume rm "$vol" >/dev/null
