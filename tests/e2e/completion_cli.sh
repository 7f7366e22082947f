# `docker __complete sandbox ...` (what the docker CLI's bash, zsh and fish completion sends)
# answers in cobra's format: subcommands, flags, flag values (bare after `--flag=`, as cobra
# answers them) and positional arguments from the engine, which -H and --context typed before
# `sandbox` choose; paths inside a volume for `volume get`; command names after `help`. With the
# engine down there are no candidates and never an error.
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

# A name of this test's own: the machine may hold other networks (a prefix of ours included).
net=sbx-e2e-net-$$
docker network create "$net" >/dev/null
on_exit "docker network rm $net >/dev/null"
on_exit "docker context rm -f sbx-e2e-ctx >/dev/null 2>&1"
run_capture docker __complete sandbox run --network ''
for network in none bridge host "$net"; do
  candidates_of "$out" | grep -qx "$network" || fail "--network: $network missing: $out"
done
run_capture docker __complete sandbox run --network="${net%?}"
expect_eq "$(candidates_of "$out")" "$net" "--network=PREFIX answers the bare value"
run_capture docker __complete sandbox run --network=
candidates_of "$out" | grep -qx none || fail "--network= lists bare values: $out"
candidates_of "$out" | grep -qx "$net" || fail "--network= lists networks: $out"
run_capture docker __complete sandbox version --format=j
expect_eq "$(candidates_of "$out")" "json" "--format=j"

run_capture docker __complete sandbox ''
candidates_of "$out" | grep -qx help || fail "help is offered: $out"
run_capture docker __complete sandbox help ''
candidates_of "$out" | grep -qx run || fail "help <TAB> lists commands: $out"
candidates_of "$out" | grep -qx volume || fail "help <TAB> lists volume: $out"
run_capture docker __complete sandbox help volume ''
candidates_of "$out" | grep -qx get || fail "help volume <TAB> lists its commands: $out"

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
run_capture docker __complete sandbox volume list --tenant ''
candidates_of "$out" | grep -qx sbx-e2e-vtenant || fail "an alias (volume list) completes as its command: $out"

# -H and --context typed before `sandbox`: the docker CLI drops them from what it sends us, and
# the lookups still go where they point.
# (Shells send `docker __complete -H URL sandbox ...`; `docker -H URL __complete ...` works too.)
run_capture docker __complete -H unix:///nonexistent.sock sandbox rm ''
expect_eq "$out" ":4" "-H to no engine: no candidates"
run_capture docker -H unix:///nonexistent.sock __complete sandbox rm ''
expect_eq "$out" ":4" "-H before __complete to no engine: no candidates"
host=${DOCKER_HOST:-unix:///var/run/docker.sock}
docker context create sbx-e2e-ctx --docker "host=$host" >/dev/null
run_capture env DOCKER_HOST=unix:///nonexistent.sock docker __complete --context sbx-e2e-ctx sandbox rm ''
candidates_of "$out" | grep -qx sbx-e2e-complete || fail "--context reaches its engine: $out"
run_capture env DOCKER_HOST=unix:///nonexistent.sock docker __complete -H "$host" sandbox run --network ''
candidates_of "$out" | grep -qx "$net" || fail "-H reaches its engine: $out"

# volume get VOL <TAB>: the entries of the volume, one directory at a time, without hostile names.
mkdir -p tree/reports
echo '{}' > tree/reports/summary.json
echo data > tree/data.txt
docker sandbox volume put -q sbx-e2e-complete-vol ./tree/.
# What a sandbox could leave there: names that would inject a candidate or move the cursor.
# And names the CLI's bash scripts would expand at TAB (compgen -W): a command substitution, a
# backquote, arithmetic and a brace list, each of which would run or write something on the host.
docker run --rm -v sbx-e2e-complete-vol:/v "$IMAGE" sh -c 'touch "/v/reports/evil
INJECTED" "$(printf "/v/reports/esc\033[2Jx")" "/v/reports/r\$(touch\${IFS}pwned-subst)" "/v/reports/r\`touch\${IFS}pwned-tick\`" \
  "/v/reports/r\$((1+1))" "/v/reports/r{a,b}" "/v/reports/r\${IFS}x"'
start=$(date +%s%N)
run_capture docker __complete sandbox volume get sbx-e2e-complete-vol ''
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "$(candidates_of "$out" | sort | tr '\n' ' ')" "data.txt reports/ " "volume get VOL <TAB>"
expect_eq "$(directive_of "$out")" ":6" "volume paths: no space after a directory, no host files"
[ "$elapsed_ms" -lt 3000 ] || fail "volume get VOL <TAB> took ${elapsed_ms} ms"
run_capture docker __complete sandbox volume get sbx-e2e-complete-vol reports/
expect_eq "$(candidates_of "$out")" "reports/summary.json" "volume get VOL reports/<TAB> (hostile names left out)"
case "$out" in *INJECTED*|*$'\x1b'*) fail "a hostile name reached the shell: $out" ;; esac
run_capture docker __complete sandbox volume get sbx-e2e-complete-vol ./
expect_eq "$(directive_of "$out")" ":0" "a host path after VOL completes files (DEST)"
run_capture docker __complete sandbox volume get sbx-e2e-complete-vol data.txt ''
expect_eq "$(directive_of "$out")" ":0" "DEST completes files"
expect_eq "$(docker ps -aq --filter volume=sbx-e2e-complete-vol)" "" "no helper container left"

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
reply0=$(bash -c '
  source /usr/share/bash-completion/bash_completion 2>/dev/null || true
  source "$1"
  COMP_WORDS=(docker sandbox ""); COMP_CWORD=2; COMP_LINE="docker sandbox "; COMP_POINT=${#COMP_LINE}
  _docker; echo "${COMPREPLY[*]}"
  COMP_WORDS=(docker sandbox run --network ""); COMP_CWORD=4; COMP_LINE="docker sandbox run --network "; COMP_POINT=${#COMP_LINE}
  _docker; echo "${COMPREPLY[*]}"
' _ "$legacy")
# TAB in the legacy script (compgen -W) on the volume's hostile names: nothing runs, nothing but
# the real file is offered.
reply=$(cd "$TEST_DIR" && bash -c '
  source /usr/share/bash-completion/bash_completion 2>/dev/null || true
  source "$1"
  COMP_WORDS=(docker sandbox volume get sbx-e2e-complete-vol reports/); COMP_CWORD=5
  COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
  _docker; echo "${COMPREPLY[*]}"
' _ "$legacy")
expect_eq "$reply" "reports/summary.json" "legacy bash completion: a volume's paths, hostile names left out"
[ -z "$(find "$TEST_DIR" -maxdepth 1 -name 'pwned*')" ] || fail "a name in the volume ran a command at TAB: $(ls "$TEST_DIR")"
expect_contains "$(sed -n 1p <<<"$reply0")" "run" "legacy bash completion: subcommands"
expect_contains "$(sed -n 2p <<<"$reply0")" "bridge" "legacy bash completion: --network values"
