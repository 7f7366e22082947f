# The sandbox has no network by default (only lo); --network bridge gives it eth0; --network host
# works but warns on stderr that the host's network stack is shared.
source "$(dirname "$0")/common.sh"

run_capture docker sandbox run "$IMAGE" ls /sys/class/net
expect_eq "$rc" 0 "default network exit code ($err)"
expect_eq "$out" "lo" "interfaces with the default network"

run_capture docker sandbox run --network bridge "$IMAGE" ls /sys/class/net
expect_eq "$rc" 0 "--network bridge exit code ($err)"
expect_eq "$out" "$(printf 'eth0\nlo')" "interfaces with --network bridge"

run_capture docker sandbox run --network host "$IMAGE" ls /sys/class/net
expect_eq "$rc" 0 "--network host exit code ($err)"
inside=" $(printf '%s\n' "$out" | tr '\n' ' ')"
for path in /sys/class/net/*; do
  iface=${path##*/}
  case "$iface" in veth*) continue ;; esac # come and go with other containers
  expect_contains "$inside" " $iface " "--network host sees the host's interface $iface"
done
expect_contains "$err" "warning" "--network host warns"
expect_contains "$err" "--network host" "the warning names the flag"
expect_no_leftovers
