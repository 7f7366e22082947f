# SIGINT or SIGTERM while a sandbox runs stops and removes the container. Sent to the docker CLI
# alone (stdout not a terminal), the CLI only closes the plugin socket, which cannot say which
# signal it got: exit 130. Sent to the process group (a terminal's Ctrl-C, timeout, a
# supervisor), the plugin sees the signal itself: 130 for SIGINT, 143 for SIGTERM. A command that
# ignores the stop signal is killed once --stop-timeout has passed.
source "$(dirname "$0")/common.sh"

# interrupt SIGNAL cli|group EXPECTED_RC MIN_MS SANDBOX_ARGS...: starts the sandbox in the
# background in a process group of its own, waits until its container runs, signals the docker
# CLI (or the whole group) and checks how and when it ended.
interrupt() {
  local signal=$1 target=$2 expected=$3 min_ms=$4
  shift 4
  local what="SIG$signal to the $target of docker sandbox run $*"
  # Background jobs of a non-interactive shell start with SIGINT ignored: restore the default.
  setsid env --default-signal=INT docker sandbox run "$@" >"$TEST_DIR/out" 2>"$TEST_DIR/err" </dev/null &
  local pid=$!
  on_exit "grep -qa docker /proc/$pid/cmdline 2>/dev/null && kill -9 $pid"

  local running=""
  for _ in $(seq 1 300); do
    running=$(docker ps -q --filter label=docker-sandbox.managed=true --filter status=running)
    [ -z "$running" ] || break
    kill -0 "$pid" 2>/dev/null || fail "$what: ended before its container ran: $(cat "$TEST_DIR/err")"
    sleep 0.1
  done
  [ -n "$running" ] || fail "$what: no running container after 30 s"

  local signalled_at
  signalled_at=$(date +%s%N)
  if [ "$target" = group ]; then
    kill "-$signal" -- "-$pid"
  else
    kill "-$signal" "$pid"
  fi
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  local elapsed_ms=$((($(date +%s%N) - signalled_at) / 1000000))
  kill -0 "$pid" 2>/dev/null && fail "$what: still running 30 s after the signal"
  local code=0
  wait "$pid" || code=$?
  expect_eq "$code" "$expected" "$what: exit code ($(cat "$TEST_DIR/err"))"
  [ "$elapsed_ms" -ge "$min_ms" ] || fail "$what: ended after ${elapsed_ms} ms, before the grace period (${min_ms} ms)"
  [ "$elapsed_ms" -lt 10000 ] || fail "$what: took ${elapsed_ms} ms to end"
  [ -z "$(docker ps -aq --filter "id=$running")" ] || fail "$what: container $running left behind"
  expect_no_leftovers
}

interrupt INT cli 130 0 --stop-timeout 2 "$IMAGE" sleep 60
# The shell ignores SIGINT and waits for its child: only the SIGKILL after 1 s ends it.
interrupt INT cli 130 900 --stop-timeout 1 "$IMAGE" sh -c 'trap "" INT; sleep 60'
interrupt TERM cli 130 0 --stop-timeout 2 "$IMAGE" sleep 60
interrupt INT group 130 0 --stop-timeout 2 "$IMAGE" sleep 60
interrupt TERM group 143 0 --stop-timeout 2 "$IMAGE" sleep 60
