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

# The CLI runs `ssh ... -- HOST docker system dial-stdio`; this wrapper adds the test's key and
# writes one line per ssh session (a login and a dial-stdio on the far side) to a counter file.
logins="$TEST_DIR/ssh/logins"
cat > "$TEST_DIR/bin/ssh" <<WRAP
#!/bin/sh
echo "\$*" >>"$logins"
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

# ssh sessions per run: one connection is kept for every whole request, so a trivial run costs no
# more sessions than `docker run` does (attach and wait have their own, as in the docker CLI).
# count_logins CMD...: runs CMD and sets $logins_used to the ssh sessions it opened.
count_logins() {
  : >"$logins"
  run_capture "$@"
  logins_used=$(wc -l <"$logins")
}
count_logins docker -H "ssh://root@127.0.0.1:$port" run --rm "$IMAGE" echo hi
expect_eq "$rc" 0 "docker run over ssh exit code ($err)"
docker_logins=$logins_used
count_logins docker -H "ssh://root@127.0.0.1:$port" sandbox run "$IMAGE" echo hi
expect_eq "$rc" 0 "trivial run over ssh exit code ($err)"
expect_eq "$out" "hi" "trivial run output over ssh"
echo "ssh sessions for a trivial run: docker run $docker_logins, docker sandbox run $logins_used"
[ "$logins_used" -le "$docker_logins" ] || fail "docker sandbox run opened $logins_used ssh sessions, docker run $docker_logins"

tenant="e2essh$RANDOM"
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=$tenant | xargs -r docker volume rm -f >/dev/null"
mkdir -p "$TEST_DIR/in"
echo "over ssh" >"$TEST_DIR/in/a.txt"
count_logins docker -H "ssh://root@127.0.0.1:$port" sandbox run --tenant "$tenant" --input "$TEST_DIR/in" \
  --collect "/outputs:$TEST_DIR/got" "$IMAGE" sh -c 'cp /inputs/a.txt /outputs/b.txt'
expect_eq "$rc" 0 "run with --input and --collect over ssh ($err)"
expect_eq "$(cat "$TEST_DIR/got/b.txt")" "over ssh" "collected over ssh"
echo "ssh sessions for a run with --input and --collect: $logins_used"
expect_no_leftovers

# 6 runs at once against an sshd that lets only 2 connections be unauthenticated at a time
# (MaxStartups; its default 10:30:100 turns some away too): sshd drops the others before its
# greeting, ssh exits without reading its stdin, and the tunnel starts ssh again after a pause.
# Every run succeeds. Each run opens 3 sessions, and the machines CI runs on log in one session at a
# time, in about a second each: 20 runs (60 logins) left some pings unanswered past the 30 s limit
# there, as 10 plain `docker -H ssh://... run` at once timed out there too.
busy_port=$((port + 1))
/usr/sbin/sshd -D -p "$busy_port" -o ListenAddress=127.0.0.1 -h "$TEST_DIR/ssh/host_key" \
  -o AuthorizedKeysFile="$TEST_DIR/ssh/authorized_keys" -o StrictModes=no -o MaxStartups=2 \
  -o PermitRootLogin=prohibit-password -o PidFile="$TEST_DIR/ssh/busy.pid" -E "$TEST_DIR/ssh/busy.log" &
busy_pid=$!
on_exit "kill $busy_pid"
for _ in $(seq 1 50); do
  ssh -p "$busy_port" root@127.0.0.1 true 2>/dev/null && break
  sleep 0.2
done
mkdir "$TEST_DIR/busy"
runs=()
for i in $(seq 1 6); do
  (docker -H "ssh://root@127.0.0.1:$busy_port" sandbox run "$IMAGE" echo "run $i" \
     >"$TEST_DIR/busy/$i.out" 2>"$TEST_DIR/busy/$i.err"; echo $? >"$TEST_DIR/busy/$i.rc") &
  runs+=($!)
done
wait "${runs[@]}"
for i in $(seq 1 6); do
  expect_eq "$(cat "$TEST_DIR/busy/$i.rc")" 0 "concurrent run $i over ssh ($(cat "$TEST_DIR/busy/$i.err"))"
  expect_eq "$(cat "$TEST_DIR/busy/$i.out")" "run $i" "concurrent run $i's output"
done
dropped=$(grep -c "past MaxStartups" "$TEST_DIR/ssh/busy.log" || true)
echo "6 concurrent runs over ssh with MaxStartups=2: all succeeded; sshd turned $dropped connections away"
[ "$dropped" -gt 0 ] || fail "sshd turned no connection away, so this did not test the retry"
expect_no_leftovers

# ssh's own reason for failing reaches the user: a login that is refused names it.
run_capture docker -H "ssh://nobody@127.0.0.1:$port" sandbox version
[ "$rc" -ne 0 ] || fail "a refused ssh login succeeded"
expect_contains "$err" "Permission denied" "ssh's own error is shown ($err)"
expect_eq "$(printf '%s\n' "$err" | grep -vc '^hint: ')" 1 "one line ($err)"
