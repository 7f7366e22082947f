#!/usr/bin/env bash
# The quick start: on a fresh Debian 12 machine, as root (or with sudo),
#   bash packaging/setup.sh
# installs the build dependencies, builds docker-sandbox, installs it as a docker CLI plugin for
# the current user, starts an engine if none is reachable, imports a small local image, and runs
# a sandboxed command through `docker sandbox`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANDBOX_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"

bash packaging/install-user.sh build/plugin

bash tests/tools/engine.sh start >/dev/null
bash tests/tools/make-image.sh

echo "setup: docker sandbox run docker-sandbox-busybox:latest (your project is /workspace, read-only)"
docker sandbox run docker-sandbox-busybox:latest sh -c \
  'id; grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status; echo "network: $(ls /sys/class/net)"; touch /x 2>&1 | head -1'
