#!/usr/bin/env bash
# Imports a tiny local image from Debian's busybox-static (no registry needed):
#   bash tests/tools/make-image.sh [TAG]        (default docker-sandbox-busybox:latest)
# Does nothing when the tag already exists.
set -euo pipefail
tag=${1:-docker-sandbox-busybox:latest}
docker=${DOCKER:-docker}

if "$docker" image inspect "$tag" >/dev/null 2>&1; then
  exit 0
fi
busybox=/bin/busybox
if ! [ -x "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
  echo "make-image: $busybox is not the static busybox (apt-get install busybox-static)" >&2
  exit 1
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,etc,tmp,proc,sys,dev,workspace}
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
tar -C "$root" --owner=0 --group=0 --numeric-owner -c . | "$docker" import \
  --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' \
  - "$tag" >/dev/null
echo "make-image: imported $tag"
