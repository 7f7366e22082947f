# -it under a real terminal (util-linux script) gives the command a /dev/pts terminal of the
# user's size; -t without any terminal still runs the command on a pseudo-terminal.
source "$(dirname "$0")/common.sh"

# Inside: wait (bounded) for the terminal size to reach the container (busybox stty prints an
# error while it is 0x0), then report it.
inside='tty; for i in $(seq 1 50); do case "$(stty size 2>/dev/null)" in [1-9]*" "[1-9]*) break ;; esac; sleep 0.1; done; echo "size=$(stty size)"'
run_capture timeout -k 5 60 script -qec "stty rows 40 cols 100; docker sandbox run -it '$IMAGE' sh -c '$inside'" /dev/null </dev/null
expect_eq "$rc" 0 "-it under a terminal exit code ($err)"
out=$(printf '%s\n' "$out" | tr -d '\r')
expect_contains "$out" "/dev/pts/" "the command's stdin is a pseudo-terminal"
expect_contains "$out" "size=40 100" "the terminal size reached the container"

run_capture timeout -k 5 60 docker sandbox run -t "$IMAGE" sh -c 'tty; echo done' </dev/null
expect_eq "$rc" 0 "-t without a terminal exit code ($err)"
out=$(printf '%s\n' "$out" | tr -d '\r')
expect_contains "$out" "/dev/pts/" "-t without a terminal: the command still gets a pseudo-terminal"
expect_contains "$out" "done" "-t without a terminal: the command ran"
expect_no_leftovers
