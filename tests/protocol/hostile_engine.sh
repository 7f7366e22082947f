#!/usr/bin/env bash
# Runs the real plugin (`docker-sandbox ls`, standalone mode) against a hostile fake engine,
# one misbehaviour at a time (and against a TCP endpoint that never answers a TLS handshake), and checks that it gives up with one short error, in bounded memory
# and without hanging. Needs HOSTILE_ENGINE (the hostile_engine helper) and SANDBOX_PLUGIN (the
# docker-sandbox binary) in the environment.
set -euo pipefail

: "${HOSTILE_ENGINE:?path of the hostile_engine helper}"
: "${SANDBOX_PLUGIN:?path of the docker-sandbox binary}"

behaviors=(endless-header many-headers endless-body deep-json silence cut-chunk)
kill_after=90           # seconds; only a guard against a hang, never a timing assertion
max_rss_kib=${HOSTILE_MAX_RSS_KIB:-65536} # 64 MiB; more under the sanitizers, whose shadow memory counts

engine_pid=""
dirs=()
failures=0

cleanup() {
  if [[ -n "$engine_pid" ]]; then
    kill -TERM "$engine_pid" 2>/dev/null || true
    wait "$engine_pid" 2>/dev/null || true
  fi
  if ((${#dirs[@]})); then rm -rf "${dirs[@]}"; fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: hostile-engine $1" >&2
  failures=$((failures + 1))
}

# Starts the engine with `behavior` on $dir/engine.sock and waits for its "ready" line.
start_engine() {
  local dir=$1 behavior=$2 line=""
  mkfifo "$dir/ready"
  "$HOSTILE_ENGINE" "$dir/engine.sock" "$behavior" >"$dir/ready" 2>"$dir/engine.err" &
  engine_pid=$!
  if ! read -r -t 30 line <"$dir/ready" || [[ "$line" != ready ]]; then
    echo "hostile_engine did not start ($behavior): $(cat "$dir/engine.err")" >&2
    exit 1
  fi
}

stop_engine() {
  local rc=0
  kill -TERM "$engine_pid"
  wait "$engine_pid" || rc=$?
  engine_pid=""
  if ((rc != 0)); then fail "$1: the engine exited $rc on SIGTERM"; fi
}

# Runs `docker-sandbox ls` against the engine; sets rc, and leaves $dir/{out,err,time}.
run_plugin() {
  local dir=$1
  rc=0
  env -i PATH=/usr/bin:/bin HOME="$dir" DOCKER_HOST="unix://$dir/engine.sock" DOCKER_SANDBOX_ENGINE_TIMEOUT=5 \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
    timeout -s KILL "$kill_after" /usr/bin/time -f '%M %e' -o "$dir/time" "$SANDBOX_PLUGIN" ls \
    >"$dir/out" 2>"$dir/err" </dev/null || rc=$?
}

# Prints the figures for one behavior and checks them.
check_result() {
  local dir=$1 behavior=$2 peak="?" elapsed="?" first_line lines
  # /usr/bin/time writes "Command exited with non-zero status N" first; the figures come last.
  if [[ -s "$dir/time" ]]; then read -r peak elapsed < <(tail -n 1 "$dir/time"); fi
  first_line=$(head -n 1 "$dir/err")
  lines=$(wc -l <"$dir/err")
  echo "hostile-engine $behavior: exit $rc, $elapsed s, peak $peak KiB: $first_line"

  if ((rc == 137)); then
    fail "$behavior: killed after ${kill_after} s (a hang)"
    return
  fi
  if ((rc != 1)); then fail "$behavior: exited $rc, not 1 (ls failed)"; fi
  if [[ "$first_line" != "docker-sandbox: "* && "$first_line" != "docker sandbox: "* ]]; then
    fail "$behavior: stderr does not start with an error line"
  fi
  if ((lines > 2)); then fail "$behavior: stderr has $lines lines"; fi
  if [[ ! "$peak" =~ ^[0-9]+$ ]] || ((peak >= max_rss_kib)); then
    fail "$behavior: peak RSS $peak KiB, not below $max_rss_kib KiB"
  fi
}

run_behavior() {
  local behavior=$1 dir
  dir=$(mktemp -d)
  dirs+=("$dir")
  start_engine "$dir" "$behavior"
  run_plugin "$dir"
  check_result "$dir" "$behavior"
  stop_engine "$behavior"
}

for behavior in "${behaviors[@]}"; do
  run_behavior "$behavior"
done

# silent-tls: a TCP endpoint that accepts, then never answers the TLS handshake.
dir=$(mktemp -d)
dirs+=("$dir")
mkfifo "$dir/ready"
python3 -c '
import socket, sys, time
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(4)
print(listener.getsockname()[1], flush=True)
held = []
while True:
    held.append(listener.accept()[0])
' >"$dir/ready" 2>"$dir/engine.err" &
engine_pid=$!
read -r -t 30 port <"$dir/ready" || { echo "the silent TLS listener did not start: $(cat "$dir/engine.err")" >&2; exit 1; }
mkdir "$dir/.docker"
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 \
  -keyout "$dir/.docker/key.pem" -out "$dir/.docker/cert.pem" 2>/dev/null
cp "$dir/.docker/cert.pem" "$dir/.docker/ca.pem"
rc=0
env -i PATH=/usr/bin:/bin HOME="$dir" DOCKER_HOST="tcp://127.0.0.1:$port" DOCKER_TLS=1 DOCKER_SANDBOX_ENGINE_TIMEOUT=5 \
  ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
  timeout -s KILL "$kill_after" /usr/bin/time -f '%M %e' -o "$dir/time" "$SANDBOX_PLUGIN" ls \
  >"$dir/out" 2>"$dir/err" </dev/null || rc=$?
check_result "$dir" silent-tls
kill -TERM "$engine_pid" 2>/dev/null || true
wait "$engine_pid" 2>/dev/null || true
engine_pid=""

if ((failures)); then
  echo "hostile-engine: $failures failed check(s)" >&2
  exit 1
fi
