# Ctrl-P Ctrl-Q in a real -it session (tmux): a run with nothing left for the plugin to do detaches
# as docker does (exit 0, the sandbox goes on, listed, `docker attach` reaches it again, rm removes
# it) and gives the terminal back in its normal mode; a run the plugin must finish (its output is
# delivered at the end) says so in one line and goes on, and Ctrl-D still ends it; --detach-keys
# replaces the sequence (Ctrl-P Ctrl-Q then reach the sandbox), and a bad one is refused.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/lib/tmux_pane.sh"

state() {
  local status
  status=$(docker inspect -f '{{.State.Status}}' "$1" 2>/dev/null) || status=gone
  echo "$status"
}

name="sbx-detach-$$"
# A failed step leaves its session to the tmux server's end, which the plugin does not outlive.
on_exit 'docker rm -f "$name" "$name-out" >/dev/null 2>&1'
wait_for_line 'pane$' "the pane's shell started"

# 1. Ctrl-P Ctrl-Q detaches a run that leaves nothing for the plugin to do.
type_line "docker sandbox run -it --name $name --workspace none --output none $IMAGE sh; echo rc1=\$?"
said in side "the sandbox's shell answers"
tmx send-keys -t t C-p C-q
wait_for_line "rc1=0" "Ctrl-P Ctrl-Q ends the session with exit 0"
expect_contains "$(pane)" "detached; sandbox $name goes on" "the detach line names the sandbox"
expect_eq "$(state "$name")" running "the detached sandbox goes on"
expect_contains "$(docker sandbox ls)" "$name" "docker sandbox ls lists the detached sandbox"
# The terminal is back in its normal mode: canonical input and echo.
type_line "stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' '; echo"
wait_for_line "icanon echo" "the terminal is restored after the detach"

# 2. docker attach reaches it again; its shell still answers, and ends it.
type_line "docker attach $name; echo attach-rc=\$?"
said again "st" "the sandbox answers after docker attach"
type_line "exit"
wait_for_line "attach-rc=0" "the reattached sandbox exits"
for _ in $(seq 1 100); do [ "$(state "$name")" = exited ] && break; sleep 0.1; done
expect_eq "$(state "$name")" exited "the sandbox ended with its shell"
run_capture docker sandbox rm "$name"
expect_eq "$rc" 0 "rm of the detached sandbox ($err)"
expect_eq "$(state "$name")" gone "rm removed the detached sandbox"

# 3. A run whose output the plugin delivers at the end is not detached: one line, and the session
#    goes on; Ctrl-D ends it, and its output arrives.
type_line "docker sandbox run -it --name $name-out $IMAGE sh; echo rc3=\$?"
said in side2 "the second sandbox's shell answers"
tmx send-keys -t t C-p C-q
for _ in $(seq 1 300); do [[ "$(pane)" != *"not detached"* ]] || break; sleep 0.1; done
expect_contains "$(pane)" "docker sandbox: run: not detached: what it writes to its output is moved into" "the refused detach says why"
type_line "echo kept > output/kept.txt"
said still "there" "the session goes on after a refused detach"
tmx send-keys -t t C-d
wait_for_line "rc3=0" "Ctrl-D ends the session after a refused detach"
expect_eq "$(cat "$TEST_DIR/output/kept.txt" 2>/dev/null)" kept "the output was delivered"

# 4. --detach-keys: Ctrl-P Ctrl-Q reach the sandbox, the chosen keys detach; rm -f removes it.
type_line "docker sandbox run -it --detach-keys ctrl-x,x --name $name --workspace none --output none $IMAGE sh; echo rc4=\$?"
said in side3 "the third sandbox's shell answers"
tmx send-keys -t t C-p C-q C-c
said not "detached" "Ctrl-P Ctrl-Q do not detach with --detach-keys ctrl-x,x"
tmx send-keys -t t C-x x
wait_for_line "rc4=0" "ctrl-x,x detaches"
expect_eq "$(state "$name")" running "the sandbox detached with ctrl-x,x goes on"
run_capture docker sandbox rm -f "$name"
expect_eq "$rc" 0 "rm -f of the running detached sandbox ($err)"
expect_eq "$(state "$name")" gone "rm -f removed the running detached sandbox"

# The terminal goes away mid-session (tmux ends it with SIGHUP): the sandbox does not outlive it.
tmx new-session -d -s hup -x 120 -y 40 -c "$TEST_DIR" \
  "docker sandbox run -it --name $name-hup --workspace none --output none $IMAGE sh"
on_exit 'docker rm -f "$name-hup" >/dev/null 2>&1'
for _ in $(seq 1 300); do
  [ "$(state "$name-hup")" = running ] && break
  sleep 0.1
done
expect_eq "$(state "$name-hup")" running "the session's sandbox started"
tmx kill-session -t hup
for _ in $(seq 1 300); do
  [ "$(state "$name-hup")" = gone ] && break
  sleep 0.1
done
expect_eq "$(state "$name-hup")" gone "a hung-up session's sandbox is removed"

# 5. Bad keys: one line, exit 125, nothing made; config.json's detachKeys is read (and named).
run_capture docker sandbox run --detach-keys ctrl-1 "$IMAGE" true
expect_eq "$rc" 125 "a bad --detach-keys"
expect_contains "$err" 'docker sandbox: run: --detach-keys ctrl-1: unknown key "ctrl-1"' "the bad key is named"
printf '{"detachKeys": "ctrl-y,y"}' > "$DOCKER_CONFIG/config.json"
run_capture docker sandbox run --dry-run -it --workspace none --output none "$IMAGE" true
expect_eq "$rc" 0 "dry run with config.json's detachKeys ($err)"
expect_contains "$out" "detachKeys=ctrl-y%2Cy" "the engine is given config.json's detachKeys"
printf '{"detachKeys": "ctrl-p,"}' > "$DOCKER_CONFIG/config.json"
run_capture docker sandbox run --workspace none --output none "$IMAGE" true
expect_eq "$rc" 125 "a bad detachKeys in config.json"
expect_contains "$err" "detachKeys in $DOCKER_CONFIG/config.json ctrl-p,: unknown key" "config.json is named"
run_capture docker sandbox run --detach-keys ctrl-x --dry-run -it --workspace none --output none "$IMAGE" true
expect_eq "$rc" 0 "--detach-keys wins over config.json ($err)"
expect_contains "$out" "detachKeys=ctrl-x" "the engine is given --detach-keys"
rm "$DOCKER_CONFIG/config.json"

expect_no_leftovers
expect_no_stage_dirs
