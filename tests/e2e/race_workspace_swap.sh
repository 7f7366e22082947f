# The mount race on a workspace component. A racer swaps the named workspace ./sub with a
# symbolic link to a directory outside (lib/race.sh) during RACE_RUNS (default 200) runs of
# `--workspace sub`. A win is the sandbox reading the outside directory's marker. Every run either
# completes or is refused in one line; none may win, and the workspace is never lost.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/lib/race.sh"

victim="$TEST_DIR/victim"
mkdir -p "$victim" project/sub
echo "outside marker" > "$victim/marker"
echo "inside" > project/sub/inside
cd project
ln -s "$victim" evil

attempt() {
  run_capture docker sandbox run --workspace sub --output none "$IMAGE" \
    sh -c 'cat /workspace/marker 2>/dev/null; cat /workspace/inside'
}
saw_its_workspace() {
  expect_eq "$out" inside "run $1: the sandbox saw the workspace it was given"
}
race sub attempt saw_its_workspace

expect_eq "$race_wins" 0 "runs whose sandbox saw the outside directory"
# A pin's stage goes with its run: not left for a later run's repair (which only a run that pins
# makes, so against an engine whose raced runs are mostly copied, it could stay).
noted=$(ls "$TEST_DIR/stage-notes")
[ -z "$noted" ] || fail "runs left stage directories, listed above (a later run may have repaired them): $(echo $noted)"
# A put-back that met the racer's link where the placeholder was removes the link; the workspace
# itself is never lost (the racer may have left it under either name).
real=$(find . -maxdepth 2 -name inside)
expect_eq "$(printf '%s\n' "$real" | wc -l)" 1 "the workspace is still in the project ($real)"
expect_eq "$(cat "$real")" inside "it holds what it held"
expect_no_stage_dirs
expect_no_leftovers
