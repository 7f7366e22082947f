# A run that fails before its container ran leaves nothing on the host (no output/, no mount
# points), and the mount point made for --exclude is gone after a successful run, while the
# output directory of a run that happened stays.
source "$(dirname "$0")/common.sh"

run_capture docker sandbox run no-such-image:1 true
expect_eq "$rc" 125 "missing image"
[ ! -e output ] || fail "a run that never started left output/ behind"

run_capture docker sandbox run --exclude node_modules --memory 1x "$IMAGE" true
expect_eq "$rc" 125 "bad flag"
[ ! -e output ] && [ ! -e node_modules ] || fail "a refused run created host directories"

run_capture docker sandbox run --exclude deps/node_modules "$IMAGE" sh -c 'touch deps/node_modules/inside'
expect_eq "$rc" 0 "run with an exclude ($err)"
[ -d output ] || fail "the output directory of a run that happened is gone"
[ ! -e deps ] || fail "the mount point made for --exclude was left on the host: $(ls -R deps)"
expect_no_leftovers
