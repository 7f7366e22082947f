# An ssh:// host works through `docker system dial-stdio` on the far side, as the docker CLI
# does it: a private sshd on loopback, keys made for the test, the real ssh client.
source "$(dirname "$0")/common.sh"
[ -x /usr/sbin/sshd ] && command -v ssh >/dev/null || skip "needs openssh-server and openssh-client"

port=$((20000 + RANDOM % 20000))
mkdir -p "$TEST_DIR/ssh" "$TEST_DIR/bin" /run/sshd
chmod 700 "$TEST_DIR/ssh"
ssh-keygen -q -t ed25519 -N '' -f "$TEST_DIR/ssh/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$TEST_DIR/ssh/user_key"
cp "$TEST_DIR/ssh/user_key.pub" "$TEST_DIR/ssh/authorized_keys"
/usr/sbin/sshd -D -p "$port" -o ListenAddress=127.0.0.1 -h "$TEST_DIR/ssh/host_key" \
  -o AuthorizedKeysFile="$TEST_DIR/ssh/authorized_keys" -o StrictModes=no \
  -o PermitRootLogin=prohibit-password -o PidFile="$TEST_DIR/ssh/sshd.pid" &
sshd_pid=$!
on_exit "kill $sshd_pid"

# The CLI runs `ssh ... -- HOST docker system dial-stdio`; this wrapper adds the test's key.
cat > "$TEST_DIR/bin/ssh" <<WRAP
#!/bin/sh
exec /usr/bin/ssh -i "$TEST_DIR/ssh/user_key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "\$@"
WRAP
chmod +x "$TEST_DIR/bin/ssh"
export PATH="$TEST_DIR/bin:$PATH"

for _ in $(seq 1 50); do
  ssh -p "$port" root@127.0.0.1 true 2>/dev/null && break
  sleep 0.2
done

engine_version=$(docker version --format '{{.Server.Version}}')
run_capture docker -H "ssh://root@127.0.0.1:$port" sandbox version
expect_eq "$rc" 0 "ssh version exit code ($err)"
expect_contains "$out" "Endpoint:      ssh://root@127.0.0.1:$port" "ssh endpoint"
expect_contains "$out" "Version:       $engine_version" "engine version over ssh"

run_capture docker -H "ssh://root@127.0.0.1:$port" sandbox run "$IMAGE" echo over-ssh
expect_eq "$rc" 0 "run over ssh exit code ($err)"
expect_eq "$out" "over-ssh" "run output over ssh"
expect_no_leftovers

# ssh's own reason for failing reaches the user: a login that is refused names it.
run_capture docker -H "ssh://nobody@127.0.0.1:$port" sandbox version
[ "$rc" -ne 0 ] || fail "a refused ssh login succeeded"
expect_contains "$err" "Permission denied" "ssh's own error is shown ($err)"
expect_eq "$(printf '%s\n' "$err" | grep -vc '^hint: ')" 1 "one line ($err)"
