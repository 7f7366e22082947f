# A sandbox controls what its volume holds. A container plants symlinks to /etc, links that
# climb out of the destination, a chain of links that escapes only when followed, a device, a
# FIFO and a name with a newline: `volume get` refuses each with one line, writes nothing
# outside DEST (nothing at all: DEST does not exist afterwards), and a tar on stdin with ".."
# or absolute members is refused by `volume put`.
source "$(dirname "$0")/common.sh"

tenant="e2e$RANDOM"
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=$tenant | xargs -r docker volume rm -f >/dev/null"

# plant NAME SCRIPT: a fresh volume, filled by a root container (not a sandbox: it needs mknod).
plant() {
  local vol
  vol=$(docker sandbox volume create --tenant "$tenant" --run "$1")
  fixtures_made
  docker run --rm -v "$vol:/v" "$IMAGE" sh -c "cd /v && echo ok >good.txt && $2" >/dev/null
  echo "$vol"
}

mkdir -p "$TEST_DIR/parent/sentinel"
# case NAME SCRIPT EXPECTED: get must fail naming the member and the rule.
refused() {
  local vol
  vol=$(plant "$1" "$2")
  run_capture docker sandbox volume get "$vol" "$TEST_DIR/parent/dest"
  expect_eq "$rc" 1 "$1: get refused"
  expect_eq "$(printf '%s\n' "$err" | wc -l)" 1 "$1: one line ($err)"
  expect_contains "$err" "$3" "$1: why"
  [ ! -e "$TEST_DIR/parent/dest" ] || fail "$1: the destination was left behind: $(find "$TEST_DIR/parent/dest")"
  expect_eq "$(ls -A "$TEST_DIR/parent/sentinel")" "" "$1: nothing written next to the destination"
  expect_eq "$(ls -A "$TEST_DIR/parent")" "sentinel" "$1: nothing written in the parent"
}

refused etc-link 'ln -s /etc etc' 'symbolic link to an absolute path (/etc)'
refused passwd-link 'ln -s /etc/passwd passwd' 'symbolic link to an absolute path (/etc/passwd)'
refused climbing-link 'mkdir -p a/b && ln -s ../../../sentinel a/b/up' 'points outside the destination (../../../sentinel)'
refused link-chain 'mkdir sub && ln -s .. sub/x && ln -s sub/x/.. e' 'leads outside the destination through other links'
refused device 'mknod null c 1 3' 'device, FIFO or socket'
refused fifo 'mkfifo pipe' 'device, FIFO or socket'
refused newline-name 'echo x >"$(printf "bad\nname")"' 'control character'

# --overwrite into a tree with a link where the archive has a directory replaces the link: no
# write goes through it.
vol=$(plant overwrite-through 'mkdir d && echo evil >d/passwd')
mkdir -p "$TEST_DIR/merge" && ln -s "$TEST_DIR/parent/sentinel" "$TEST_DIR/merge/d"
run_capture docker sandbox volume get --overwrite "$vol" "$TEST_DIR/merge"
expect_eq "$rc" 0 "get --overwrite ($err)"
[ -d "$TEST_DIR/merge/d" ] && [ ! -L "$TEST_DIR/merge/d" ] || fail "the link was not replaced by the directory"
expect_eq "$(cat "$TEST_DIR/merge/d/passwd")" evil "the file landed in the new directory"
expect_eq "$(ls -A "$TEST_DIR/parent/sentinel")" "" "nothing written through the link"

# A tar on stdin with escaping members never reaches the volume.
vol=$(docker sandbox volume create --tenant "$tenant" --run tarin)
fixtures_made
python3 - "$TEST_DIR" <<'PY'
import io, sys, tarfile
for name, member in (("dotdot", "../evil"), ("absolute", "/etc/evil"), ("deep", "a/../../evil")):
    with tarfile.open(f"{sys.argv[1]}/{name}.tar", "w") as t:
        info = tarfile.TarInfo(member); info.size = 4
        t.addfile(info, io.BytesIO(b"evil"))
PY
for name in dotdot absolute deep; do
  run_capture docker sandbox volume put "$vol" - <"$TEST_DIR/$name.tar"
  expect_eq "$rc" 1 "put of $name.tar refused"
  expect_contains "$err" "refusing tar member" "$name: why"
done
expect_eq "$(docker run --rm -v "$vol:/v" "$IMAGE" find /v -mindepth 1)" "" "nothing landed in the volume"
expect_eq "$(docker ps -aq --filter label=docker-sandbox.role=volume-transfer)" "" "no helper container left"
expect_no_leftovers
