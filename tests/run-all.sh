#!/usr/bin/env bash
# The whole test suite, as CI runs it, on a fresh Debian 12 machine as root:
#   bash tests/run-all.sh [ctest arguments, e.g. -L unit]
# Installs what the tests need, builds with -Werror, starts an engine when none is reachable
# (and stops it again at the end), imports the test image, then runs unit, protocol and e2e tests.
# Without arguments it then runs the e2e suite against the other engines (a newer dockerd, Podman)
# and prints the engine matrix, all the tests again in an ASan+UBSan build, and fuzzes every
# libFuzzer target for SANDBOX_FUZZ_SECONDS (default 60) each in a clang build.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/tools/install-deps.sh --tests
build=${SANDBOX_BUILD_DIR:-build-tests}
# Every test runs here: a missing tool or build option fails its test instead of skipping it.
export SANDBOX_NO_SKIP=1
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANDBOX_WERROR=ON -DSANDBOX_FAILPOINTS=ON ${SANDBOX_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)"

# Engines this script started, stopped again on every exit path.
stops=()
trap 'for stop in "${stops[@]}"; do $stop || true; done' EXIT
engine=$(bash tests/tools/engine.sh start)
if [ "$engine" = started ]; then
  stops+=("bash tests/tools/engine.sh stop")
fi
bash tests/tools/make-image.sh

results="$PWD/$build/engines"
rm -rf "$results"
# The gvisor scripts need an engine with gVisor: they run below, against gvisor-engine.sh's.
ctest --test-dir "$build" --output-on-failure --timeout 600 --output-junit "$results/dockerd-20.10.xml" -LE gvisor "$@"

# gVisor (issue 19): trixie's dockerd with Debian's runsc registered in its own daemon.json (never
# the host's), for the scripts labelled gvisor and those that check --isolation and --runtime on
# every engine. Part of the full run (no ctest arguments).
gvisor_pass() {
  local host
  stops+=("bash tests/tools/gvisor-engine.sh stop")
  host="unix://$(bash tests/tools/gvisor-engine.sh start)"
  DOCKER_HOST=$host bash tests/tools/make-image.sh
  SANDBOX_E2E_DOCKER_HOST=$host ctest --test-dir "$build" -R '^e2e\.(gvisor_.*|run_isolation|run_runtime|doctor)$' \
    --output-on-failure --timeout 600 --output-junit "$results/gvisor.xml"
  bash tests/tools/gvisor-engine.sh stop
}
if [ $# -eq 0 ]; then
  gvisor_pass
fi

# The full run (no ctest arguments) runs the e2e suite again against the other engines a user may
# have: sid's dockerd 28.5 from a chroot in its own namespaces, and Podman 4.3. Each skips only what
# tests/tools/engine_matrix.py says, with the reason; the README's engine matrix is made from the
# results (engine_matrix.py table).
on_engine() { # NAME DOCKER_HOST
  DOCKER_HOST=$2 bash tests/tools/make-image.sh
  SANDBOX_E2E_DOCKER_HOST=$2 ctest --test-dir "$build" -L e2e -LE gvisor -E "$(python3 tests/tools/engine_matrix.py exclude "$1")" \
    --output-on-failure --timeout 600 --output-junit "$results/$1.xml"
}
if [ $# -eq 0 ]; then
  stops+=("bash tests/tools/chroot-engine.sh stop")
  on_engine dockerd-28.5 "unix://$(bash tests/tools/chroot-engine.sh start)"
  bash tests/tools/chroot-engine.sh stop
  stops+=("bash tests/tools/podman-engine.sh stop")
  on_engine podman-4.3 "$(bash tests/tools/podman-engine.sh start)"
  bash tests/tools/podman-engine.sh stop
  python3 tests/tools/engine_matrix.py table "$results" | tee "$results/matrix.md"
fi

# The full run (no ctest arguments) repeats every suite under ASan+UBSan (label asan).
if [ $# -eq 0 ]; then
  asan_build=${SANDBOX_ASAN_BUILD_DIR:-build-asan}
  # No -Werror here: GCC 12 warns falsely (maybe-uninitialized in <regex>) under the sanitizers.
  cmake -S . -B "$asan_build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANDBOX_WERROR=OFF -DSANDBOX_SANITIZE=ON -DSANDBOX_FAILPOINTS=ON >/dev/null
  cmake --build "$asan_build" -j"$(nproc)"
  ctest --test-dir "$asan_build" --output-on-failure --timeout 900 -L asan -LE gvisor

  # The full run also fuzzes (label fuzz): clang with libFuzzer, ASan and UBSan, bounded in time.
  fuzz_build=${SANDBOX_FUZZ_BUILD_DIR:-build-fuzz}
  cmake -S . -B "$fuzz_build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANDBOX_FUZZ=ON -DSANDBOX_WERROR=OFF \
    -DSANDBOX_FUZZ_SECONDS="${SANDBOX_FUZZ_SECONDS:-60}" >/dev/null
  cmake --build "$fuzz_build" -j"$(nproc)"
  rm -f "$fuzz_build/fuzz-work/figures"
  ctest --test-dir "$fuzz_build" --output-on-failure -j"$(nproc)" -L fuzz
  cat "$fuzz_build/fuzz-work/figures"
fi
(cd "$build" && cpack -B "$PWD/packages" >/dev/null)
echo "run-all: packages in $build/packages: $(cd "$build/packages" && ls docker-sandbox*.deb docker-sandbox*.rpm docker-sandbox*.tar.gz | tr '\n' ' ')"
