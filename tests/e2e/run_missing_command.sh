# A command that cannot be run gets docker run's words and code, with or without the init process
# (tini would otherwise say "[FATAL tini (7)] exec ... failed" and exit with a code that the
# command itself could have exited with): 127 when it is not found, 126 when it is a directory or a
# file without an execute bit; nothing is started and no container is left. A command found along
# PATH, or through a symbolic link, runs; one that exits 127 itself is not taken for a missing one.
source "$(dirname "$0")/common.sh"

mkdir project
cd project
printf '#!/bin/sh\necho hi\n' >noexec.sh
chmod 644 noexec.sh
printf '#!/bin/sh\necho private\n' >private.sh
chmod 700 private.sh
ln -s /nowhere dangling
mkdir links
ln -s /bin/busybox links/true # busybox runs the applet its argv[0] names

# expect_refused WHAT CODE LINE [FLAG...] IMAGE CMD...: the run exits CODE and says only LINE.
expect_refused() {
  local what=$1 code=$2 line=$3
  shift 3
  for init in "" --no-init; do
    run_capture docker sandbox run $init --output none "$@"
    expect_eq "$rc" "$code" "$what ${init:-(init)}: exit code"
    expect_eq "$err" "docker sandbox: $line" "$what ${init:-(init)}: stderr"
    expect_eq "$out" "" "$what ${init:-(init)}: nothing ran"
  done
}

expect_refused "missing command" 127 'exec: "nosuch-sbx": executable file not found in $PATH' "$IMAGE" nosuch-sbx
expect_refused "missing path" 127 'exec: "/nosuch/x": stat /nosuch/x: no such file or directory' "$IMAGE" /nosuch/x
expect_refused "directory" 126 'exec: "/etc": is a directory: permission denied' "$IMAGE" /etc

# In the workspace (a host bind) the plugin looks itself, on the host, following no link.
expect_refused "missing relative path" 127 'exec: "./nosuch": stat ./nosuch: no such file or directory' "$IMAGE" ./nosuch
expect_refused "dangling link" 127 'exec: "./dangling": stat ./dangling: no such file or directory' "$IMAGE" ./dangling
expect_refused "file without execute bit" 126 'exec: "/workspace/noexec.sh": permission denied' "$IMAGE" /workspace/noexec.sh
expect_refused "relative file without execute bit" 126 'exec: "./noexec.sh": permission denied' "$IMAGE" ./noexec.sh

# Under a mount the plugin cannot look into (here a tmpfs) the lookup does not look: it happens in
# a container of the image without the sandbox's mounts, since an archive request on the sandbox
# would have the engine mount its binds on the host. The runtime says it: without the init, in
# runc's words (as docker run says them) with 127; with it, in the init's words.
for init in "" --no-init; do
  what="${init:-(init)}"
  run_capture docker sandbox run $init --output none --tmpfs /scratch:exec "$IMAGE" /scratch/nosuch
  expect_eq "$out" "" "under a tmpfs $what: nothing ran"
  if engine_is_podman; then # catatonit exits 1; without it, Podman's attach may fail first
    [ "$rc" -ne 0 ] || fail "under a tmpfs $what on Podman succeeded"
  else
    expect_eq "$rc" 127 "under a tmpfs $what: exit code"
  fi
  expect_contains "${err,,}" "no such file or directory" "under a tmpfs $what: the reason is said" # tini: "No such file"
done
# The user's own "--" is an argument, not the end of an init's options (Podman's init is named
# before it): bash -- ./script runs the script, whose execute bit does not matter then.
run_capture docker sandbox run --output none "$IMAGE" sh -- ./noexec.sh
expect_eq "$rc" 0 "sh -- ./noexec.sh ($err)"
expect_eq "$out" "hi" "sh -- ./noexec.sh runs the script"
# A command in a bind is not in the lookup container: it must be left to the runtime, and run.
mkdir -p tools && printf '#!/bin/sh\necho from-the-bind\n' >tools/run && chmod 755 tools/run
run_capture docker sandbox run --output none -v "$PWD/tools:/opt/tools" "$IMAGE" /opt/tools/run
expect_eq "$rc" 0 "a command in a bind ($err)"
expect_eq "$out" "from-the-bind" "a command in a bind runs"
expect_refused "--entrypoint" 127 'exec: "nosuch-entry": executable file not found in $PATH' --entrypoint nosuch-entry "$IMAGE" true

for init in "" --no-init; do
  what="${init:-(init)}"
  run_capture docker sandbox run $init --output none "$IMAGE" true
  expect_eq "$rc" 0 "found along PATH $what"
  run_capture docker sandbox run $init --output none "$IMAGE" /bin/true
  expect_eq "$rc" 0 "absolute path through a link $what"
  run_capture docker sandbox run $init --output none "$IMAGE" ./links/true
  expect_eq "$rc" 0 "relative link in the workspace $what"
  run_capture docker sandbox run $init --output none -e PATH=/nowhere:/workspace/links "$IMAGE" true
  expect_eq "$rc" 0 "found along --env PATH $what"
  run_capture docker sandbox run $init --output none -e PATH=/usr/bin "$IMAGE" true
  expect_eq "$rc" 127 "not along --env PATH $what"
  expect_eq "$err" 'docker sandbox: exec: "true": executable file not found in $PATH' "not along --env PATH $what: stderr"

  # The command's own 127 and 126 are its own: nothing is added.
  run_capture docker sandbox run $init --output none "$IMAGE" sh -c 'exit 127'
  expect_eq "$rc" 127 "a command exiting 127 $what"
  expect_eq "$err" "" "a command exiting 127 $what: stderr"
  run_capture docker sandbox run $init --output none "$IMAGE" sh -c 'echo "[FATAL tini (7)] exec x failed: No such file or directory" >&2; exit 126'
  expect_eq "$rc" 126 "a command exiting 126 $what"
  expect_eq "$err" "[FATAL tini (7)] exec x failed: No such file or directory" "a command exiting 126 $what: stderr"
done

# Execute bits for someone else: the stats cannot tell (they carry no owner), so the runtime says.
# Without an init, the engine's start error is said in runc's words, as docker run says them.
if [ "$(id -u)" = 0 ]; then
  run_capture docker sandbox run --output none "$IMAGE" /workspace/private.sh
  if engine_is_podman; then # its init (catatonit) exits 1 for any exec failure
    [ "$rc" -ne 0 ] || fail "a file only its owner may execute (init) ran on Podman"
  else
    expect_eq "$rc" 126 "a file only its owner may execute (init)"
  fi
  run_capture docker sandbox run --no-init --output none "$IMAGE" /workspace/private.sh
  if engine_is_podman; then
    # Podman fails the attach, not the start, with runc's words: said as they come, exit 125 (open).
    expect_eq "$rc" 125 "a file only its owner may execute (--no-init) on Podman"
    expect_contains "$err" "exec /workspace/private.sh: permission denied" "Podman's reason is said"
  else
    expect_eq "$rc" 126 "a file only its owner may execute (--no-init)"
    # runc's words: 1.1 (dockerd 20.10) and later runc (dockerd 28.5) differ, as docker run's do.
    case "$err" in
      'docker sandbox: exec /workspace/private.sh: permission denied') ;;
      'docker sandbox: exec: "/workspace/private.sh": permission denied') ;;
      *) fail "a file only its owner may execute: stderr: got [$err]" ;;
    esac
  fi
fi

expect_no_leftovers
