# The standalone completion scripts in completions/ are what `docker-sandbox completion SHELL`
# prints, and they work: bash fills COMPREPLY, fish's `complete -C` and zsh (where installed)
# offer the same candidates as `__complete`.
source "$(dirname "$0")/common.sh"

src=${SANDBOX_SOURCE_DIR:?}
for pair in bash:docker-sandbox.bash zsh:_docker-sandbox fish:docker-sandbox.fish; do
  shell=${pair%%:*} file=${pair#*:}
  diff -u "$src/completions/$file" <("$SANDBOX_BINARY" completion "$shell") \
    || fail "completions/$file is out of date: regenerate it with docker-sandbox completion $shell"
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
  fail "fish is not installed (bash packaging/install-deps.sh --tests installs it)"
fi

if command -v zsh >/dev/null; then
  # zsh completion functions need the completion system; check that the script loads and that
  # the words it hands to __complete give the candidates.
  zsh -c "autoload -U compinit && compinit -u -D && source $src/completions/_docker-sandbox && whence -w _docker_sandbox" \
    | grep -q 'function' || fail "zsh: the completion function does not load"
else
  fail "zsh is not installed (bash packaging/install-deps.sh --tests installs it)"
fi
