# Fault injection at a phase of a command, for the fault tests; sourced after common.sh (its own
# directory keeps it out of the test list). The script defines expect_nothing_left WHAT, which
# inject calls after each case, and may redefine sandbox_running (a running sandbox is the phase
# "attached"; by default, any running container of ours).
#
# A case that fails leaves its command held at a failpoint: end it before the script's cleanup.
held=""
on_exit '[ -z "$held" ] || { kill -TERM -- "-$held" 2>/dev/null; wait "$held" 2>/dev/null; }'

# inject PHASE MODE EXPECTED_LINE COMMAND...: starts COMMAND in its own process group, waits until
# it holds at PHASE (a failpoint name, or "attached"), injects MODE and checks the outcome.
injected=0
inject() {
  local phase=$1 mode=$2 line=$3
  shift 3
  local what="$mode at $phase: $*"
  local failpoint=$phase
  [ "$phase" = attached ] && failpoint=none
  DOCKER_SANDBOX_FAILPOINT=$failpoint setsid env --default-signal=INT "$@" >"$TEST_DIR/out" 2>"$TEST_DIR/err" </dev/null &
  local pid=$!
  held=$pid
  local reached=""
  for _ in $(seq 1 600); do
    if [ "$phase" = attached ]; then
      sandbox_running && reached=1
    else
      grep -q "failpoint $phase reached" "$TEST_DIR/err" && reached=1
    fi
    [ -n "$reached" ] && break
    kill -0 "$pid" 2>/dev/null || fail "$what: ended before reaching the phase: $(cat "$TEST_DIR/err")"
    sleep 0.05
  done
  [ -n "$reached" ] || fail "$what: the phase was never reached"
  local expected=130
  case $mode in
    int) kill -INT -- "-$pid" ;;
    term) kill -TERM -- "-$pid"; expected=143 ;;
    eof) kill -TERM "$pid" ;;
  esac
  local code=0
  wait "$pid" || code=$?
  held=""
  expect_eq "$code" "$expected" "$what: exit code ($(cat "$TEST_DIR/err"))"
  expect_eq "$(grep -v failpoint "$TEST_DIR/err" | tail -n 1)" "$line" "$what: last line on stderr"
  expect_nothing_left "$what"
  injected=$((injected + 1))
}

line_for() {
  case $2 in
    int) echo "docker sandbox: $1: interrupted by SIGINT" ;;
    term) echo "docker sandbox: $1: interrupted by SIGTERM" ;;
    eof) echo "docker sandbox: $1: interrupted: the docker CLI closed the plugin socket (it was signalled)" ;;
  esac
}


sandbox_running() {
  [ -n "$(docker ps -q --filter label=docker-sandbox.managed=true --filter status=running)" ]
}
