#!/usr/bin/env bash
# The quick start: on a fresh Debian 12 machine, as root (or with sudo),
#   bash packaging/setup.sh
# installs the build dependencies, builds docker-sandbox, installs it as a docker CLI plugin for
# the current user, starts an engine if none is reachable, imports a small local image, and runs
# a sandboxed command through `docker sandbox`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash packaging/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSANDBOX_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"

plugins="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
mkdir -p "$plugins"
install -m 0755 build/plugin/docker-sandbox "$plugins/docker-sandbox"
echo "setup: installed $plugins/docker-sandbox"

bash packaging/engine.sh start >/dev/null
bash packaging/make-image.sh

echo "setup: docker sandbox run docker-sandbox-busybox:latest (your project is /workspace, read-only)"
docker sandbox run docker-sandbox-busybox:latest sh -c \
  'id; grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status; echo "network: $(ls /sys/class/net)"; touch /x 2>&1 | head -1'
