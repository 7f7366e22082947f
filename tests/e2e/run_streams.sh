# Output streams: stdout and stderr stay apart, -i forwards stdin up to EOF, 50 MB of stdout arrive
# complete, and a reader that goes away early neither hangs the run nor leaves a container behind.
source "$(dirname "$0")/common.sh"

run_capture docker sandbox run "$IMAGE" sh -c 'echo to-stdout; echo to-stderr >&2; echo more-stdout'
expect_eq "$rc" 0 "separate streams exit code ($err)"
expect_eq "$out" "$(printf 'to-stdout\nmore-stdout')" "stdout alone"
expect_eq "$err" "to-stderr" "stderr alone"

run_capture sh -c "printf 'a\nb\n' | docker sandbox run -i '$IMAGE' sh -c 'cat; echo eof-seen'"
expect_eq "$rc" 0 "-i exit code ($err)"
expect_eq "$out" "$(printf 'a\nb\neof-seen')" "stdin forwarded up to EOF"

run_capture sh -c "docker sandbox run '$IMAGE' head -c 52428800 /dev/zero | wc -c"
expect_eq "$rc" 0 "50 MB exit code ($err)"
expect_eq "$out" "52428800" "bytes of stdout received"

start=$(date +%s%N)
run_capture timeout -k 5 30 sh -c "docker sandbox run '$IMAGE' yes | head -n 1"
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
  # timeout signalled the pipeline; give the orphaned plugin a bounded chance to clean up so that
  # the next test does not inherit its container.
  for _ in $(seq 1 100); do [ -z "$(new_containers)" ] && break; sleep 0.2; done
  fail "a run whose reader went away hung (killed after ${elapsed_ms} ms; left: [$(new_containers)])"
fi
expect_eq "$rc" 0 "early reader pipeline exit code ($err)"
expect_eq "$out" "y" "first line read"
[ "$elapsed_ms" -lt 20000 ] || fail "a run whose reader went away took ${elapsed_ms} ms"
expect_no_leftovers
