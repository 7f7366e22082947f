# Sourced by every e2e script. Each script tests one behaviour against a real dockerd through the
# real docker CLI, in a private DOCKER_CONFIG whose cli-plugins holds the freshly built plugin. The
# config dir lies outside TEST_DIR (the workspace), as ~/.docker does outside a project: run refuses
# a default workspace that holds the Docker config, where the user's consent is recorded.
set -euo pipefail

: "${SANDBOX_BINARY:?run through ctest (SANDBOX_BINARY is the built plugin)}"
IMAGE=${SANDBOX_TEST_IMAGE:-docker-sandbox-busybox:latest}

TEST_DIR=$(mktemp -d /tmp/sbx-e2e.XXXXXX)
chmod 755 "$TEST_DIR"
export DOCKER_CONFIG=$(mktemp -d /tmp/sbx-e2e-config.XXXXXX)
mkdir -p "$DOCKER_CONFIG/cli-plugins"
ln -s "$SANDBOX_BINARY" "$DOCKER_CONFIG/cli-plugins/docker-sandbox"
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_API_VERSION DOCKER_TLS_VERIFY DOCKER_CERT_PATH
# The engine under test: the host's dockerd, or another one (tests/run-all.sh runs the suite again
# against a newer dockerd and against Podman) named by SANDBOX_E2E_DOCKER_HOST.
if [ -n "${SANDBOX_E2E_DOCKER_HOST:-}" ]; then
  export DOCKER_HOST=$SANDBOX_E2E_DOCKER_HOST
fi
cd "$TEST_DIR"

cleanup_hooks=()
on_exit() { cleanup_hooks+=("$1"); }
run_cleanup() {
  local hook
  for hook in "${cleanup_hooks[@]}"; do eval "$hook" || true; done
  rm -rf "$TEST_DIR" "$DOCKER_CONFIG"
}
trap run_cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# skip REASON: what this test needs is not here (a tool, a build option); CTest reports a skip.
# CI sets SANDBOX_NO_SKIP=1, where everything must be there, so a skip fails instead.
skip() {
  [ -z "${SANDBOX_NO_SKIP:-}" ] || fail "cannot skip in CI: $*"
  echo "SKIP: $*"
  exit 77
}

# engine_is_podman: the engine under test is Podman (its /version names a "Podman Engine"
# component). Only for behaviour that legitimately differs; each use says why.
engine_is_podman() {
  docker version --format '{{range .Server.Components}}{{.Name}};{{end}}' 2>/dev/null | grep -q 'Podman Engine'
}



# need_gvisor: the gvisor_* scripts run against an engine with gVisor (tests/run-all.sh starts
# tests/tools/gvisor-engine.sh for them); elsewhere they skip, which fails in CI.
need_gvisor() {
  engine_has_gvisor ||
    skip "the engine under test has no gVisor runtime; SANDBOX_E2E_DOCKER_HOST=unix://\$(bash tests/tools/gvisor-engine.sh start) runs it"
}

# engine_has_gvisor: the engine under test has a runtime named runsc or run from a runsc binary,
# and takes the runtime a container asks for (Podman lists runsc, installed or not, and ignores it).
engine_has_gvisor() {
  ! engine_is_podman && docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -Eq '"runsc"|/runsc"'
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
  [ "$1" = "$2" ] || fail "$3: expected [$2], got [$1]"
}

# expect_contains HAYSTACK NEEDLE WHAT
expect_contains() {
  case "$1" in
    *"$2"*) ;;
    *) fail "$3: expected to contain [$2], got [$1]" ;;
  esac
}

# run_capture CMD...: sets $out, $err and $rc without tripping set -e.
run_capture() {
  local o e
  o=$(mktemp) e=$(mktemp)
  set +e
  "$@" >"$o" 2>"$e"
  rc=$?
  set -e
  out=$(cat "$o") err=$(cat "$e")
  rm -f "$o" "$e"
}

# Managed containers and volumes, one id or name a line, sorted.
managed_containers() {
  docker ps -aq --no-trunc --filter label=docker-sandbox.managed=true 2>/dev/null | sort || true
}
managed_volumes() {
  docker volume ls -q --filter label=docker-sandbox.managed=true 2>/dev/null | sort || true
}
# What existed before this test: expect_no_leftovers judges only what the test itself made.
baseline_containers=$(managed_containers)
baseline_volumes=$(managed_volumes)

# What exists now is the test's own fixture (a volume it made on purpose), not a leftover.
fixtures_made() {
  baseline_containers=$(managed_containers)
  baseline_volumes=$(managed_volumes)
}

# The managed containers and volumes this test made that are still there.
new_containers() {
  comm -13 <(printf '%s\n' "$baseline_containers") <(managed_containers) | grep . || true
}
new_volumes() {
  comm -13 <(printf '%s\n' "$baseline_volumes") <(managed_volumes) | grep . || true
}

# No managed container or volume that this test made is left.
expect_no_leftovers() {
  local containers volumes
  containers=$(new_containers)
  volumes=$(new_volumes)
  [ -z "$containers" ] || fail "managed containers left behind: $containers"
  [ -z "$volumes" ] || fail "managed volumes left behind: $volumes"
}

# Stage directories (see lib/run/stage_dirs.h) in the stage root or beside the test's projects:
# none may be left once a run is over.
stage_dirs() {
  ls -a "$DOCKER_CONFIG/sandbox/stages" "$TEST_DIR" 2>/dev/null | grep '^\.docker-sandbox[-~]' || true
}

# show_stage NAME: where the stage directory NAME is and what it holds (its manifest too).
show_stage() {
  local dir
  for dir in "$DOCKER_CONFIG/sandbox/stages/$1" "$TEST_DIR/$1"; do
    [ -e "$dir" ] || continue
    echo "$dir:"
    ls -laR "$dir" 2>&1 | sed 's/^/  /'
    [ ! -f "$dir/manifest" ] || sed 's/^/  manifest: /' "$dir/manifest"
  done
}

# note_stages WHAT: after a run, keeps for each stage directory that appeared since the last call
# what it held then and the run's stderr ($err), described by WHAT, for expect_no_stage_dirs.
note_stages() {
  local name
  mkdir -p "$TEST_DIR/stage-notes"
  for name in $(stage_dirs); do
    [ ! -e "$TEST_DIR/stage-notes/$name" ] || continue
    {
      echo "first seen after $1 (exit $rc); it held:"
      show_stage "$name"
      echo "that run's stderr:"
      printf '%s\n' "$err" | sed 's/^/  /'
    } > "$TEST_DIR/stage-notes/$name"
  done
}

# No stage directory is left. Otherwise fails, after printing each one, what it holds, and what
# note_stages kept of the run that left it.
expect_no_stage_dirs() {
  local left name
  left=$(stage_dirs)
  [ -n "$left" ] || return 0
  for name in $left; do
    echo "stage directory left: $name" >&2
    show_stage "$name" >&2
    [ ! -f "$TEST_DIR/stage-notes/$name" ] || cat "$TEST_DIR/stage-notes/$name" >&2
  done
  fail "stage directories left: $(echo $left)"
}
