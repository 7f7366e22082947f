# The sandbox's /tmp is a 256m noexec tmpfs its user can write to, so a binary copied there does
# not run; --tmpfs /tmp:exec,size=64m replaces it with an executable 64m one.
source "$(dirname "$0")/common.sh"

# Prints the /tmp mount's options, whether the sandbox user can write there, then tries to run a
# copy of busybox from it.
# Named busybox: the multi-call binary picks its applet from its own name.
probe='
awk '\''$2 == "/tmp" { print $3 " " $4 }'\'' /proc/mounts
echo written > /tmp/probe.txt && echo "write=$(cat /tmp/probe.txt) uid=$(stat -c %u /tmp/probe.txt)"
cp /bin/busybox /tmp/busybox && chmod 755 /tmp/busybox
exec /tmp/busybox echo copied-binary-ran'
has_option() { case ",$1," in *",$2,"*) return 0 ;; esac; return 1; }

run_capture docker sandbox run "$IMAGE" sh -c "$probe"
mount_line=$(printf '%s\n' "$out" | sed -n 1p)
options=${mount_line#tmpfs }
expect_eq "$mount_line" "tmpfs $options" "/tmp is a tmpfs ($out)"
has_option "$options" noexec || fail "default /tmp is not noexec: $options"
has_option "$options" size=262144k || fail "default /tmp is not 256m: $options"
expect_eq "$(printf '%s\n' "$out" | sed -n 2p)" "write=written uid=65534" "the sandbox user writes to /tmp"
case "$out" in *copied-binary-ran*) fail "a binary copied to a noexec /tmp ran" ;; esac
[ "$rc" = 126 ] || expect_contains "$err" "Permission denied" "running a binary from noexec /tmp (exit $rc)"

run_capture docker sandbox run --tmpfs /tmp:exec,size=64m "$IMAGE" sh -c "$probe"
expect_eq "$rc" 0 "exec /tmp exit code ($err)"
mount_line=$(printf '%s\n' "$out" | sed -n 1p)
options=${mount_line#tmpfs }
expect_eq "$mount_line" "tmpfs $options" "/tmp is a tmpfs with --tmpfs ($out)"
! has_option "$options" noexec || fail "--tmpfs /tmp:exec still noexec: $options"
has_option "$options" size=65536k || fail "--tmpfs /tmp:size=64m is not 64m: $options"
expect_eq "$(printf '%s\n' "$out" | sed -n 2p)" "write=written uid=65534" "the sandbox user writes to an exec /tmp"
expect_eq "$(printf '%s\n' "$out" | sed -n 3p)" "copied-binary-ran" "a binary copied to an exec /tmp runs"
expect_no_leftovers
