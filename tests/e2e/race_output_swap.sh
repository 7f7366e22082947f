# The mount race on ./output. A racer (another local user who can write the project, or a
# concurrent sandbox with it writable) swaps ./output with a symbolic link to a directory outside,
# with renameat2(RENAME_EXCHANGE), during RACE_RUNS (default 200) runs. The engine
# resolves a bind source's path again at start, so a run that handed it ./output could get the
# outside directory mounted. A win is the sandbox reading the outside directory's marker or
# leaving anything in it. Every run either completes or is refused in one line; none may win.
source "$(dirname "$0")/common.sh"

runs=${RACE_RUNS:-200}
victim="$TEST_DIR/victim"
mkdir -p "$victim" project/output
echo "outside marker" > "$victim/marker"
cd project
ln -s "$victim" evil

# Half the runs against a racer swapping as fast as it can, half at the 2 ms pace that won 5 of
# 30 runs before the fix.
completed=0 refused=0 wins=0 swaps=0
for pause in 0 2000; do
  first=$([ "$pause" = 0 ] && echo 1 || echo $((runs / 2 + 1)))
  last=$([ "$pause" = 0 ] && echo $((runs / 2)) || echo "$runs")
  "$SANDBOX_RACER" . output evil "$pause" "$victim" > "$TEST_DIR/swaps" &
  racer=$!
  on_exit "kill $racer 2>/dev/null"
  for i in $(seq "$first" "$last"); do
    run_capture docker sandbox run "$IMAGE" sh -c "cat /workspace/output/marker 2>/dev/null; echo run $i > /workspace/output/result-$i"
    case "$out" in *"outside marker"*) wins=$((wins + 1)) ;; esac
    if [ "$rc" = 0 ]; then
      completed=$((completed + 1))
    else
      refused=$((refused + 1))
      printf '%s\n' "$err" | grep -v '^hint: ' | sed -E 's/[0-9a-f]{12}/<run>/g' >> "$TEST_DIR/reasons"
      [ "$(printf '%s\n' "$err" | grep '^docker sandbox: ' | grep -vc '^docker sandbox: warning:')" -le 1 ] \
        || fail "run $i: refused in more than one line ($err)"
    fi
  done
  kill -TERM "$racer"
  wait "$racer"
  swaps=$((swaps + $(cat "$TEST_DIR/swaps")))
done

planted=$(find "$victim" -mindepth 1 ! -name marker | wc -l)
[ "$planted" = 0 ] || wins=$((wins + planted))
echo "output race: $runs runs against $swaps swaps: $completed completed, $refused refused, $wins wins"
[ ! -s "$TEST_DIR/reasons" ] || sort "$TEST_DIR/reasons" | uniq -c | sort -rn | sed -n 1,5p
expect_eq "$wins" 0 "runs whose sandbox reached the outside directory"
# With the racer gone, whatever a run could not deliver while ./output was a link arrives with
# the next run, and every completed run's result is in ./output.
[ -d output ] && [ ! -L output ] || fail "./output is not the directory it was"
run_capture docker sandbox run "$IMAGE" true
expect_eq "$rc" 0 "a run after the race ($err)"
delivered=$(find output -name 'result-*' | wc -l)
[ "$delivered" -ge "$completed" ] || fail "$completed runs completed, but $delivered results are in ./output"
[ -z "$(find output -not -user "$(id -u)")" ] || fail "./output holds files that are not the invoker's: $(find output -not -user "$(id -u)" | head -3)"
[ -z "$(stage_dirs)" ] || fail "stage directories left: $(stage_dirs)"
expect_no_leftovers
