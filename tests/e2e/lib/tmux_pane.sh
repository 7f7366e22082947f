# Sourced by the e2e scripts that drive a real terminal: a private tmux server (its pane's shell
# gets the test's environment, DOCKER_CONFIG included), 120 columns by 40 rows, in TEST_DIR, and
# the steps on it. Needs common.sh first.
command -v tmux >/dev/null || skip "tmux is not installed"

tmux_socket="sbx-tty-$$"
tmx() { tmux -L "$tmux_socket" "$@"; }
on_exit 'tmx kill-server 2>/dev/null'
tmx -f /dev/null new-session -d -s t -x 120 -y 40 -c "$TEST_DIR" "env PS1='pane\$ ' sh"

# A terminal's cursor position report, echoed as ^[[ROW;COLR, may start a line: not the shell's output.
pane() { tmx capture-pane -p -J -S -200 -t t | tr -d '\r' | sed -e 's/\^\[\[[0-9;]*R//g' -e 's/ *$//'; }
# wait_for_line LINE WHAT: a whole line of the pane equals LINE, within 30 s.
wait_for_line() {
  local shown
  for _ in $(seq 1 300); do
    shown=$(pane)
    grep -qxF -- "$1" <<<"$shown" && return 0
    sleep 0.1
  done
  pane >&2
  fail "$2: no line [$1] in the pane within 30 s"
}
# type_line TEXT: types TEXT and Enter.
type_line() { tmx send-keys -t t -l -- "$1"; tmx send-keys -t t Enter; }
# said A B WHAT: the shell in the pane prints the line AB (typed quoted apart, so that the echoed
# command is not that line); every step waits for lines of its own.
said() { type_line "echo '$1'\"$2\""; wait_for_line "$1$2" "$3"; }
