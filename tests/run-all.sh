#!/usr/bin/env bash
# The whole test suite, as CI runs it, on a fresh Debian 12 machine as root:
#   bash tests/run-all.sh [ctest arguments, e.g. -L unit]
# Installs what the tests need, builds with -Werror, starts an engine when none is reachable
# (and stops it again at the end), imports the test image, then runs unit, protocol and e2e tests.
# Without arguments it then runs the e2e suite against the other engines (gVisor, a newer dockerd,
# Podman) and prints the engine matrix, runs the unit, protocol and proxy suites and a third of the
# e2e scripts again in an ASan+UBSan build, and fuzzes every libFuzzer target for
# SANDBOX_FUZZ_SECONDS (default 60) each in a clang build.
#
# The full run keeps to CI's time by caching compiled objects (ccache, under /var/cache) and by
# running two lanes of passes side by side, each pass against its own daemon: the host's dockerd
# (the suite, then the sanitizer build's), and gVisor's, sid's dockerd 28.5 and Podman's one after
# the other. That lane writes to build/engines/other-engines.log, printed whole when it ends. Each
# step prints how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."

took() { # STEP START: how long STEP took since START ($SECONDS)
  echo "run-all: $1 took $((SECONDS - $2)) s"
}
since=$SECONDS
bash tests/tools/install-deps.sh --tests
build=${SANDBOX_BUILD_DIR:-build-tests}
# Every test runs here: a missing tool or build option fails its test instead of skipping it.
export SANDBOX_NO_SKIP=1
# Three builds (release, sanitizers, fuzzing) are half of a cold run's two cores: ccache keeps
# their objects outside the clone, keyed by what goes into each, so a run on unchanged sources
# compiles little. Paths are taken relative to the clone and the build directory is left out of
# the key (it would be, as the builds carry debug information), so another clone, wherever it is,
# hits the same objects; their debug information names the clone that filled the cache.
# (ccache never caches a source with .incbin, so the plugin always takes the proxy just built.)
export CCACHE_DIR=${CCACHE_DIR:-/var/cache/docker-sandbox/ccache} CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANDBOX_WERROR=ON -DSANDBOX_FAILPOINTS=ON ${SANDBOX_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)"
took "installing and building" "$since"

results="$PWD/$build/engines"
rm -rf "$results"
mkdir -p "$results"

# Engines this script started and lanes still running, all stopped on every exit path. Job
# control puts each lane in its own process group, so that stopping it stops what it started.
set -m
stops=()
declare -A lanes=()
stop_all() {
  for pid in "${lanes[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  for stop in "${stops[@]}"; do $stop || true; done
}
trap stop_all EXIT
lane() { # NAME COMMAND...: runs COMMAND beside this script, its output in $results/NAME.log
  local name=$1
  shift
  "$@" >"$results/$name.log" 2>&1 &
  lanes[$name]=$!
}
join() { # NAME: waits for the lane, prints its output, and fails when it failed
  local name=$1 rc=0
  wait "${lanes[$name]}" || rc=$?
  unset "lanes[$name]"
  cat "$results/$name.log"
  echo "run-all: $name ended with $rc"
  return "$rc"
}
timed() { # STEP COMMAND...: COMMAND, then how long it took
  local step=$1 start=$SECONDS
  shift
  "$@"
  took "$step" "$start"
}

engine=$(bash tests/tools/engine.sh start)
if [ "$engine" = started ]; then
  stops+=("bash tests/tools/engine.sh stop")
fi
bash tests/tools/make-image.sh

if [ $# -gt 0 ]; then
  timed "the tests asked for" ctest --test-dir "$build" --output-on-failure --timeout 600 -LE gvisor "$@"
  exit 0
fi

# The full run builds the other two first: the e2e passes keep both cores busy, so a build beside
# them would only wait.
asan_build=${SANDBOX_ASAN_BUILD_DIR:-build-asan}
fuzz_build=${SANDBOX_FUZZ_BUILD_DIR:-build-fuzz}
since=$SECONDS
# No -Werror here: GCC 12 warns falsely (maybe-uninitialized in <regex>) under the sanitizers.
cmake -S . -B "$asan_build" "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANDBOX_WERROR=OFF -DSANDBOX_SANITIZE=ON -DSANDBOX_FAILPOINTS=ON >/dev/null
cmake --build "$asan_build" -j"$(nproc)" >"$results/sanitizer-build.log" 2>&1 || { tail -50 "$results/sanitizer-build.log"; exit 1; }
cmake -S . -B "$fuzz_build" "${launcher[@]}" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANDBOX_FUZZ=ON -DSANDBOX_WERROR=OFF \
  -DSANDBOX_FUZZ_SECONDS="${SANDBOX_FUZZ_SECONDS:-60}" >/dev/null
cmake --build "$fuzz_build" -j"$(nproc)" >"$results/fuzz-build.log" 2>&1 || { tail -50 "$results/fuzz-build.log"; exit 1; }
took "the sanitizer and fuzzing builds" "$since"

# The engines a user may have, each a daemon of its own: the host's dockerd 20.10; gVisor
# (trixie's dockerd with Debian's runsc registered in its own daemon.json, never the host's) for
# the scripts labelled gvisor and those that check --isolation and --runtime on every engine; sid's
# dockerd 28.5 from a chroot in its own namespaces; and Podman 4.3. Each skips only what
# tests/tools/engine_matrix.py says, with the reason; the README's engine matrix is made from the
# results (engine_matrix.py table).
stops+=("bash tests/tools/gvisor-engine.sh stop" "bash tests/tools/chroot-engine.sh stop" "bash tests/tools/podman-engine.sh stop")
gvisor_host="unix://$(bash tests/tools/gvisor-engine.sh start)"
sid_host="unix://$(bash tests/tools/chroot-engine.sh start)"
podman_host=$(bash tests/tools/podman-engine.sh start)
for host in "$gvisor_host" "$sid_host" "$podman_host"; do
  DOCKER_HOST=$host bash tests/tools/make-image.sh
done
# The two mount races run 200 times on the host's dockerd and 100 times on each other engine: what
# they race is the plugin's own pinning, the same on every engine, and 100 runs still race each
# engine's own resolution of a bind source; CI's time goes to the engines' passes, one after another.
on_engine() { # NAME DOCKER_HOST
  RACE_RUNS=100 SANDBOX_E2E_DOCKER_HOST=$2 timed "the suite on $1" ctest --test-dir "$build" -L e2e -LE gvisor \
    -E "$(python3 tests/tools/engine_matrix.py exclude "$1")" --output-on-failure --timeout 600 --output-junit "$results/$1.xml"
}
other_engines() {
  SANDBOX_E2E_DOCKER_HOST=$gvisor_host timed "the gVisor pass" ctest --test-dir "$build" \
    -R '^e2e\.(gvisor_.*|run_isolation|run_runtime|doctor)$' --output-on-failure --timeout 600 --output-junit "$results/gvisor.xml"
  local rc=0
  on_engine dockerd-28.5 "$sid_host" || rc=1
  on_engine podman-4.3 "$podman_host" || rc=1
  return "$rc"
}
# Two passes at a time: with three (each engine its own lane), timing-bound tests failed on the
# loaded machine (Podman's interrupt and helper cases, the races past their limit).
lane other-engines other_engines

# On the host's dockerd: every suite, then under ASan+UBSan (label asan) the unit, protocol and
# egress proxy suites, the fuzz replays, and the e2e scripts that drive the plugin's own parsing,
# streaming, archive and cleanup code hardest (every e2e script is labelled asan there, for a
# developer's `ctest -L asan`; all of them would be a fourth whole pass, which CI's time cannot hold).
sanitized='^(unit|protocol|egress|fuzz)\.|^e2e\.(fault_.*|run_interrupt|run_input_collect.*|run_streams|run_tty|run_detach_keys|run_timeout|run_log_bounded|run_missing_command|run_check|hostile_inputs|volume_.*|collect_planted_links|named_paths_planted_links|get_collect_caps|profile_consent|profile_escalation|list_format_filter|completion_cli|dry_run_matches_live|leftovers_ls_rm_prune|endpoint_tls)$'
timed "the suite on dockerd 20.10" ctest --test-dir "$build" --output-on-failure --timeout 600 \
  --output-junit "$results/dockerd-20.10.xml" -LE gvisor
timed "the sanitizer pass" ctest --test-dir "$asan_build" --output-on-failure --timeout 900 -L asan -R "$sanitized"
join other-engines
python3 tests/tools/engine_matrix.py table "$results" | tee "$results/matrix.md"

# The fuzzers (label fuzz): clang with libFuzzer, ASan and UBSan, bounded in time.
rm -f "$fuzz_build/fuzz-work/figures"
timed "fuzzing" ctest --test-dir "$fuzz_build" --output-on-failure -j"$(nproc)" -L fuzz
cat "$fuzz_build/fuzz-work/figures"
(cd "$build" && cpack -B "$PWD/packages" >/dev/null)
echo "run-all: packages in $build/packages: $(cd "$build/packages" && ls docker-sandbox*.deb docker-sandbox*.rpm docker-sandbox*.tar.gz | tr '\n' ' ')"
took "the whole run" 0
