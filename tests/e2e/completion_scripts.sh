# The standalone completion scripts in completions/ are what `docker-sandbox completion SHELL`
# prints (the build embeds them), and they work: bash fills COMPREPLY (with words that bash broke
# at `=` and `:` joined back, and only the part after the break replaced), fish's `complete -C`
# and zsh's function (with the completion system's _describe and _files stubbed to print what
# they are given) offer the same candidates as `__complete`, values after `--flag=` included.
source "$(dirname "$0")/common.sh"

src=${SANDBOX_SOURCE_DIR:?}
for pair in bash:docker-sandbox.bash zsh:_docker-sandbox fish:docker-sandbox.fish; do
  shell=${pair%%:*} file=${pair#*:}
  diff -u "$src/completions/$file" <("$SANDBOX_BINARY" completion "$shell") \
    || fail "docker-sandbox completion $shell is not completions/$file (the build embeds it: rebuild)"
done

mkdir -p bin
ln -s "$SANDBOX_BINARY" bin/docker-sandbox
export PATH="$TEST_DIR/bin:$PATH"

reply=$(bash -c '
  source "$1"
  COMP_WORDS=(docker-sandbox ru); COMP_CWORD=1; _docker_sandbox; echo "${COMPREPLY[*]}"
  COMP_WORDS=(docker-sandbox run --netw); COMP_CWORD=2; _docker_sandbox; echo "${COMPREPLY[*]}"
  COMP_WORDS=(docker-sandbox run --network ""); COMP_CWORD=3; _docker_sandbox; echo "${COMPREPLY[*]}"
  COMP_WORDS=(docker-sandbox version --format j); COMP_CWORD=3; _docker_sandbox; echo "${COMPREPLY[*]}"
  # bash broke `--network=` into `--network` `=`, and replaces what follows the `=`.
  COMP_LINE="docker-sandbox run --network="; COMP_POINT=${#COMP_LINE}
  COMP_WORDS=(docker-sandbox run --network =); COMP_CWORD=3; _docker_sandbox; echo "${COMPREPLY[*]}"
  COMP_LINE="docker-sandbox run --network=bri"; COMP_POINT=${#COMP_LINE}
  COMP_WORDS=(docker-sandbox run --network = bri); COMP_CWORD=4; _docker_sandbox; echo "${COMPREPLY[*]}"
  COMP_LINE="docker-sandbox run $2"; COMP_POINT=${#COMP_LINE}
  COMP_WORDS=(docker-sandbox run "${2%%:*}" : "${2#*:}"); COMP_CWORD=4; _docker_sandbox; echo "${COMPREPLY[*]}"
  COMP_LINE="docker-sandbox -H unix:///nonexistent.sock rm "; COMP_POINT=${#COMP_LINE}
  COMP_WORDS=(docker-sandbox -H unix : ///nonexistent.sock rm ""); COMP_CWORD=6; _docker_sandbox; echo "[${COMPREPLY[*]}]"
' _ "$src/completions/docker-sandbox.bash" "${IMAGE%:*}:la")
expect_eq "$(sed -n 1p <<<"$reply")" "run" "bash: subcommand"
expect_eq "$(sed -n 2p <<<"$reply")" "--network" "bash: flag"
expect_contains "$(sed -n 3p <<<"$reply")" "none bridge host" "bash: --network values"
expect_eq "$(sed -n 4p <<<"$reply")" "json" "bash: --format value"
expect_contains "$(sed -n 5p <<<"$reply")" "none bridge host" "bash: --network= values, bare"
expect_eq "$(sed -n 6p <<<"$reply")" "bridge" "bash: --network=bri"
expect_eq "$(sed -n 7p <<<"$reply")" "latest" "bash: IMAGE:TAG, only the part after the colon replaced"
expect_eq "$(sed -n 8p <<<"$reply")" "[]" "bash: -H with a colon in its URL is honoured (no engine there)"

if command -v fish >/dev/null; then
  reply=$(fish -c "source $src/completions/docker-sandbox.fish; complete -C 'docker-sandbox ver'; complete -C 'docker-sandbox run --network '")
  expect_contains "$reply" "version	Show the plugin" "fish: subcommand with description"
  expect_contains "$reply" "bridge" "fish: --network values"
  reply=$(fish -c "source $src/completions/docker-sandbox.fish; complete -C 'docker-sandbox run --network=bri'")
  expect_eq "$reply" "--network=bridge" "fish: --network=bri"
else
  skip "fish is not installed (bash tests/tools/install-deps.sh --tests installs it)"
fi

if command -v zsh >/dev/null; then
  reply=$(zsh -c '
    _describe() { print -rl -- "${(@P)2}"; }
    _files() { print -r -- "files $*"; }
    compdef() { :; }
    compset() { PREFIX=${PREFIX#*=}; }
    source "$1"
    words=(docker-sandbox ver); CURRENT=2; _docker_sandbox; print -r -- @@
    words=(docker-sandbox run --network ""); CURRENT=4; _docker_sandbox; print -r -- @@
    words=(docker-sandbox run --workspace ""); CURRENT=4; _docker_sandbox; print -r -- @@
    words=(docker-sandbox run --network=b); PREFIX=--network=b; CURRENT=3; _docker_sandbox
  ' _ "$src/completions/_docker-sandbox")
  # The candidates of the Nth completion, one line: the engine may have networks of its own.
  section() { awk -v n="$1" '$0 == "@@" { i++; next } i == n - 1' <<<"$reply" | tr '\n' ' '; }
  expect_eq "$(section 1)" "version:Show the plugin, engine and negotiated API versions " "zsh: subcommand with description"
  # Without a description a candidate is bare: "none:" would be listed as "none  --".
  expect_contains "$(section 2)" "none bridge host " "zsh: --network values"
  expect_eq "$(section 3)" "none files -/ " "zsh: --workspace offers none and directories"
  expect_eq "$(section 4)" "bridge " "zsh: --network=b offers bare values"
else
  skip "zsh is not installed (bash tests/tools/install-deps.sh --tests installs it)"
fi
