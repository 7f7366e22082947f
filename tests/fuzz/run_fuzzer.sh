#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time and prints its figures:
#   run_fuzzer.sh BINARY NAME SECONDS SOURCE_DIR WORK_DIR
# The fuzzer starts from the seeds (SOURCE_DIR/corpus/NAME) and the kept crashes
# (SOURCE_DIR/regressions/NAME), grows its own corpus in WORK_DIR/corpus/NAME, and writes any
# crashing input to WORK_DIR/artifacts/NAME/. One line per run is appended to WORK_DIR/figures.
set -euo pipefail
binary=$1 name=$2 seconds=$3 source=$4 work=$5

corpus=$work/corpus/$name
artifacts=$work/artifacts/$name
rm -rf "$artifacts" # crashes of an earlier run are in regressions/ once fixed
mkdir -p "$corpus" "$artifacts"
inputs=("$corpus" "$source/corpus/$name")
[ -d "$source/regressions/$name" ] && inputs+=("$source/regressions/$name")
log=$work/$name.log

status=0
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "${inputs[@]}" >"$log" 2>&1 || status=$?

executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
crashes=$(find "$artifacts" -type f | wc -l)
line="fuzz $name: ${executions:-?} executions in $seconds s, corpus $(find "$corpus" -type f | wc -l) inputs, $crashes crash inputs"
echo "$line"
echo "$line" >>"$work/figures"
if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
  tail -n 60 "$log"
  echo "fuzz $name: FAILED (exit $status). Crashing inputs are in $artifacts: fix the bug, then copy" \
    "each one to tests/fuzz/regressions/$name/ so that fuzz.$name.replay keeps it fixed." >&2
  exit 1
fi
