# --user NAME[:GROUP] resolves through the image's own /etc/passwd and /etc/group, read from a
# container that never starts: the named user owns its scratch (the root-owned 755 /tmp bug), its
# collect volume and its output. An unknown name, and an image whose /etc/passwd is a link, are
# refused in one line with nothing left behind.
source "$(dirname "$0")/common.sh"

# An image with a user and a group that the host does not have: the name means the image's.
named="sbx-e2e-named:$$"
cat > "$TEST_DIR/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
builder:x:1234:2345:Builder:/home/builder:/bin/sh
sneaky:x:0:0:uid 0 under another name:/:/bin/sh
EOF
printf 'root:x:0:\nbuilders:x:2345:\nstaff:x:3456:\n' > "$TEST_DIR/group"
# image_from BASE NEW FILE:PATH...: BASE with those files replaced (export and import: Podman 4.3
# refuses `docker commit` from this CLI).
image_from() {
  local base=$1 new=$2 container file
  shift 2
  container=$(docker create "$base" true)
  for file in "$@"; do docker cp "${file%%:*}" "$container:${file#*:}"; done
  docker export "$container" | docker import --change 'ENV PATH=/bin' - "$new" >/dev/null
  docker rm "$container" >/dev/null
}
image_from "$IMAGE" "$named" "$TEST_DIR/passwd:/etc/passwd" "$TEST_DIR/group:/etc/group"
on_exit "docker rmi -f $named >/dev/null"

probe='id -u; id -g; stat -c "%u:%g %a" /tmp; echo scratch > /tmp/s && cat /tmp/s'
run_capture docker sandbox run --workspace none --output none --user builder "$named" sh -c "$probe"
expect_eq "$rc" 0 "named user exit code ($err)"
expect_eq "$out" "$(printf '1234\n2345\n1234:2345 1777\nscratch')" "the ids the image gives builder, and its own scratch"

run_capture docker sandbox run --workspace none --output none --user builder:staff "$named" sh -c 'id -u; id -g; stat -c "%u:%g" /tmp'
expect_eq "$rc" 0 "named user and group exit code ($err)"
expect_eq "$out" "$(printf '1234\n3456\n1234:3456')" "a named group"

# The output directory is handed to the user the name stands for, and what it wrote to the invoker.
mkdir "$TEST_DIR/project"
cd "$TEST_DIR/project"
run_capture docker sandbox run --user builder "$named" sh -c 'stat -c "%u:%g" output; echo mine > output/f'
expect_eq "$rc" 0 "named user with output exit code ($err)"
expect_eq "$out" "1234:2345" "owner of output/ inside"
expect_eq "$(cat output/f)" "mine" "written to output/"
expect_eq "$(stat -c '%u:%g' output/f)" "$(id -u):$(id -g)" "owner on the host of what builder wrote"
cd "$TEST_DIR"

# A collect volume is given to it too (it used to need a numeric --user).
tenant="e2e-named-$$"
run_capture docker sandbox run --workspace none --output none --tenant "$tenant" --user builder \
  --collect "/outputs/r:$TEST_DIR/got" "$named" sh -c 'echo collected > /outputs/r && id -u'
expect_eq "$rc" 0 "named user with --collect exit code ($err)"
expect_eq "$(cat "$TEST_DIR/got/r")" "collected" "collected from a named user"

# A name that the image makes uid 0 says so, as --user 0 does.
run_capture docker sandbox run --workspace none --output none --user sneaky "$named" id -u
expect_eq "$rc" 0 "uid 0 by name exit code ($err)"
expect_eq "$out" "0" "uid 0 from inside"
expect_eq "$err" "docker sandbox: warning: --user sneaky is uid 0 in the image $named: the sandbox runs as root" "uid 0 by name is said"

# Unknown names: one line, exit 125, and the lookup container is gone.
run_capture docker sandbox run --workspace none --output none --user nosuch "$named" true
expect_eq "$rc" 125 "unknown user exit code"
expect_eq "$err" "docker sandbox: run: --user nosuch: the image $named has no user \"nosuch\" in /etc/passwd" "unknown user line"
run_capture docker sandbox run --workspace none --output none --user builder:nosuch "$named" true
expect_eq "$rc" 125 "unknown group exit code"
expect_contains "$err" "has no group \"nosuch\" in /etc/group" "unknown group line"
expect_no_leftovers

# An image whose /etc/passwd is a link is refused: the lookup reads only regular files (the
# engine would follow it inside the image; the plugin does not, by choice).
linked="sbx-e2e-linked:$$"
ln -s /etc/group "$TEST_DIR/link"
image_from "$named" "$linked" "$TEST_DIR/link:/etc/passwd"
on_exit "docker rmi -f $linked >/dev/null"
run_capture docker sandbox run --workspace none --output none --user builder "$linked" true
[ "$rc" -ne 0 ] || fail "a linked /etc/passwd was followed"
expect_contains "$err" "/etc/passwd is a symbolic link" "linked passwd refused ($err)"
expect_eq "$(printf '%s\n' "$err" | wc -l)" 1 "one line ($err)"

# The dry run asks nothing of the engine, and says that the ids are read when it runs.
run_capture docker sandbox run --dry-run --workspace none --output none --user builder "$named" true
expect_eq "$rc" 0 "dry run exit code ($err)"
expect_contains "$err" "a live run first reads them from the image's /etc/passwd" "dry-run note"
expect_no_leftovers
