# The root filesystem is read-only (even for --user 0, so not a permission error);
# --writable-root makes it writable.
source "$(dirname "$0")/common.sh"

run_capture docker sandbox run "$IMAGE" sh -c 'echo x > /probe'
[ "$rc" -ne 0 ] || fail "writing to / succeeded on a read-only root"
expect_contains "$err" "Read-only file system" "write to / as the default user"

run_capture docker sandbox run --user 0 "$IMAGE" sh -c 'echo x > /etc/probe'
[ "$rc" -ne 0 ] || fail "writing to /etc as uid 0 succeeded on a read-only root"
expect_contains "$err" "Read-only file system" "write to /etc as uid 0"

# Whether uid 0 may create a file in / itself also depends on the mode of /, since the sandbox has
# no CAP_DAC_OVERRIDE: Docker gives / mode 755 (so the write must succeed), Podman 4.3 gives it 555
# whatever the image says (so the write must fail, by permission and not by a read-only mount).
run_capture docker sandbox run --user 0 --writable-root "$IMAGE" sh -c 'stat -c %a /; echo y > /etc/probe && cat /etc/probe; echo x > /probe && cat /probe'
mode=$(printf '%s\n' "$out" | head -n 1)
case "$mode" in
  755)
    expect_eq "$rc" 0 "--writable-root write exit code ($err)"
    expect_eq "$out" "$(printf '755\ny\nx')" "files written in /etc and / with --writable-root"
    ;;
  555)
    expect_eq "$out" "$(printf '555\ny')" "a file written in /etc with --writable-root"
    expect_contains "$err" "/probe: Permission denied" "/ of mode 555 refuses uid 0 without CAP_DAC_OVERRIDE"
    case "$err" in *Read-only*) fail "--writable-root left the root read-only: $err" ;; esac
    ;;
  *) fail "unexpected mode of / [$mode] ($err)" ;;
esac
expect_no_leftovers
