#!/usr/bin/env bash
# Makes sure a Docker engine is reachable, starting Debian's dockerd when none is.
#   bash tests/tools/engine.sh start   start one if needed; prints "started" or "running"
#   bash tests/tools/engine.sh stop    stop the dockerd that `start` started (and nothing else)
set -euo pipefail
state=${SANDBOX_ENGINE_STATE:-/run/docker-sandbox-engine.pid}
log=${SANDBOX_ENGINE_LOG:-/var/log/docker-sandbox-dockerd.log}

engine_up() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

case "${1:-}" in
start)
  if engine_up; then
    echo running
    exit 0
  fi
  if ! command -v dockerd >/dev/null; then
    echo "engine: no engine is reachable and dockerd is not installed (apt-get install docker.io)" >&2
    exit 1
  fi
  if [ -S /var/run/docker.sock ] && ! pgrep -x dockerd >/dev/null; then
    rm -f /var/run/docker.sock # stale socket of a dockerd that is gone
  fi
  nohup dockerd >"$log" 2>&1 &
  echo $! >"$state"
  for _ in $(seq 1 60); do
    if engine_up; then
      echo started
      exit 0
    fi
    if ! kill -0 "$(cat "$state")" 2>/dev/null; then
      break
    fi
    sleep 0.5
  done
  echo "engine: dockerd did not come up; last lines of $log:" >&2
  tail -n 20 "$log" >&2
  exit 1
  ;;
stop)
  [ -f "$state" ] || exit 0
  pid=$(cat "$state")
  rm -f "$state"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || exit 0
      sleep 0.5
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
