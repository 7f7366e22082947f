# A detached sandbox's --ttl holds with no plugin running: its own init stops it at the deadline in
# its label (never before), and the next invocation (here ls) removes it and its init's volume; prune
# removes an expired one too, and leaves a stopped one whose --ttl has not passed. --ttl 0 warns.
source "$(dirname "$0")/common.sh"

run_capture docker sandbox run -d --ttl 3s "$IMAGE" sleep 1000
expect_eq "$rc" 0 "run -d"
name=$out
expect_contains "$name" "docker-sandbox-" "run -d prints the sandbox's name"
on_exit "docker rm -f $name >/dev/null 2>&1"
[ "$(docker inspect --format '{{.State.Status}}' "$name")" = running ] || fail "the sandbox runs once run -d returned"
expires=$(docker inspect --format '{{index .Config.Labels "docker-sandbox.expires"}}' "$name")
volume=$(docker volume ls -q --filter label=docker-sandbox.run="$(docker inspect --format '{{index .Config.Labels "docker-sandbox.run"}}' "$name")")
expect_contains "$volume" "-init" "the init's run volume"

# No plugin runs from here on: the engine's wait returns once the init has ended the sandbox.
expect_eq "$(docker wait "$name")" 143 "the init stops the command with SIGTERM"
finished=$(docker inspect --format '{{.State.FinishedAt}}' "$name")
python3 - "$finished" "$expires" <<'PY'
import datetime, sys
finished = datetime.datetime.fromisoformat(sys.argv[1][:26].rstrip("Z") + "+00:00")
assert finished.timestamp() >= int(sys.argv[2]), (sys.argv[1], sys.argv[2])
PY
expect_contains "$(docker logs "$name" 2>&1)" "time to live ended" "the sandbox's log says why it ended"
[ "$(docker volume ls -q --filter name="$volume")" = "$volume" ] || fail "the volume went before the sandbox"

run_capture docker sandbox ls --format '{{.Names}}'
expect_eq "$rc" 0 "ls"
expect_contains "$err" "removed $name: its sandbox's --ttl has passed" "ls says what it removed"
expect_contains "$err" "removed $volume" "and the init's volume with it"
case "$out" in *"$name"*) fail "ls still listed the expired sandbox" ;; esac
docker inspect "$name" >/dev/null 2>&1 && fail "the expired sandbox is still there"
[ -z "$(docker volume ls -q --filter name="$volume")" ] || fail "its volume is still there"

# Only the volumes it mounts go with it: another tenant's volume of the same --run label stays.
docker volume create --label docker-sandbox.managed=true --label docker-sandbox.run=shared-$$ \
  --label docker-sandbox.tenant=other --label docker-sandbox.owner="$(hostname):999999" \
  --label docker-sandbox.created=2026-01-01T00:00:00Z "sbx-e2e-other-$$" >/dev/null
on_exit "docker volume rm -f sbx-e2e-other-$$ >/dev/null 2>&1"
shared=$(docker sandbox run -d --tenant mine --run "shared-$$" --ttl 2s "$IMAGE" sleep 1000)
on_exit "docker rm -f $shared >/dev/null 2>&1"
docker wait "$shared" >/dev/null
run_capture docker sandbox ls
expect_contains "$err" "removed $shared" "the expired sandbox of the shared run label"
[ "$(docker volume ls -q --filter name="sbx-e2e-other-$$")" = "sbx-e2e-other-$$" ] || fail "another tenant's volume of the same run label was removed"
docker volume rm "sbx-e2e-other-$$" >/dev/null

# prune: the expired one goes, a stopped one within its --ttl stays. (Every invocation removes
# what has expired: from the start of the expired one's --ttl to prune, the engine alone is used.)
young=$(docker sandbox run -d --ttl 1h "$IMAGE" sleep 1000)
on_exit "docker rm -f $young >/dev/null 2>&1"
docker stop -t 1 "$young" >/dev/null
run_capture docker sandbox ls --format '{{.Names}} {{.TimeLeft}}'
expect_contains "$out" "$young 59 minutes" "ls shows the time left"
expired=$(docker sandbox run -d --ttl 2s "$IMAGE" sleep 1000)
on_exit "docker rm -f $expired >/dev/null 2>&1"
docker wait "$expired" >/dev/null
"$SANDBOX_BINARY" prune --force --dry-run >/dev/null
docker inspect "$expired" >/dev/null 2>&1 || fail "a dry run removed the sandbox"
run_capture "$SANDBOX_BINARY" prune --force
expect_eq "$rc" 0 "prune"
expect_contains "$out" "$expired" "prune removes the expired sandbox"
docker inspect "$expired" >/dev/null 2>&1 && fail "prune left the expired sandbox"
docker inspect "$young" >/dev/null 2>&1 || fail "prune removed a sandbox whose --ttl has not passed"

run_capture docker sandbox rm "$young"
expect_eq "$rc" 0 "rm of a stopped detached sandbox"
expect_contains "$out" "-init" "rm removes its run's volumes with it"

run_capture docker sandbox run -d --ttl 0 "$IMAGE" sleep 1000
expect_eq "$rc" 0 "run -d --ttl 0"
expect_contains "$err" "--ttl 0: this sandbox never ends by itself" "--ttl 0 warns"
forever=$out
on_exit "docker rm -f $forever >/dev/null 2>&1"
expect_contains "$(docker sandbox ls --format '{{.Names}} {{.TimeLeft}}')" "$forever never" "ls shows it never ends"
run_capture docker sandbox rm -f "$forever"
expect_eq "$rc" 0 "rm -f of a running detached sandbox"
expect_no_leftovers
