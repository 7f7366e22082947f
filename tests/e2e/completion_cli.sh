# `docker __complete sandbox ...` (what the docker CLI's bash, zsh and fish completion sends)
# answers in cobra's format: subcommands, flags, flag values and positional arguments from the
# engine; with the engine down there are no candidates and never an error.
source "$(dirname "$0")/common.sh"

directive_of() { printf '%s\n' "$1" | tail -n 1; }
candidates_of() { printf '%s\n' "$1" | sed '$d' | cut -f1; }

run_capture docker __complete sandbox ''
expect_eq "$rc" 0 "exit code"
for command in run version doctor ls rm prune completion; do
  candidates_of "$out" | grep -qx "$command" || fail "subcommand $command missing: $out"
done
expect_contains "$out" "run	Run a command in a hardened, throwaway container" "descriptions"
expect_eq "$(directive_of "$out")" ":4" "subcommand directive"

run_capture env DOCKER_CLI_DISABLE_COMPLETION_DESCRIPTION=1 docker __complete sandbox ''
case "$out" in *"	"*) fail "descriptions were not disabled: $out" ;; esac

docker network create sbx-e2e-net >/dev/null
on_exit "docker network rm sbx-e2e-net >/dev/null"
run_capture docker __complete sandbox run --network ''
for network in none bridge host sbx-e2e-net; do
  candidates_of "$out" | grep -qx "$network" || fail "--network: $network missing: $out"
done
run_capture docker __complete sandbox run --network=sbx-e
expect_eq "$(candidates_of "$out")" "--network=sbx-e2e-net" "--network=PREFIX"

run_capture docker __complete sandbox run --mem
expect_eq "$(candidates_of "$out")" "--memory" "flag prefix"

run_capture docker __complete sandbox run ''
candidates_of "$out" | grep -qx "$IMAGE" || fail "run IMAGE lists local images: $out"
run_capture docker __complete sandbox run "$IMAGE" ''
expect_eq "$(directive_of "$out")" ":0" "the command after IMAGE completes files"

docker sandbox run --keep --name sbx-e2e-complete --tenant sbx-e2e-tenant "$IMAGE" true
on_exit "docker rm -f sbx-e2e-complete >/dev/null"
run_capture docker __complete sandbox rm ''
candidates_of "$out" | grep -qx sbx-e2e-complete || fail "rm lists managed containers: $out"
run_capture docker __complete sandbox run --tenant ''
candidates_of "$out" | grep -qx sbx-e2e-tenant || fail "--tenant lists tenants seen: $out"
docker sandbox volume create --tenant sbx-e2e-vtenant sbx-e2e-complete-vol >/dev/null
on_exit "docker volume rm -f sbx-e2e-complete-vol >/dev/null"
run_capture docker __complete sandbox volume ''
candidates_of "$out" | grep -qx create || fail "volume subcommands: $out"
run_capture docker __complete sandbox volume rm ''
candidates_of "$out" | grep -qx sbx-e2e-complete-vol || fail "volume rm lists managed volumes: $out"
run_capture docker __complete sandbox volume ls --tenant ''
candidates_of "$out" | grep -qx sbx-e2e-vtenant || fail "--tenant lists tenants of volumes: $out"

run_capture docker __complete sandbox run --workspace ''
expect_eq "$(directive_of "$out")" ":16" "--workspace completes directories"

run_capture env DOCKER_HOST=unix:///nonexistent.sock docker __complete sandbox run --network ''
expect_eq "$rc" 0 "engine down: exit code"
expect_eq "$(candidates_of "$out" | tr '\n' ' ')" "none bridge host " "engine down: only the static networks"
run_capture env DOCKER_HOST=unix:///nonexistent.sock docker __complete sandbox rm ''
expect_eq "$out" ":4" "engine down: no candidates, no file completion"
case "$err" in *"docker sandbox"*|*"cannot connect"*) fail "engine down printed an error: $err" ;; esac
docker rm -f sbx-e2e-complete >/dev/null

# Debian's docker.io ships the legacy bash completion, which calls the plugin itself with
# __completeNoDesc and no plugin name.
legacy=/usr/share/bash-completion/completions/docker
[ -f "$legacy" ] || fail "$legacy is missing (docker.io installs it)"
reply=$(bash -c '
  source /usr/share/bash-completion/bash_completion 2>/dev/null || true
  source "$1"
  COMP_WORDS=(docker sandbox ""); COMP_CWORD=2; COMP_LINE="docker sandbox "; COMP_POINT=${#COMP_LINE}
  _docker; echo "${COMPREPLY[*]}"
  COMP_WORDS=(docker sandbox run --network ""); COMP_CWORD=4; COMP_LINE="docker sandbox run --network "; COMP_POINT=${#COMP_LINE}
  _docker; echo "${COMPREPLY[*]}"
' _ "$legacy")
expect_contains "$(sed -n 1p <<<"$reply")" "run" "legacy bash completion: subcommands"
expect_contains "$(sed -n 2p <<<"$reply")" "bridge" "legacy bash completion: --network values"
