# The standalone completion scripts in completions/ are what `docker-sandbox completion SHELL`
# prints (the build embeds them), and they work: bash fills COMPREPLY, fish's `complete -C` and
# zsh's function (with the completion system's _describe and _files stubbed to print what they
# are given) offer the same candidates as `__complete`.
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
' _ "$src/completions/docker-sandbox.bash")
expect_eq "$(sed -n 1p <<<"$reply")" "run" "bash: subcommand"
expect_eq "$(sed -n 2p <<<"$reply")" "--network" "bash: flag"
expect_contains "$(sed -n 3p <<<"$reply")" "none bridge host" "bash: --network values"
expect_eq "$(sed -n 4p <<<"$reply")" "json" "bash: --format value"

if command -v fish >/dev/null; then
  reply=$(fish -c "source $src/completions/docker-sandbox.fish; complete -C 'docker-sandbox ver'; complete -C 'docker-sandbox run --network '")
  expect_contains "$reply" "version	Show the plugin" "fish: subcommand with description"
  expect_contains "$reply" "bridge" "fish: --network values"
else
  skip "fish is not installed (bash tests/tools/install-deps.sh --tests installs it)"
fi

if command -v zsh >/dev/null; then
  reply=$(zsh -c '
    _describe() { print -rl -- "${(@P)2}"; }
    _files() { print -r -- "files $*"; }
    compdef() { :; }
    source "$1"
    words=(docker-sandbox ver); CURRENT=2; _docker_sandbox
    words=(docker-sandbox run --network ""); CURRENT=4; _docker_sandbox
    words=(docker-sandbox run --workspace ""); CURRENT=4; _docker_sandbox
  ' _ "$src/completions/_docker-sandbox")
  expect_eq "$(sed -n 1p <<<"$reply")" "version:Show the plugin, engine and negotiated API versions" "zsh: subcommand with description"
  expect_eq "$(sed -n 2,4p <<<"$reply" | tr '\n' ' ')" "none: bridge: host: " "zsh: --network values"
  expect_eq "$(sed -n 5,6p <<<"$reply" | tr '\n' ' ')" "none: files -/ " "zsh: --workspace offers none and directories"
else
  skip "zsh is not installed (bash tests/tools/install-deps.sh --tests installs it)"
fi
