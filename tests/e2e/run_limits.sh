# Resource limits as the container's own cgroup shows them (v1 or v2): 512 pids and 2g of memory by
# default, changed by --pids-limit and --memory, a CPU quota from --cpus; pid 1 is an init process.
source "$(dirname "$0")/common.sh"

# Prints pids=, memory= and cpu=QUOTA PERIOD from the cgroup the sandbox runs in.
read_limits='
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  echo "pids=$(cat /sys/fs/cgroup/pids.max)"
  echo "memory=$(cat /sys/fs/cgroup/memory.max)"
  echo "cpu=$(cat /sys/fs/cgroup/cpu.max)"
else
  echo "pids=$(cat /sys/fs/cgroup/pids/pids.max)"
  echo "memory=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
  echo "cpu=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"
fi'
unlimited_cpu() {
  case "$1" in
    "cpu=-1 "* | "cpu=max "*) ;;
    *) fail "default CPU quota: expected none, got [$1]" ;;
  esac
}

run_capture docker sandbox run "$IMAGE" sh -c "$read_limits"
expect_eq "$rc" 0 "default limits exit code ($err)"
expect_eq "$(printf '%s\n' "$out" | sed -n 1,2p)" "$(printf 'pids=512\nmemory=2147483648')" "default pids and memory limits"
unlimited_cpu "$(printf '%s\n' "$out" | sed -n 3p)"

run_capture docker sandbox run --pids-limit 64 --memory 64m "$IMAGE" sh -c "$read_limits"
expect_eq "$rc" 0 "--pids-limit --memory exit code ($err)"
expect_eq "$(printf '%s\n' "$out" | sed -n 1,2p)" "$(printf 'pids=64\nmemory=67108864')" "--pids-limit 64 --memory 64m"

run_capture docker sandbox run --cpus 0.5 "$IMAGE" sh -c "$read_limits"
expect_eq "$rc" 0 "--cpus exit code ($err)"
expect_eq "$(printf '%s\n' "$out" | sed -n 3p)" "cpu=50000 100000" "--cpus 0.5 quota and period"

run_capture docker sandbox run "$IMAGE" sh -c 'echo "shell=$$"; tr "\0" " " < /proc/1/cmdline'
expect_eq "$rc" 0 "init probe exit code ($err)"
case "$out" in
  "shell=1"$'\n'*) fail "the command runs as pid 1, without an init process" ;;
esac
case "$(printf '%s\n' "$out" | sed -n 2p)" in
  *docker-init* | *tini* | /run/podman-init*) ;; # Docker's tini; Podman's catatonit, mounted there
  *) fail "pid 1 is not an init process: [$out]" ;;
esac
expect_no_leftovers
