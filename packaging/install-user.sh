#!/usr/bin/env bash
# Installs a built docker-sandbox for the current user:
#   bash packaging/install-user.sh [BUILD_PLUGIN_DIR]      (default build/plugin)
# docker-sandbox is one self-contained file: it is copied to $DOCKER_CONFIG/cli-plugins (default
# ~/.docker/cli-plugins), where the docker CLI finds it, and linked from ~/.local/bin for
# standalone use (`source <(docker-sandbox completion bash)`).
set -euo pipefail
from=${1:-build/plugin}
plugins="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
bin="$HOME/.local/bin"
[ -x "$from/docker-sandbox" ] || { echo "install-user: $from/docker-sandbox is missing; build first" >&2; exit 1; }
mkdir -p "$plugins" "$bin"
install -m 0755 "$from/docker-sandbox" "$plugins/docker-sandbox"
ln -sfn "$plugins/docker-sandbox" "$bin/docker-sandbox"
echo "install-user: $plugins/docker-sandbox (and $bin/docker-sandbox)"
