# --isolation gvisor -it under a real terminal (util-linux script): the command's stdin and stdout
# are a terminal of the user's size. gVisor shows the terminal as a host descriptor
# (/proc/self/fd/0 -> host:[1]), so `tty` (ttyname) says "not a tty" there: the test asks isatty
# ([ -t 0 ]) and the size instead. Resizing a live session is tested by hand (tmux), not here.
source "$(dirname "$0")/common.sh"
need_gvisor

inside='[ -t 0 ] && echo stdin=tty; [ -t 1 ] && echo stdout=tty; for i in $(seq 1 50); do case "$(stty size 2>/dev/null)" in [1-9]*" "[1-9]*) break ;; esac; sleep 0.1; done; echo "size=$(stty size)"'
run_capture timeout -k 5 60 script -qec "stty rows 40 cols 100; docker sandbox run --isolation gvisor -it '$IMAGE' sh -c '$inside'" /dev/null </dev/null
expect_eq "$rc" 0 "-it behind gVisor exit code ($err)"
out=$(printf '%s\n' "$out" | tr -d '\r')
expect_contains "$out" "stdin=tty" "stdin is a terminal behind gVisor"
expect_contains "$out" "stdout=tty" "stdout is a terminal behind gVisor"
expect_contains "$out" "size=40 100" "the terminal size reached the sandbox behind gVisor"
expect_no_leftovers
