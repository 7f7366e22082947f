# What a sandbox wrote is copied back within caps: `volume get --max-bytes/--max-files` and
# `run --collect-max-bytes/--collect-max-files` refuse a copy that would pass them, in one line,
# and leave no destination behind; the default byte cap refuses a sparse file of 10 GiB and one
# byte before writing anything; a 1 GiB sparse file stays sparse on the host.
source "$(dirname "$0")/common.sh"

tenant=caps$$
volume=$(docker sandbox volume create --tenant "$tenant")
fixtures_made
on_exit "docker volume rm -f $volume >/dev/null 2>&1"
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=$tenant | xargs -r docker volume rm -f >/dev/null"
run_capture docker sandbox run --tenant "$tenant" --user 0 --volume "$volume:/data" --workspace none --output none "$IMAGE" sh -c '
  dd if=/dev/zero of=/data/big bs=1M count=2 2>/dev/null
  mkdir /data/many && for i in $(seq 1 300); do : > /data/many/f$i; done
  truncate -s 1G /data/sparse
  truncate -s 10737418241 /data/over'
expect_eq "$rc" 0 "filling the volume ($err)"

refused() { # WHAT RC NEEDLE CMD...
  local what=$1 code=$2 needle=$3
  shift 3
  run_capture docker sandbox "$@"
  expect_eq "$rc" "$code" "$what: exit code ($err)"
  expect_contains "$err" "$needle" "$what: says which cap"
  expect_eq "$(printf '%s\n' "$err" | grep -v '^hint: ' | grep -vc 'warning:')" 1 "$what: one line ($err)"
}
refused "--max-bytes" 1 "more than 1.0 MiB (--max-bytes)" volume get --quiet --max-bytes 1m "$volume" big "$TEST_DIR/big"
[ ! -e "$TEST_DIR/big" ] || fail "a refused get left its destination"
# The default byte cap (10g), at full size: a sparse file one byte over it is refused before
# anything is written.
mkdir "$TEST_DIR/default"
refused "the default --max-bytes" 1 "(--max-bytes)" volume get --quiet "$volume" over "$TEST_DIR/default"
expect_eq "$(ls -A "$TEST_DIR/default")" "" "a refused get left nothing"
refused "--max-files" 1 "more than 100 files, directories and links" volume get --quiet --max-files 100 "$volume" many "$TEST_DIR/many"
[ ! -e "$TEST_DIR/many" ] || fail "a refused get left its destination"

run_capture docker sandbox run --tenant "$tenant" --collect-max-files 50 --collect "/outputs:$TEST_DIR/collected" "$IMAGE" \
  sh -c 'for i in $(seq 1 100); do : > /outputs/f$i; done'
expect_eq "$rc" 125 "--collect-max-files: the run fails ($err)"
expect_contains "$err" "more than 50 files, directories and links" "--collect-max-files: says why"
[ ! -e "$TEST_DIR/collected" ] || fail "a refused collect left its destination"
expect_eq "$(printf '%s\n' "$err" | grep -c '^docker sandbox: run: kept volume ')" 1 "the output volume is kept, and named"
fixtures_made

# Holes stay holes: 1 GiB apparent, next to nothing on disk.
run_capture docker sandbox volume get --quiet "$volume" sparse "$TEST_DIR"
expect_eq "$rc" 0 "get of a sparse file ($err)"
expect_eq "$(stat -c %s "$TEST_DIR/sparse")" 1073741824 "the sparse file's size"
used=$(du -k "$TEST_DIR/sparse" | cut -f1)
[ "$used" -lt 1024 ] || fail "a 1 GiB sparse file took $used KiB on the host"
echo "sparse: 1 GiB apparent, $used KiB on disk"
docker volume rm "$volume" > /dev/null
expect_no_leftovers
