# HOME is writable by default, measured from inside: /home/sandbox, a tmpfs of the sandbox user's
# own (mode 700, noexec, 512m); -e HOME=... is taken as given, with no tmpfs of ours; a --tmpfs
# at the same path replaces ours with its options.
source "$(dirname "$0")/common.sh"

probe='echo "HOME=$HOME"; [ "$(stat -c %u:%g "$HOME")" = "$(id -u):$(id -g)" ] && echo "owned, mode $(stat -c %a "$HOME")"; echo written > "$HOME/f" && cat "$HOME/f"; grep " /home/sandbox " /proc/mounts | cut -d" " -f3-4'
run_capture docker sandbox run --output none "$IMAGE" sh -c "$probe"
expect_eq "$rc" 0 "default run ($err)"
mounted=$(printf '%s\n' "$out" | sed -n 4p)
expect_eq "$(printf '%s\n' "$out" | sed -n 1,3p)" "$(printf 'HOME=/home/sandbox\nowned, mode 700\nwritten')" "HOME, owned by the sandbox user, its mode, written"
expect_contains "$mounted" "tmpfs " "HOME is a tmpfs ($mounted)"
expect_contains "$mounted" "noexec" "noexec ($mounted)"
expect_contains "$mounted" "size=524288k" "512m ($mounted)"

run_capture docker sandbox run --output none -e HOME=/tmp "$IMAGE" sh -c "$probe"
expect_eq "$rc" 0 "-e HOME=/tmp ($err)"
expect_eq "$(printf '%s\n' "$out" | head -1)" "HOME=/tmp" "HOME as given"
expect_eq "$(printf '%s\n' "$out" | grep -c '^tmpfs')" 0 "no HOME tmpfs of ours"

run_capture docker sandbox run --output none --tmpfs /home/sandbox:size=8m,exec "$IMAGE" sh -c "$probe"
expect_eq "$rc" 0 "--tmpfs at HOME ($err)"
mounted=$(printf '%s\n' "$out" | sed -n 4p)
expect_contains "$mounted" "size=8192k" "the flag's size ($mounted)"
[[ "$mounted" != *noexec* ]] || fail "the flag's exec ($mounted)"
expect_no_leftovers
