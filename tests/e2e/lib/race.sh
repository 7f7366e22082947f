# The loop of the mount race tests; sourced after common.sh (its own directory keeps it out of the
# test list).
#
# race NAME ATTEMPT CHECK: RACE_RUNS (default 200) runs of the function ATTEMPT (given the run
# number; it calls run_capture) while tests/e2e/swap_racer.cpp swaps ./NAME with the link ./evil
# to $victim, whose file `marker` holds "outside marker": half the runs against a racer swapping as
# fast as it can, half at the 2 ms pace that won 5 of 30 runs before the fix; the racer plants its
# link again when a run removes it. A run whose output shows the marker is a win; a completed run
# is checked by the function CHECK (given the run number); any other is refused, in at most one
# error line of the plugin's. Sets race_completed, race_refused and race_wins, and prints them
# with the commonest refusals and the stage directories that runs left (note_stages), even those a
# later run repaired.
race() {
  local name=$1 attempt=$2 check=$3 runs=${RACE_RUNS:-200} swaps=0 pause first last racer i
  race_completed=0 race_refused=0 race_wins=0
  for pause in 0 2000; do
    first=$([ "$pause" = 0 ] && echo 1 || echo $((runs / 2 + 1)))
    last=$([ "$pause" = 0 ] && echo $((runs / 2)) || echo "$runs")
    "$SANDBOX_RACER" . "$name" evil "$pause" "$victim" > "$TEST_DIR/swaps" &
    racer=$!
    on_exit "kill $racer 2>/dev/null"
    for i in $(seq "$first" "$last"); do
      "$attempt" "$i"
      note_stages "run $i"
      case "$out" in *"outside marker"*) race_wins=$((race_wins + 1)) ;; esac
      if [ "$rc" = 0 ]; then
        race_completed=$((race_completed + 1))
        "$check" "$i"
      else
        race_refused=$((race_refused + 1))
        printf '%s\n' "$err" | grep -v '^hint: ' | sed -E 's/[0-9a-f]{12}/<run>/g' >> "$TEST_DIR/reasons"
        # Besides warnings, an engine that is not local may say first that the probe found the
        # directories changed (the racer at work) and that they are copied instead.
        [ "$(printf '%s\n' "$err" | grep '^docker sandbox: ' | grep -v '^docker sandbox: warning:' \
          | grep -vc '^docker sandbox: run: the workspace is copied in')" -le 1 ] \
          || fail "run $i: refused in more than one line ($err)"
      fi
    done
    kill -TERM "$racer"
    wait "$racer"
    swaps=$((swaps + $(cat "$TEST_DIR/swaps")))
  done
  echo "$name race: $runs runs against $swaps swaps: $race_completed completed, $race_refused refused, $race_wins wins"
  [ ! -s "$TEST_DIR/reasons" ] || sort "$TEST_DIR/reasons" | uniq -c | sort -rn | sed -n 1,5p
  local note
  for note in "$TEST_DIR"/stage-notes/*; do
    [ -f "$note" ] || continue
    echo "stage directory ${note##*/}, $(head -1 "$note")"
    tail -n +2 "$note" | sed 's/^/  /'
  done
}
