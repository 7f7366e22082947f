# Invoked as root, the sandbox runs as nobody (65534:65534) and what it writes to output/ is handed
# back to root on the host; --user 0 runs as root and --user 1234:1234 as that uid:gid.
source "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || fail "this test must run as root"

run_capture docker sandbox run "$IMAGE" sh -c 'id -u; id -g; echo from-sandbox > output/written.txt'
expect_eq "$rc" 0 "default user exit code ($err)"
expect_eq "$out" "$(printf '65534\n65534')" "default uid and gid inside"
expect_eq "$(cat output/written.txt)" "from-sandbox" "file written to output/"
expect_eq "$(stat -c '%u:%g' output/written.txt)" "0:0" "owner on the host of a file the sandbox wrote"
expect_eq "$(stat -c '%u:%g' output)" "0:0" "owner on the host of output/ after the run"

run_capture docker sandbox run --user 0 "$IMAGE" sh -c 'id -u; id -g'
expect_eq "$rc" 0 "--user 0 exit code ($err)"
expect_eq "$out" "$(printf '0\n0')" "--user 0 uid and gid inside"

run_capture docker sandbox run --user 1234:1234 "$IMAGE" sh -c 'id -u; id -g; echo numeric > output/numeric.txt'
expect_eq "$rc" 0 "--user 1234:1234 exit code ($err)"
expect_eq "$out" "$(printf '1234\n1234')" "--user 1234:1234 uid and gid inside"
expect_eq "$(stat -c '%u:%g' output/numeric.txt)" "0:0" "owner on the host of a file uid 1234 wrote"
expect_no_leftovers
