# The mount race on a workspace component. A racer swaps the named workspace ./sub with a
# symbolic link to a directory outside (renameat2(RENAME_EXCHANGE); the link planted again if a
# run removes it) during
# RACE_RUNS (default 200) runs of `--workspace sub`. A win is the sandbox reading the outside
# directory's marker. Every run either completes or is refused in one line; none may win, and the
# project is as it was once the racer stops.
source "$(dirname "$0")/common.sh"

runs=${RACE_RUNS:-200}
victim="$TEST_DIR/victim"
mkdir -p "$victim" project/sub
echo "outside marker" > "$victim/marker"
echo "inside" > project/sub/inside
cd project
ln -s "$victim" evil

# Half the runs against a racer swapping as fast as it can, half at the 2 ms pace that won 5 of
# 30 runs before the fix.
completed=0 refused=0 wins=0 swaps=0
for pause in 0 2000; do
  first=$([ "$pause" = 0 ] && echo 1 || echo $((runs / 2 + 1)))
  last=$([ "$pause" = 0 ] && echo $((runs / 2)) || echo "$runs")
  "$SANDBOX_RACER" . sub evil "$pause" "$victim" > "$TEST_DIR/swaps" &
  racer=$!
  on_exit "kill $racer 2>/dev/null"
  for i in $(seq "$first" "$last"); do
    run_capture docker sandbox run --workspace sub --output none "$IMAGE" \
      sh -c 'cat /workspace/marker 2>/dev/null; cat /workspace/inside'
    case "$out" in *"outside marker"*) wins=$((wins + 1)) ;; esac
    if [ "$rc" = 0 ]; then
      completed=$((completed + 1))
      expect_eq "$out" inside "run $i: the sandbox saw the workspace it was given"
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

echo "workspace race: $runs runs against $swaps swaps: $completed completed, $refused refused, $wins wins"
[ ! -s "$TEST_DIR/reasons" ] || sort "$TEST_DIR/reasons" | uniq -c | sort -rn | sed -n 1,5p
expect_eq "$wins" 0 "runs whose sandbox saw the outside directory"
# A put-back that met the racer's link where the placeholder was removes the link; the workspace
# itself is never lost (the racer may have left it under either name).
real=$(find . -maxdepth 2 -name inside)
expect_eq "$(printf '%s\n' "$real" | wc -l)" 1 "the workspace is still in the project ($real)"
expect_eq "$(cat "$real")" inside "it holds what it held"
[ -z "$(stage_dirs)" ] || fail "stage directories left: $(stage_dirs)"
expect_no_leftovers
