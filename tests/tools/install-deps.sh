#!/usr/bin/env bash
# Installs what building, running and testing docker-sandbox needs, from Debian 12's packages.
#   bash tests/tools/install-deps.sh            build + run dependencies
#   bash tests/tools/install-deps.sh --tests    also what the test suite needs
# Needs root (or sudo). Installs only what is missing, so a second run is quick.
set -euo pipefail

packages=(
  ca-certificates cmake g++ make pkg-config git
  libcxxopts-dev rapidjson-dev libarchive-dev libssl-dev libboost-dev libboost-test-dev
  libacl1-dev liblzma-dev libzstd-dev liblz4-dev libbz2-dev zlib1g-dev nettle-dev # libarchive.a's, for the one file
  busybox-static docker.io iptables procps
)
if [ "${1:-}" = "--tests" ]; then
  packages+=(python3 openssl util-linux passwd openssh-server openssh-client socat fish zsh bash-completion
    rpm rpmlint lintian dpkg-dev file clang-14 libclang-rt-14-dev time tmux man-db ccache)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q >/dev/null
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
for p in "${missing[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    echo "install-deps: $p did not install" >&2
    exit 1
  fi
done
