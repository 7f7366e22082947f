# `docker sandbox run --network=<TAB>` in real bash, zsh and fish sessions (in tmux), with the
# completion the docker CLI itself prints (`docker completion SHELL`): the line becomes
# `--network=NAME`, never `--network=--network=NAME`, and zsh lists no stray `--`.
source "$(dirname "$0")/common.sh"

command -v tmux >/dev/null || skip "tmux is not installed (bash tests/tools/install-deps.sh --tests installs it)"
docker network create sbx-e2e-shells >/dev/null
on_exit "docker network rm sbx-e2e-shells >/dev/null"
socket=$TEST_DIR/tmux.sock
mkdir -p bin
ln -s "$SANDBOX_BINARY" bin/docker-sandbox # for the standalone script's zsh session below
export PATH="$TEST_DIR/bin:$PATH"
# The shells write their history into HOME (the test's directory) as they exit: wait for them to
# be gone before the directory is removed.
on_exit "pids=\$(tmux -S '$socket' list-panes -a -F '#{pane_pid}' 2>/dev/null); tmux -S '$socket' kill-server 2>/dev/null; \
  for pid in \$pids; do for _ in \$(seq 50); do kill -0 \$pid 2>/dev/null || break; sleep 0.1; done; done"

# pane_shows SESSION TEXT: waits (up to 20 s) until the pane shows TEXT; prints the pane.
pane_shows() {
  local i pane
  for ((i = 0; i < 200; i++)); do
    pane=$(tmux -S "$socket" capture-pane -p -t "$1")
    case "$pane" in *"$2"*) printf '%s\n' "$pane"; return 0 ;; esac
    sleep 0.1
  done
  printf '%s\n' "$pane"
  return 1
}

# start SESSION COMMAND...: a shell in a fresh tmux session, in this test's docker config.
start() {
  local name=$1
  shift
  tmux -S "$socket" new-session -d -s "$name" -x 200 -y 40 \
    env -i HOME="$TEST_DIR" PATH="$PATH" TERM=xterm DOCKER_CONFIG="$DOCKER_CONFIG" ${DOCKER_HOST:+DOCKER_HOST="$DOCKER_HOST"} "$@"
}

type_line() {
  tmux -S "$socket" send-keys -t "$1" -l "$2"
}

# complete SESSION SETUP READY: sources docker's completion with SETUP, waits for READY, types the
# line, presses Tab and waits for the completed word.
check_shell() {
  local name=$1 setup=$2
  type_line "$name" "$setup"
  tmux -S "$socket" send-keys -t "$name" Enter
  pane_shows "$name" "ready" >/dev/null || fail "$name: the completion did not load: $(pane_shows "$name" x)"
  type_line "$name" "docker sandbox run --network=sbx-e2e-sh"
  tmux -S "$socket" send-keys -t "$name" Tab
  pane=$(pane_shows "$name" "--network=sbx-e2e-shells") || fail "$name: --network=<TAB> did not complete: $pane"
  case "$pane" in *"--network=--network="*) fail "$name: the flag was doubled: $pane" ;; esac
  tmux -S "$socket" send-keys -t "$name" C-u
}

start bash bash --norc --noprofile
check_shell bash 'source /usr/share/bash-completion/bash_completion; source <(docker completion bash); echo rea""dy'

if command -v zsh >/dev/null; then
  start zsh zsh -f
  check_shell zsh 'autoload -U compinit && compinit -u && source <(docker completion zsh) && compdef _docker docker && echo rea""dy'
  # Several candidates: zsh lists them; a bare value has no description and so no `--` beside it.
  tmux -S "$socket" send-keys -t zsh C-u C-l
  type_line zsh "docker sandbox run --network="
  tmux -S "$socket" send-keys -t zsh Tab
  pane=$(pane_shows zsh "sbx-e2e-shells") || fail "zsh: --network=<TAB> listed nothing: $pane"
  listing=$(printf '%s\n' "$pane" | sed -n '/run --network=/,$p' | sed 1d)
  case "$listing" in *" -- "*|*"--"$'\n'*|*" --") fail "zsh: a stray -- in the listing: $listing" ;; esac
  # The same with the standalone script (completions/_docker-sandbox).
  tmux -S "$socket" send-keys -t zsh C-u
  check_standalone='source <(docker-sandbox completion zsh) && echo stand""alone'
  type_line zsh "$check_standalone"
  tmux -S "$socket" send-keys -t zsh Enter
  pane_shows zsh standalone >/dev/null || fail "zsh: the standalone script did not load"
  tmux -S "$socket" send-keys -t zsh C-l
  type_line zsh "docker-sandbox run --network="
  tmux -S "$socket" send-keys -t zsh Tab
  pane=$(pane_shows zsh "sbx-e2e-shells") || fail "zsh standalone: --network=<TAB> listed nothing: $pane"
  listing=$(printf '%s\n' "$pane" | sed -n '/docker-sandbox run --network=/,$p' | sed 1d)
  case "$listing" in *" -- "*|*"--"$'\n'*|*" --") fail "zsh standalone: a stray -- in the listing: $listing" ;; esac
  case "$listing" in *"--network=--network="*) fail "zsh standalone: the flag was doubled: $listing" ;; esac
else
  skip "zsh is not installed (bash tests/tools/install-deps.sh --tests installs it)"
fi

if command -v fish >/dev/null; then
  start fish fish --no-config
  check_shell fish 'docker completion fish | source; echo rea""dy'
else
  skip "fish is not installed (bash tests/tools/install-deps.sh --tests installs it)"
fi
