# exec -it in a real terminal (tmux): the command gets a TTY of the terminal's size, follows a
# resize, answers; Ctrl-P Ctrl-Q detaches (exit 0) and leaves the command running in the sandbox;
# --detach-keys replaces the sequence; Ctrl-D ends a session with the command's exit code.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/lib/tmux_pane.sh"

run_capture docker sandbox run -d "$IMAGE" sleep 1000
expect_eq "$rc" 0 "run -d"
name=$out
on_exit "docker rm -f $name >/dev/null 2>&1"
wait_for_line 'pane$' "the pane's shell started"

# 1. A TTY of the terminal's size, resized with it; Ctrl-P Ctrl-Q detaches and the shell goes on.
type_line "docker sandbox exec -it $name sh; echo rc1=\$?"
said in side "the exec'd shell answers"
type_line "stty size"
wait_for_line "40 120" "the TTY has the terminal's size"
tmx resize-window -t t -x 100 -y 30
type_line "stty size"
wait_for_line "30 100" "the TTY follows a resize"
tmx send-keys -t t C-p C-q
wait_for_line "rc1=0" "Ctrl-P Ctrl-Q ends the session with exit 0"
expect_contains "$(pane)" "detached; the command goes on in sandbox $name" "the detach line names the sandbox"
expect_contains "$(docker exec "$name" ps -o args)" "sh" "the detached shell goes on in the sandbox"

# 2. --detach-keys replaces the sequence: Ctrl-P Ctrl-Q reach the shell, Ctrl-D ends it.
type_line "docker sandbox exec -it --detach-keys ctrl-x,x $name sh -c 'read line; exit 3'; echo rc2=\$?"
tmx send-keys -t t C-p C-q
type_line "typed"
wait_for_line "rc2=3" "with other detach keys, the command's own exit code"

# 3. Ctrl-X X detaches with those keys.
type_line "docker sandbox exec -it --detach-keys ctrl-x,x $name sh; echo rc3=\$?"
said in side3 "the second shell answers"
tmx send-keys -t t C-x x
wait_for_line "rc3=0" "Ctrl-X X detaches"

run_capture docker sandbox rm -f "$name"
expect_eq "$rc" 0 "rm"
expect_no_leftovers
