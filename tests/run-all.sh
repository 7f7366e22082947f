#!/usr/bin/env bash
# The whole test suite, as CI runs it, on a fresh Debian 12 machine as root:
#   bash tests/run-all.sh [ctest arguments, e.g. -L unit]
# Installs what the tests need, builds with -Werror, starts an engine when none is reachable
# (and stops it again at the end), imports the test image, then runs unit, protocol and e2e tests.
# Without arguments it then runs the e2e suite against the other engines (gVisor, a newer dockerd,
# Podman) and prints the engine matrix, all the tests but the slow ones again in an ASan+UBSan
# build, and fuzzes every libFuzzer target for SANDBOX_FUZZ_SECONDS (default 60) each in a clang
# build.
#
# The full run keeps to CI's time by running what shares nothing side by side (two cores; the
# e2e tests mostly wait on an engine): the sanitizer and fuzzing builds compile at the lowest
# priority while the host's dockerd runs the suite, then the sanitizer build's tests, and the
# other engines, each in its own daemon, run their passes beside it. A pass beside another writes
# to build/engines/NAME.log, printed whole when it ends. Each step prints how long it took.
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
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANDBOX_WERROR=ON -DSANDBOX_FAILPOINTS=ON ${SANDBOX_CMAKE_ARGS:-} >/dev/null
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

asan_build=${SANDBOX_ASAN_BUILD_DIR:-build-asan}
fuzz_build=${SANDBOX_FUZZ_BUILD_DIR:-build-fuzz}
sanitizer_builds() {
  # No -Werror here: GCC 12 warns falsely (maybe-uninitialized in <regex>) under the sanitizers.
  cmake -S . -B "$asan_build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANDBOX_WERROR=OFF -DSANDBOX_SANITIZE=ON -DSANDBOX_FAILPOINTS=ON >/dev/null
  nice -n 19 cmake --build "$asan_build" -j"$(nproc)"
  cmake -S . -B "$fuzz_build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANDBOX_FUZZ=ON -DSANDBOX_WERROR=OFF \
    -DSANDBOX_FUZZ_SECONDS="${SANDBOX_FUZZ_SECONDS:-60}" >/dev/null
  nice -n 19 cmake --build "$fuzz_build" -j"$(nproc)"
}
if [ $# -eq 0 ]; then
  lane sanitizer-builds timed "the sanitizer and fuzzing builds" sanitizer_builds
fi

# The gvisor scripts need an engine with gVisor: they run in their own pass, against
# gvisor-engine.sh's.
timed "the suite on dockerd 20.10" ctest --test-dir "$build" --output-on-failure --timeout 600 \
  --output-junit "$results/dockerd-20.10.xml" -LE gvisor "$@"
[ $# -eq 0 ] || exit 0

# The other engines a user may have, each a daemon of its own, started here one after the other:
# gVisor (trixie's dockerd with Debian's runsc registered in its own daemon.json, never the
# host's) for the scripts labelled gvisor and those that check --isolation and --runtime on every
# engine; sid's dockerd 28.5 from a chroot in its own namespaces; and Podman 4.3. Each skips only
# what tests/tools/engine_matrix.py says, with the reason; the README's engine matrix is made from
# the results (engine_matrix.py table).
stops+=("bash tests/tools/gvisor-engine.sh stop" "bash tests/tools/chroot-engine.sh stop" "bash tests/tools/podman-engine.sh stop")
gvisor_host="unix://$(bash tests/tools/gvisor-engine.sh start)"
sid_host="unix://$(bash tests/tools/chroot-engine.sh start)"
podman_host=$(bash tests/tools/podman-engine.sh start)
for host in "$gvisor_host" "$sid_host" "$podman_host"; do
  DOCKER_HOST=$host bash tests/tools/make-image.sh
done
other_engines() {
  SANDBOX_E2E_DOCKER_HOST=$gvisor_host timed "the gVisor pass" ctest --test-dir "$build" \
    -R '^e2e\.(gvisor_.*|run_isolation|run_runtime|doctor)$' --output-on-failure --timeout 600 --output-junit "$results/gvisor.xml"
  local engine host rc=0
  for engine in dockerd-28.5 podman-4.3; do
    host=$sid_host
    [ "$engine" = dockerd-28.5 ] || host=$podman_host
    SANDBOX_E2E_DOCKER_HOST=$host timed "the suite on $engine" ctest --test-dir "$build" -L e2e -LE gvisor \
      -E "$(python3 tests/tools/engine_matrix.py exclude "$engine")" \
      --output-on-failure --timeout 600 --output-junit "$results/$engine.xml" || rc=1
  done
  return "$rc"
}
lane other-engines other_engines

# Beside them, on the host's dockerd: every suite but the slow ones (the races repeat what the
# others reach, for minutes) again under ASan+UBSan (label asan).
join sanitizer-builds
timed "the sanitizer pass" ctest --test-dir "$asan_build" --output-on-failure --timeout 900 -L asan -LE 'gvisor|slow'
join other-engines
python3 tests/tools/engine_matrix.py table "$results" | tee "$results/matrix.md"

# The fuzzers (label fuzz): clang with libFuzzer, ASan and UBSan, bounded in time.
rm -f "$fuzz_build/fuzz-work/figures"
timed "fuzzing" ctest --test-dir "$fuzz_build" --output-on-failure -j"$(nproc)" -L fuzz
cat "$fuzz_build/fuzz-work/figures"
(cd "$build" && cpack -B "$PWD/packages" >/dev/null)
echo "run-all: packages in $build/packages: $(cd "$build/packages" && ls docker-sandbox*.deb docker-sandbox*.rpm docker-sandbox*.tar.gz | tr '\n' ' ')"
took "the whole run" 0
