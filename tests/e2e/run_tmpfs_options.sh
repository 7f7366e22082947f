# --tmpfs PATH:size=,mode=,uid=,gid=,exec mounts a tmpfs with exactly those options, also when the
# API version is pinned to 1.41; an unknown option or a relative path is refused (exit 125, one
# line) before anything is created.
source "$(dirname "$0")/common.sh"

refused() { # FLAG: the run is refused with a one-line error and leaves nothing behind
  run_capture docker sandbox run --tmpfs "$1" "$IMAGE" true
  expect_eq "$rc" 125 "--tmpfs $1: exit code"
  expect_contains "$err" "$1" "--tmpfs $1: the error quotes the flag"
  expect_eq "$(printf '%s\n' "$err" | grep -vc '^hint: ')" 1 "--tmpfs $1: the error is one line ($err)"
  [ ! -e output ] || fail "--tmpfs $1: a refused run created the output directory"
  expect_no_leftovers
}
refused /x:bogus=1
refused x
refused relative/dir:size=1m
# The image has /bin (755): runc would give a tmpfs there mode 755, whatever mode= says.
refused /bin:mode=1777
expect_contains "$err" "the image has /bin with mode 755" "--tmpfs /bin:mode=1777 says why"

probe='
awk '\''$2 == "/cache" { print $3 " " $4 }'\'' /proc/mounts
stat -c "%a %u %g" /cache'
for pinned in "" "--api-version 1.41"; do
  # shellcheck disable=SC2086 # $pinned is empty or two words
  run_capture docker sandbox run $pinned --tmpfs /cache:size=64m,mode=700,uid=1234,gid=1234,exec "$IMAGE" sh -c "$probe"
  what="--tmpfs /cache ${pinned:-(negotiated API version)}"
  expect_eq "$rc" 0 "$what: exit code ($err)"
  mount_line=$(printf '%s\n' "$out" | sed -n 1p)
  options=${mount_line#tmpfs }
  expect_eq "$mount_line" "tmpfs $options" "$what: /cache is a tmpfs ($out)"
  for option in size=65536k mode=700 uid=1234 gid=1234; do
    case ",$options," in *",$option,"*) ;; *) fail "$what: $option missing from [$options]" ;; esac
  done
  case ",$options," in *,noexec,*) fail "$what: noexec despite exec: [$options]" ;; esac
  expect_eq "$(printf '%s\n' "$out" | sed -n 2p)" "700 1234 1234" "$what: mode and owner of /cache"
done
expect_no_leftovers
