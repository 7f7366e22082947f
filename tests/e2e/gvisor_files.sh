# --isolation gvisor: the workspace is read-only, the output writable and delivered to the invoker
# with their ownership, /tmp is noexec, and --exclude lays an executable tmpfs that never reaches
# the host, all through gVisor's gofer rather than the host's mounts.
source "$(dirname "$0")/common.sh"
need_gvisor

echo host-content > hello.txt
run_capture docker sandbox run --isolation gvisor --exclude node_modules "$IMAGE" sh -c '
cat hello.txt
echo x > /workspace/new.txt 2>/dev/null && echo workspace=writable || echo workspace=read-only
echo result > output/result.txt && echo output=ok
cp /bin/busybox /tmp/busybox && { /tmp/busybox true 2>/dev/null && echo tmp=exec || echo tmp=noexec; }
cp /bin/busybox node_modules/busybox && ./node_modules/busybox echo exclude=exec
echo data > node_modules/written.txt && echo exclude=writable'
expect_eq "$rc" 0 "run ($err)"
expect_eq "$out" "$(printf 'host-content\nworkspace=read-only\noutput=ok\ntmp=noexec\nexclude=exec\nexclude=writable')" "from inside"
[ ! -e new.txt ] || fail "a write to the read-only workspace reached the host"
expect_eq "$(cat output/result.txt)" "result" "the output reached ./output"
expect_eq "$(stat -c %u:%g output/result.txt)" "$(id -u):$(id -g)" "the output is the invoker's"
[ ! -e node_modules ] || fail "the excluded directory reached the host: $(ls -A node_modules)"
expect_no_leftovers
expect_no_stage_dirs
