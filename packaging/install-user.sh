#!/usr/bin/env bash
# Installs a built docker-sandbox for the current user:
#   bash packaging/install-user.sh [BUILD_PLUGIN_DIR]      (default build/plugin)
# The two executables go to ~/.local/libexec/docker-sandbox/; the docker CLI finds the plugin
# through a symlink in $DOCKER_CONFIG/cli-plugins (default ~/.docker/cli-plugins).
set -euo pipefail
from=${1:-build/plugin}
libexec="$HOME/.local/libexec/docker-sandbox"
plugins="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
for f in docker-sandbox docker-sandbox-core; do
  [ -x "$from/$f" ] || { echo "install-user: $from/$f is missing; build first" >&2; exit 1; }
done
mkdir -p "$libexec" "$plugins"
install -m 0755 "$from/docker-sandbox" "$from/docker-sandbox-core" "$libexec/"
ln -sfn "$libexec/docker-sandbox" "$plugins/docker-sandbox"
echo "install-user: $plugins/docker-sandbox -> $libexec/docker-sandbox"
