# Invoked by a non-root user (in the docker group), the sandbox runs as that user's uid:gid, can
# write to /tmp, and the file it writes to output/ belongs to that user on the host.
source "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || fail "this test must run as root (it creates a user)"
user="sbxe2e$$"
useradd -m -G docker "$user"
on_exit "userdel -r $user 2>/dev/null"
uid=$(id -u "$user")
gid=$(id -g "$user")
home=$(getent passwd "$user" | cut -d: -f6)

workspace="$TEST_DIR/ws"
mkdir "$workspace"
echo "owned by $user" > "$workspace/input.txt"
chown -R "$user:" "$workspace"
# The private DOCKER_CONFIG and the plugin it links to must be readable by the user.
chmod -R a+rX "$DOCKER_CONFIG"
runuser -u "$user" -- test -x "$DOCKER_CONFIG/cli-plugins/docker-sandbox" ||
  fail "$user cannot execute the plugin at $(readlink -f "$DOCKER_CONFIG/cli-plugins/docker-sandbox")"

cd "$workspace"
run_capture runuser -u "$user" -- env DOCKER_CONFIG="$DOCKER_CONFIG" HOME="$home" \
  docker sandbox run "$IMAGE" sh -c '
id -u; id -g
cat input.txt
echo tmp-ok > /tmp/probe && cat /tmp/probe
echo from-sandbox > output/written.txt'
expect_eq "$rc" 0 "non-root run exit code ($err)"
expect_eq "$out" "$(printf '%s\n%s\nowned by %s\ntmp-ok' "$uid" "$gid" "$user")" "identity, workspace and /tmp from inside"
expect_eq "$(cat output/written.txt)" "from-sandbox" "file written to output/"
expect_eq "$(stat -c '%u:%g' output/written.txt)" "$uid:$gid" "owner on the host of the file the sandbox wrote"
expect_eq "$(stat -c '%u:%g' output)" "$uid:$gid" "owner on the host of output/"
cd "$TEST_DIR"
expect_no_leftovers
