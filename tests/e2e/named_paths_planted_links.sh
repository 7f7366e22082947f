# Paths the user names inside the project are resolved beneath it without following a link the
# project planted: --output, --workspace, --input, --collect, and volume put/get. Each is refused in
# one line, and the directory outside that the link points to is left exactly as it was (owner,
# mode, contents). A path outside the project is taken as typed.
source "$(dirname "$0")/common.sh"

outside="$TEST_DIR/outside"
mkdir -p "$outside/victim" "$outside/host"
printf 'host secret\n' > "$outside/host/secret.txt"
chmod 600 "$outside/host/secret.txt"
state() { find "$outside" -printf '%p %u %m %s\n' | sort; }
before=$(state)

mkdir -p project/repo
cd project
ln -s "$outside" lnk
ln -s "$outside/host" repo/src
ln -s "$outside" results

refused() { # WHAT EXPECTED-RC CMD...
  local what=$1 code=$2
  shift 2
  run_capture docker sandbox "$@"
  expect_eq "$rc" "$code" "$what: exit code ($err)"
  expect_contains "$err" "is a symbolic link" "$what: the link is named"
  expect_eq "$(printf '%s\n' "$err" | grep -v '^hint: ' | grep -vc 'warning:')" 1 "$what: one line ($err)"
  expect_eq "$(state)" "$before" "$what: the outside directory is untouched"
  expect_no_leftovers
}

refused "--output through a link" 125 run --output lnk/victim "$IMAGE" touch /workspace/output/planted
refused "--workspace through a link" 125 run --workspace ./repo/src --output none "$IMAGE" cat /workspace/secret.txt
tenant=links$$
refused "--input through a link" 125 run --tenant "$tenant" --input ./repo/src "$IMAGE" cat /inputs/secret.txt
refused "--collect into a link" 125 run --tenant "$tenant" --collect /outputs:./lnk/collected "$IMAGE" true

volume=$(docker sandbox volume create --tenant "$tenant")
on_exit "docker volume rm -f $volume >/dev/null 2>&1"
fixtures_made
printf 'data\n' > ../plain.txt
docker sandbox volume put --quiet "$volume" ../plain.txt
refused "volume get into a link" 125 volume get "$volume" plain.txt ./results
refused "volume put through a link" 125 volume put "$volume" ./repo/src/.

# Outside the project, a path is taken as typed (here: through the link's real target).
run_capture docker sandbox volume get --quiet "$volume" plain.txt "$outside/victim"
expect_eq "$rc" 0 "volume get to a path outside the project ($err)"
expect_eq "$(cat "$outside/victim/plain.txt")" data "it arrived where the user said"
docker volume rm "$volume" > /dev/null
expect_no_leftovers
