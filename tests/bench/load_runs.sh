#!/usr/bin/env bash
# Load: N concurrent `docker sandbox run --tenant ... --input ... --collect ...` (default 20),
# each its own tenant. Prints runs, failures, mixed outputs, leaked objects and wall time, and
# exits non-zero when any run failed, any output was wrong, or anything was left.
#   bash tests/bench/load_runs.sh [N]    (docker sandbox must be installed, an image present)
set -uo pipefail
n=${1:-20}
image=${SANDBOX_TEST_IMAGE:-docker-sandbox-busybox:latest}
work=$(mktemp -d /tmp/sbx-load.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix="load$RANDOM"

for i in $(seq 1 "$n"); do
  mkdir -p "$work/in$i"
  echo "tenant $i secret $RANDOM$RANDOM" >"$work/in$i/secret"
done
start=$(date +%s%N)
for i in $(seq 1 "$n"); do
  docker sandbox run --tenant "$prefix-$i" --run r --input "$work/in$i" --collect "/outputs:$work/out$i" "$image" \
    sh -c 'cat /inputs/secret >/outputs/echo; ls /inputs >/outputs/listing' >"$work/log$i" 2>&1 &
done
failures=0
for job in $(jobs -p); do
  wait "$job" || failures=$((failures + 1))
done
wall=$((($(date +%s%N) - start) / 1000000))
mixed=0
for i in $(seq 1 "$n"); do
  if ! cmp -s "$work/in$i/secret" "$work/out$i/echo" || [ "$(cat "$work/out$i/listing" 2>/dev/null)" != secret ]; then
    mixed=$((mixed + 1))
    echo "run $i: wrong or missing output: $(cat "$work/log$i")" >&2
  fi
done
leaks=$(( $(docker ps -aq --filter "label=docker-sandbox.managed=true" | wc -l) \
  + $(docker volume ls -q --filter "label=docker-sandbox.managed=true" | grep -c "^tenant-$prefix-" || true) ))
printf 'load: %d concurrent runs, %d failed, %d with wrong output, %d objects left, wall %d.%03d s\n' \
  "$n" "$failures" "$mixed" "$leaks" $((wall / 1000)) $((wall % 1000))
[ "$failures" -eq 0 ] && [ "$mixed" -eq 0 ] && [ "$leaks" -eq 0 ]
