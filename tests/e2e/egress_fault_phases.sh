# The fault matrix's egress phases: SIGINT, SIGTERM and plugin-socket EOF at each phase of
# `run --allow-host` (see fault_phase_matrix.sh for the modes): with the internal network made and
# no proxy yet, the proxy created, connected, started, its address read, the sandbox running, and
# its log about to be read. Every case asserts the exit code, the last line on stderr, and that no
# container and no network of ours is left.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/lib/inject.sh"
[ "${SANDBOX_FAILPOINTS:-}" = ON ] || skip "built without -DSANDBOX_FAILPOINTS=ON"

networks_before=$(docker network ls -q --filter label=docker-sandbox.managed=true | sort)
expect_nothing_left() {
  expect_no_leftovers
  expect_eq "$(docker network ls -q --filter label=docker-sandbox.managed=true | sort)" "$networks_before" "$1: networks left"
}
# The sandbox, not the proxy that runs before it.
sandbox_running() {
  docker ps --filter label=docker-sandbox.managed=true --filter status=running --format '[{{.Label "docker-sandbox.role"}}]' |
    grep -qx '\[\]'
}

mkdir project && cd project
for mode in int term eof; do
  for phase in before-egress-proxy before-egress-connect before-egress-start before-egress-inspect before-create attached \
    before-egress-log; do
    command='sleep 60'
    [ "$phase" = before-egress-log ] && command=true
    inject "$phase" "$mode" "$(line_for run "$mode")" docker sandbox run --allow-host example.test "$IMAGE" sh -c "$command"
  done
done
echo "egress_fault_phases: $injected faults injected, $injected survived (right exit code and message, nothing left)"
