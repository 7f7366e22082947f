# docker sandbox volume put/get: a tree of 1,000 files (binary, empty, nested, names with spaces
# and unicode, a symlink inside) goes into a volume, a non-root sandbox reads it and writes to
# it, and it comes back byte-identical; owner and mode are set in the archive (no chmod 777);
# a tar on stdin and a tar on stdout work, the latter named the same on every engine; a missing
# path, a non-empty destination and bad arguments are refused; no helper container is left behind.
source "$(dirname "$0")/common.sh"

tenant="e2e$RANDOM"
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=$tenant | xargs -r docker volume rm -f >/dev/null"

src="$TEST_DIR/src"
mkdir -p "$src/deep/er/still deeper" "$src/with space" "$src/ünï ✓"
for i in $(seq 1 1000); do
  d="$src/deep"
  [ $((i % 3)) -eq 0 ] && d="$src/deep/er"
  [ $((i % 7)) -eq 0 ] && d="$src/deep/er/still deeper"
  printf 'file %s\n' "$i" >"$d/f$i.txt"
done
head -c 3000000 /dev/urandom >"$src/random.bin"
: >"$src/empty"
printf '\0\1\2\377' >"$src/with space/nul bytes"
echo unicode >"$src/ünï ✓/ß.txt"
ln -s "../random.bin" "$src/deep/link to random"
chmod 700 "$src/deep/f1.txt"
echo script >"$src/tool.sh" && chmod 755 "$src/tool.sh"
count=$(find "$src" -type f -o -type l | wc -l)
[ "$count" -ge 1000 ] || fail "the tree has only $count files"

vol=$(docker sandbox volume create --tenant "$tenant" --run r1)
fixtures_made
run_capture docker sandbox volume put "$vol" "$src/."
expect_eq "$rc" 0 "put ($err)"
expect_contains "$err" "into $vol:/" "put summary"

# A non-root sandbox reads it all, and can write because the archive made it the owner.
run_capture docker sandbox run --tenant "$tenant" --volume "$vol:/data" --workspace none --output none "$IMAGE" sh -c '
  id -u; stat -c "%u:%g %a" /data /data/deep/f1.txt /data/tool.sh
  cat /data/random.bin | md5sum
  find /data -type f | wc -l
  echo written >/data/deep/new.txt && ln /data/deep/new.txt /data/deep/hard.txt && echo changed >>/data/empty'
expect_eq "$rc" 0 "sandbox on the volume ($err)"
expected=$(printf '65534\n65534:65534 755\n65534:65534 700\n65534:65534 755\n%s  -\n%s' \
  "$(md5sum <"$src/random.bin" | cut -d' ' -f1)" "$(find "$src" -type f | wc -l)")
expect_eq "$out" "$expected" "what the sandbox saw"

run_capture docker sandbox volume get "$vol" "$TEST_DIR/back"
expect_eq "$rc" 0 "get ($err)"
expect_contains "$err" "copied" "get summary"
expect_eq "$(stat -c %i "$TEST_DIR/back/deep/new.txt")" "$(stat -c %i "$TEST_DIR/back/deep/hard.txt")" "hard link kept"
rm "$TEST_DIR/back/deep/new.txt" "$TEST_DIR/back/deep/hard.txt"
expect_eq "$(cat "$TEST_DIR/back/empty")" changed "the sandbox's write came back"
: >"$TEST_DIR/back/empty"
diff -r --no-dereference "$src" "$TEST_DIR/back" || fail "the round trip changed the tree"
expect_eq "$(readlink "$TEST_DIR/back/deep/link to random")" "../random.bin" "symlink kept"
expect_eq "$(stat -c %a "$TEST_DIR/back/tool.sh")" 755 "mode kept"

# One path out, into an existing empty directory; a file path lands inside DEST.
mkdir "$TEST_DIR/one"
docker sandbox volume get -q "$vol" "deep/er/f3.txt" "$TEST_DIR/one"
expect_eq "$(cat "$TEST_DIR/one/f3.txt")" "file 3" "single file"
run_capture docker sandbox volume get "$vol" "deep/er/f3.txt" "$TEST_DIR/one"
expect_eq "$rc" 1 "existing file refused"
expect_contains "$err" "refusing to overwrite" "why"
expect_contains "$err" "--overwrite" "hint"
docker sandbox volume get -q --overwrite "$vol" "deep/er/f3.txt" "$TEST_DIR/one"
run_capture docker sandbox volume get "$vol" "" "$TEST_DIR/back"
expect_eq "$rc" 1 "non-empty destination refused"
expect_contains "$err" "is not empty" "why"
run_capture docker sandbox volume get "$vol" no/such/path "$TEST_DIR/missing"
expect_eq "$rc" 1 "missing path"
expect_contains "$err" "no/such/path does not exist in volume $vol" "why"
[ ! -e "$TEST_DIR/missing" ] || fail "a failed get left its destination behind"

# Tar in on stdin (with --dest, --owner, --mode), tar out on stdout.
mkdir -p "$TEST_DIR/t/sub" && echo from-tar >"$TEST_DIR/t/sub/x"
tar -C "$TEST_DIR/t" -c . | docker sandbox volume put -q --dest in/tar --owner 1234:4321 --mode 640 "$vol" -
run_capture docker sandbox run --user 1234:4321 --tenant "$tenant" --volume "$vol:/data:ro" --workspace none --output none "$IMAGE" \
  stat -c "%u:%g %a %n" /data /data/in /data/in/tar /data/in/tar/sub /data/in/tar/sub/x
expect_eq "$rc" 0 "stat in the sandbox ($err)"
expect_eq "$out" "$(printf '65534:65534 755 /data\n1234:4321 750 /data/in\n1234:4321 750 /data/in/tar\n1234:4321 750 /data/in/tar/sub\n1234:4321 640 /data/in/tar/sub/x')" "owner and mode from the archive"
docker sandbox volume get "$vol" in/tar/sub/x - >"$TEST_DIR/out.tar"
expect_eq "$(tar -xOf "$TEST_DIR/out.tar" x)" from-tar "tar on stdout"
# Podman 4.3 sends every member's owner as 0/0; the tar keeps what the engine sent.
owner=1234/4321
engine_is_podman && owner=0/0
expect_eq "$(tar --numeric-owner -tvf "$TEST_DIR/out.tar" | awk '{print $1, $2, $3, $6}')" "-rw-r----- $owner 9 x" \
  "tar on stdout: type, mode, owner, size, name"
# Named as `docker cp CONTAINER:PATH -` names it on Docker, on every engine (Podman 4.3's own tar
# begins with / for a volume's root, and gives directories no trailing /).
expect_eq "$(docker sandbox volume get "$vol" in/tar - | tar -t)" "$(printf 'tar/\ntar/sub/\ntar/sub/x')" "tar of a directory: names"
docker sandbox volume get "$vol" - >"$TEST_DIR/all.tar"
docker sandbox volume get -q "$vol" "$TEST_DIR/all"
expect_eq "$(tar --quoting-style=literal -tf "$TEST_DIR/all.tar" | LC_ALL=C sort)" \
  "$( (echo v0/; cd "$TEST_DIR/all" && find . -mindepth 1 \( -type d -printf 'v0/%P/\n' -o -printf 'v0/%P\n' \)) | LC_ALL=C sort)" \
  "tar of the whole volume: names"
expect_eq "$(tar -tvf "$TEST_DIR/all.tar" | grep -o ' v0/deep/[a-z]*\.txt link to v0/deep/[a-z]*\.txt$' | wc -l)" 1 \
  "tar of the whole volume: the hard link's target renamed too"
expect_eq "$(tar -xOf "$TEST_DIR/all.tar" v0/random.bin | md5sum)" "$(md5sum <"$src/random.bin")" "tar of the whole volume: content"

# Bad input: one line, no helper left, nothing created.
for args in "$vol" "$vol $TEST_DIR/nonexistent" "no-such-volume $src" "$vol --dest ../up $src" "$vol --owner root $src" \
  "$vol --mode 999 $src"; do
  run_capture docker sandbox volume put $args
  [ "$rc" -ne 0 ] || fail "volume put $args: accepted"
  expect_eq "$(printf '%s\n' "$err" | grep -c '^docker sandbox: volume put: ')" 1 "volume put $args: one error line ($err)"
done
unmanaged="sbx-e2e-unmanaged-$tenant"
docker volume create "$unmanaged" >/dev/null
on_exit "docker volume rm -f $unmanaged >/dev/null"
run_capture docker sandbox volume put "$unmanaged" "$src/empty"
expect_eq "$rc" 1 "an unmanaged volume is refused"
expect_eq "$(docker ps -aq --filter label=docker-sandbox.role=volume-transfer)" "" "no helper container left"
if engine_is_podman; then
  # Podman counts the image's own metadata in Size (2182 bytes for this one on 4.3); its one layer
  # is the empty tar, so no file can be in it: a few KiB at most.
  size=$(docker image inspect -f '{{.Size}}' docker-sandbox-helper:1)
  [ "$size" -lt 8192 ] || fail "helper image: empty: $size bytes"
  expect_eq "$(docker image inspect -f '{{index .Config.Labels "docker-sandbox.managed"}}' docker-sandbox-helper:1)" "true" "helper image: managed"
else
  expect_eq "$(docker image inspect -f '{{index .Config.Labels "docker-sandbox.managed"}} {{.Size}}' docker-sandbox-helper:1)" "true 0" "helper image: managed, empty"
fi
expect_no_leftovers
