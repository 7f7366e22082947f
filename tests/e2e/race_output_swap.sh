# The mount race on ./output. A racer (another local user who can write the project, or a
# concurrent sandbox with it writable) swaps ./output with a symbolic link to a directory outside
# (lib/race.sh) during RACE_RUNS (default 200) runs. The engine resolves a bind source's path
# again at start, so a run that handed it ./output could get the
# outside directory mounted. A win is the sandbox reading the outside directory's marker or
# leaving anything in it, or a mount left on it. Every run either completes or is refused in one
# line; none may win.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/lib/race.sh"

victim="$TEST_DIR/victim"
mkdir -p "$victim" project/output
echo "outside marker" > "$victim/marker"
cd project
ln -s "$victim" evil

# Every third run also collects: what is read back must never come through the sandbox, whose
# binds the engine would mount in its own namespace for an archive request (the racer's victim
# would show up as a mount there). A run completes only when its command wrote its result: when
# ./output was the link as the container started, runc mounts the staged output at the link's
# target inside the container's own root, and once the racer swaps the directory back,
# /workspace/output names it through the read-only workspace, where the write fails.
attempt() {
  if [ $(($1 % 3)) = 0 ]; then
    run_capture docker sandbox run --tenant race --workspace . --output ./output --collect "/outputs:$TEST_DIR/collected-$1" "$IMAGE" \
      sh -c "cat /workspace/output/marker 2>/dev/null; echo run $1 > /workspace/output/result-$1 && echo $1 > /outputs/c"
  else
    run_capture docker sandbox run "$IMAGE" sh -c "cat /workspace/output/marker 2>/dev/null; echo run $1 > /workspace/output/result-$1"
  fi
  [ "$rc" != 0 ] || printf '%s\n' "$err" > "$TEST_DIR/completed-$1"
}
race output attempt true

wins=$race_wins completed=$race_completed
planted=$(find "$victim" -mindepth 1 ! -name marker | wc -l)
[ "$planted" = 0 ] || wins=$((wins + planted))
expect_eq "$wins" 0 "runs whose sandbox reached the outside directory"
# A mount the engine placed on the outside directory (and could not undo) is a win too.
! grep -q " $victim[ /]" /proc/mounts || fail "a mount was left on the outside directory: $(grep " $victim" /proc/mounts | head -2)"
# With the racer gone, whatever a run could not deliver while ./output was a link arrives with
# the next run, and every completed run's result is in ./output.
[ -d output ] && [ ! -L output ] || fail "./output is not the directory it was"
run_capture docker sandbox run "$IMAGE" true
expect_eq "$rc" 0 "a run after the race ($err)"
delivered=$(find output -name 'result-*' | wc -l)
if [ "$delivered" -lt "$completed" ]; then
  for run in "$TEST_DIR"/completed-*; do
    n=${run##*-}
    [ -e "output/result-$n" ] || echo "run $n completed, its result is missing; it said: $(cat "$run")"
  done
  echo "the run after the race said: $err"
  fail "$completed runs completed, but $delivered results are in ./output"
fi
[ -z "$(find output -not -user "$(id -u)")" ] || fail "./output holds files that are not the invoker's: $(find output -not -user "$(id -u)" | head -3)"
expect_no_stage_dirs
expect_no_leftovers
