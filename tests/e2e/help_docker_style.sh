# Help and versions as docker gives them: `docker sandbox help run` and `docker-sandbox help run`
# print run's help in docker's layout; aliases run their command and are listed; `version --short`;
# with no engine, `version` prints its client section first, then the error, exit 1 (as `docker
# version`); one man page per command, none wider than 80 columns.
source "$(dirname "$0")/common.sh"

run_capture docker sandbox help run
expect_eq "$rc" 0 "docker sandbox help run: exit code"
expect_eq "$(sed -n 1p <<<"$out")" "Usage:  docker sandbox run [OPTIONS] IMAGE [COMMAND] [ARG...]" "help run: usage line"
expect_contains "$out" $'\nOptions:\n' "help run: Options block"
expect_contains "$out" "  -m, --memory SIZE " "help run: a flag with its shorthand"
expect_contains "$out" "      --dry-run[=FORMAT] " "help run: an optional value, without cxxopts' notation"
case "$out" in *"-h, --help"*|*"(=text)"*) fail "help run shows cxxopts' artefacts or --help: $out" ;; esac
run_capture docker sandbox run --help
expect_eq "$out" "$(docker sandbox help run)" "run --help is help run"

run_capture "$SANDBOX_BINARY" help run
expect_eq "$(sed -n 1p <<<"$out")" "Usage:  docker-sandbox run [OPTIONS] IMAGE [COMMAND] [ARG...]" "docker-sandbox help run"

run_capture docker sandbox help volume ls
expect_contains "$out" $'Aliases:\n  docker sandbox volume ls, docker sandbox volume list\n' "volume ls aliases"
run_capture docker sandbox ls --help
expect_contains "$out" "docker sandbox ls, docker sandbox list, docker sandbox ps" "ls aliases"
run_capture docker sandbox volume --help
expect_contains "$out" $'Usage:  docker sandbox volume COMMAND\n\nManage per-tenant, per-run volumes\n\nCommands:\n' "volume group help"

# Aliases run their command (the engine is shared: what they list may change between two calls).
for alias in ps list; do
  run_capture docker sandbox $alias --help
  expect_eq "$(sed -n 1p <<<"$out")" "Usage:  docker sandbox ls [OPTIONS]" "$alias is ls"
  run_capture docker sandbox $alias --format json
  expect_eq "$rc" 0 "$alias runs: $err"
done
run_capture docker sandbox volume list --format json
expect_eq "$rc" 0 "volume list runs: $err"
run_capture docker sandbox remove --dry-run --api-version 1.41 nosuch-sbx-container
expect_contains "$err" "rm:" "remove is rm"
run_capture docker sandbox volume remove nosuch-sbx-volume
expect_contains "$err" "volume rm:" "volume remove is volume rm"

run_capture docker sandbox version --short
expect_eq "$rc" 0 "version --short: exit code"
[[ $out =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] && [ "$(wc -l <<<"$out")" = 1 ] || fail "version --short: [$out]"

run_capture docker -H unix:///nonexistent.sock sandbox version
expect_eq "$rc" 1 "version with no engine: exit code (docker version's)"
expect_contains "$out" "Client: docker-sandbox" "version with no engine: client section"
expect_contains "$out" " Endpoint:      unix:///nonexistent.sock" "version with no engine: the endpoint tried"
case "$out" in *Server:*) fail "version with no engine printed a server section: $out" ;; esac
expect_contains "$err" "docker sandbox: version:" "version with no engine: the error"

# One man page per command, from the same help.
mkdir man
"$SANDBOX_BINARY" __man man
for page in docker-sandbox docker-sandbox-run docker-sandbox-ls docker-sandbox-volume docker-sandbox-volume-get; do
  [ -f "man/$page.1" ] || fail "no man page $page(1): $(ls man)"
done
grep -q 'docker sandbox volume list' man/docker-sandbox-volume-ls.1 || fail "volume ls(1) lacks its aliases"
if command -v man >/dev/null; then
  for page in man/*.1; do
    text=$(MANWIDTH=80 man -l "$page" 2>/dev/null)
    [ -n "$text" ] || fail "$page does not render"
    wide=$(awk 'length > 80' <<<"$text")
    [ -z "$wide" ] || fail "$page runs past 80 columns: $wide"
    case "$text" in *"(=text)"*|*"[=FORMAT(="*) fail "$page shows cxxopts' notation" ;; esac
  done
  summary=$(MANWIDTH=80 man -l man/docker-sandbox-run.1 | grep -c 'Run a command in a hardened, throwaway container')
  expect_eq "$summary" 1 "docker-sandbox-run(1) says its summary once"
else
  skip "man is not installed"
fi
