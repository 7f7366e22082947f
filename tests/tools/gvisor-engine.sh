#!/usr/bin/env bash
# A private dockerd with gVisor: trixie's dockerd 26.1 and runsc in a chroot of their own, with
# runsc registered as a runtime in that dockerd's own daemon.json (never the host's). Its name,
# chroot, socket and data are apart from chroot-engine.sh's plain sid engine, so both can run.
#   bash tests/tools/gvisor-engine.sh start|stop|version   as chroot-engine.sh
# Then: DOCKER_HOST=unix://$(bash tests/tools/gvisor-engine.sh start) docker sandbox run --isolation gvisor ...
# trixie, not sid: sid's runsc (0.0~20240729.0-7+b1) is built with Go 1.26, whose goroutines
# gVisor's sentry no longer recognises: it panics ("running on goroutine ... task goroutine ...
# is 0") in about one run in twenty, and in every run with a few sleeps at once (exit 2, no
# output). trixie's (-4+b7, Go 1.24) runs them all.
set -euo pipefail
export SANDBOX_CHROOT_SUITE=${SANDBOX_CHROOT_SUITE:-trixie}
SANDBOX_CHROOT_FLAVOR=gvisor exec bash "$(dirname "$0")/chroot-engine.sh" "$@"
