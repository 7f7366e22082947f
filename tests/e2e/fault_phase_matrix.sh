# SIGINT, SIGTERM and plugin-socket EOF at each phase of `run --input --collect` and of
# `volume put` / `volume get`. Each phase is held with a failpoint (DOCKER_SANDBOX_FAILPOINT, see
# lib/util/failpoint.h), except "attached", which waits for the running container. Every case
# asserts the exit code, the last line on stderr, and that no container, helper or volume of
# the tenant is left.
#   int   SIGINT to the process group (Ctrl-C in a terminal): 130
#   term  SIGTERM to the process group (timeout, a supervisor): 143
#   eof   SIGTERM to the docker CLI alone, which closes the plugin socket: 130
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/lib/inject.sh"
[ "${SANDBOX_FAILPOINTS:-}" = ON ] || skip "built without -DSANDBOX_FAILPOINTS=ON"

tenant="fpm$RANDOM"
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=$tenant | xargs -r docker volume rm -f >/dev/null"
on_exit "docker ps -aq --filter label=docker-sandbox.tenant=$tenant | xargs -r docker rm -f >/dev/null"
mkdir -p "$TEST_DIR/in"
echo data >"$TEST_DIR/in/file"
vol=$(docker sandbox volume create --tenant "$tenant" --run shared)
docker sandbox volume put -q "$vol" "$TEST_DIR/in"
fixtures_made

expect_nothing_left() {
  local what=$1
  expect_no_leftovers
  expect_eq "$(docker volume ls -q --filter "label=docker-sandbox.tenant=$tenant" | grep -v "^$vol\$" || true)" "" \
    "$what: volumes left"
  expect_eq "$(docker ps -aq --filter label=docker-sandbox.role=volume-transfer)" "" "$what: helper left"
}

n=0
for mode in int term eof; do
  for phase in before-upload before-create before-attach before-start attached before-download; do
    n=$((n + 1))
    command='sleep 60'
    [ "$phase" = before-download ] && command='echo out >/outputs/result'
    # shellcheck disable=SC2086 # the command's words
    inject "$phase" "$mode" "$(line_for run "$mode")" docker sandbox run --tenant "$tenant" --run "r$n" \
      --input "$TEST_DIR/in" --collect "/outputs:$TEST_DIR/collected$n" "$IMAGE" sh -c "$command"
    [ ! -e "$TEST_DIR/collected$n" ] || fail "$mode at $phase: an interrupted run left $TEST_DIR/collected$n"
  done
  inject before-upload "$mode" "$(line_for "volume put" "$mode")" docker sandbox volume put "$vol" "$TEST_DIR/in"
  inject before-download "$mode" "$(line_for "volume get" "$mode")" docker sandbox volume get "$vol" in/file "$TEST_DIR/got"
  [ ! -e "$TEST_DIR/got" ] || fail "$mode at before-download: an interrupted get left $TEST_DIR/got"
done
docker sandbox volume rm "$vol" >/dev/null

# Ctrl-C before a copied workspace's sandbox started: nothing was written, so nothing stays.
inject before-start int "$(line_for run int)" docker sandbox run --workspace-mode copy --workspace "$TEST_DIR/in" \
  --output "$TEST_DIR/copied-out" "$IMAGE" true
grep -q "kept volume" "$TEST_DIR/err" && fail "a volume was kept although the sandbox never ran: $(cat "$TEST_DIR/err")"

# Ctrl-C while a copied output is read back: the volume that holds it is kept, and named.
mkdir "$TEST_DIR/project"
cd "$TEST_DIR/project"
DOCKER_SANDBOX_FAILPOINT=before-download setsid env --default-signal=INT \
  docker sandbox run --workspace-mode copy "$IMAGE" sh -c 'echo kept > output/f' >"$TEST_DIR/out" 2>"$TEST_DIR/err" </dev/null &
held=$!
cd "$TEST_DIR"
for _ in $(seq 1 600); do
  grep -q "failpoint before-download reached" "$TEST_DIR/err" && break
  sleep 0.05
done
grep -q "failpoint before-download reached" "$TEST_DIR/err" || fail "the copied output's download was never reached: $(cat "$TEST_DIR/err")"
kill -INT -- "-$held"
code=0
wait "$held" || code=$?
held=""
expect_eq "$code" 130 "Ctrl-C while a copied output is read back: exit code ($(cat "$TEST_DIR/err"))"
kept=$(sed -n 's/^docker sandbox: run: kept volume //p' "$TEST_DIR/err")
expect_eq "$(printf '%s\n' "$kept" | grep -c .)" 1 "one kept volume, the output's, is named ($(cat "$TEST_DIR/err"))"
on_exit "docker volume rm -f $kept >/dev/null"
expect_eq "$(docker run --rm --network none -v "$kept:/o:ro" "$IMAGE" cat /o/f)" "kept" "what the kept volume holds"
expect_eq "$(ls -A "$TEST_DIR/project/output" 2>/dev/null)" "" "nothing delivered after Ctrl-C"
echo "fault_phase_matrix: $injected faults injected, $injected survived (right exit code and message, nothing left)"
