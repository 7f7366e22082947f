# --exclude node_modules lays an executable tmpfs over that workspace directory, writable by the
# default (non-root) sandbox user, whether or not the directory exists on the host: a copied binary
# runs from it and nothing written there reaches the host (a mount point made for the run is
# removed afterwards). A path outside the workspace is refused.
source "$(dirname "$0")/common.sh"

# Named busybox: the multi-call binary picks its applet from its own name.
probe='
awk '\''$2 == "/workspace/node_modules" { print $3 " " $4 }'\'' /proc/mounts
id -u
ls node_modules
cp /bin/busybox node_modules/busybox && ./node_modules/busybox echo native-ok
echo data > node_modules/written.txt && echo write=ok'
check_run() { # WHAT: checks $out/$rc/$err of the probe
  expect_eq "$rc" 0 "$1: exit code ($err)"
  local mount_line options
  mount_line=$(printf '%s\n' "$out" | sed -n 1p)
  options=${mount_line#tmpfs }
  expect_eq "$mount_line" "tmpfs $options" "$1: /workspace/node_modules is a tmpfs ($out)"
  case ",$options," in *,noexec,*) fail "$1: the excluded directory is noexec: $options" ;; esac
  expect_eq "$(printf '%s\n' "$out" | sed -n '2,$p')" "$(printf '65534\nnative-ok\nwrite=ok')" "$1: from inside"
  if [ "$2" = "<gone>" ]; then
    [ ! -e node_modules ] || fail "$1: the mount point made for the run was left on the host: $(ls -A node_modules)"
  else
    expect_eq "$(ls -A node_modules)" "$2" "$1: node_modules on the host afterwards"
  fi
}

# The directory does not exist on the host yet: it is made as a mount point, and removed again.
run_capture docker sandbox run --exclude node_modules "$IMAGE" sh -c "$probe"
check_run "new node_modules" "<gone>"

# It exists (root-owned, 755) with a file in it: hidden inside, untouched outside.
mkdir node_modules
echo host-only > node_modules/host.txt
run_capture docker sandbox run --exclude node_modules/ "$IMAGE" sh -c "$probe"
check_run "existing node_modules" "host.txt"
expect_eq "$(cat node_modules/host.txt)" "host-only" "existing node_modules: host file kept"

run_capture docker sandbox run --exclude ../x "$IMAGE" true
expect_eq "$rc" 125 "--exclude ../x exit code"
expect_contains "$err" "../x" "--exclude ../x is named"
expect_no_leftovers
