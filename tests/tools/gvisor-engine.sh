#!/usr/bin/env bash
# A private dockerd with gVisor: sid's dockerd and Debian's runsc in a chroot of their own, with
# runsc registered as a runtime in that dockerd's own daemon.json (never the host's). Its name,
# chroot, socket and data are apart from chroot-engine.sh's plain sid engine, so both can run.
#   bash tests/tools/gvisor-engine.sh start|stop|version   as chroot-engine.sh
# Then: DOCKER_HOST=unix://$(bash tests/tools/gvisor-engine.sh start) docker sandbox run --isolation gvisor ...
set -euo pipefail
SANDBOX_CHROOT_FLAVOR=gvisor exec bash "$(dirname "$0")/chroot-engine.sh" "$@"
