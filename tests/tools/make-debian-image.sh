#!/usr/bin/env bash
# Imports a real Debian image with python3, pip, node and npm, built from Debian's packages
# (mmdebstrap; no registry needed), for the e2e tests of everyday tools (npm ci, pip install):
#   bash tests/tools/make-debian-image.sh [TAG]     (default docker-sandbox-debian:latest)
# Does nothing when the tag exists. The rootfs tarball is cached in /var/cache/docker-sandbox,
# keyed by what goes into it, so another engine (or a fresh data root) imports it in seconds;
# a cold build takes about two minutes.
set -euo pipefail
tag=${1:-docker-sandbox-debian:latest}
docker=${DOCKER:-docker}
suite=bookworm
packages=python3,python3-pip,nodejs,npm,git,ca-certificates
version=1 # bump to force a rebuild when the way the image is built changes
cache=/var/cache/docker-sandbox

die() { echo "make-debian-image: $*" >&2; exit 1; }

if "$docker" image inspect "$tag" >/dev/null 2>&1; then
  exit 0
fi
key=$(printf '%s\n' "$suite" "$packages" "$version" | sha256sum | cut -c1-12)
tarball=$cache/debian-$suite-$key.tar
if [ ! -s "$tarball" ]; then
  command -v mmdebstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y mmdebstrap >&2
  mkdir -p "$cache"
  # Leftovers of killed builds; a younger one may be another pass's build in progress.
  find "$cache" -maxdepth 1 -name '.debian-*.tar' -mmin +30 -delete
  tmp=$(mktemp "$cache/.debian-XXXXXX.tar")
  echo "make-debian-image: building $tarball (about two minutes)" >&2
  # Own mount namespace: a killed build must not leave /proc or /dev mounted on the host.
  if ! unshare --mount --propagation private mmdebstrap --variant=minbase --include="$packages" \
    "$suite" "$tmp" >&2; then
    rm -f "$tmp"
    die "mmdebstrap failed"
  fi
  mv -f "$tmp" "$tarball"
fi
"$docker" import --change 'CMD ["/bin/bash"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  "$tarball" "$tag" >/dev/null
echo "make-debian-image: imported $tag"
