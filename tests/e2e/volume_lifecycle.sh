# docker sandbox volume create/ls/inspect/rm/prune: 20 parallel creations for one tenant and run
# never collide; an existing name is refused (the engine would silently reuse it); ls filters by
# tenant and run; only managed volumes are touched; a volume in use is refused, naming the
# container; prune leaves unmanaged, in-use and younger-than---until volumes alone.
source "$(dirname "$0")/common.sh"

tenant="e2e$RANDOM"
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=$tenant | xargs -r docker volume rm -f >/dev/null"
on_exit "docker volume rm -f sbx-e2e-plain >/dev/null"
on_exit "docker rm -f sbx-e2e-user >/dev/null"

for i in $(seq 1 20); do
  docker sandbox volume create --tenant "$tenant" --run r1 >"$TEST_DIR/create.$i" 2>&1 &
done
wait
names=$(cat "$TEST_DIR"/create.* | sort)
expect_eq "$(printf '%s\n' "$names" | grep -c "^tenant-$tenant-run-r1-")" 20 "20 volumes created ($names)"
expect_eq "$(printf '%s\n' "$names" | uniq | wc -l)" 20 "no two parallel creations got the same name"
expect_eq "$(docker sandbox volume ls -q --tenant "$tenant" --run r1 | wc -l)" 20 "ls --tenant --run"

docker sandbox volume create --tenant "$tenant" --run r2 --label purpose=inputs "sbx-e2e-$tenant-named" >/dev/null
run_capture docker sandbox volume create --tenant "$tenant" "sbx-e2e-$tenant-named"
expect_eq "$rc" 1 "an existing name is refused"
expect_contains "$err" "already exists" "why"
run_capture docker sandbox volume inspect "sbx-e2e-$tenant-named"
python3 - "$out" "$tenant" <<'PY'
import json, sys
v = json.loads(sys.argv[1])[0]
labels = v["Labels"]
assert labels["docker-sandbox.managed"] == "true" and labels["docker-sandbox.tenant"] == sys.argv[2], labels
assert labels["docker-sandbox.run"] == "r2" and labels["purpose"] == "inputs" and labels["docker-sandbox.created"], labels
PY
expect_eq "$(docker sandbox volume ls -q --tenant "$tenant" --run r2)" "sbx-e2e-$tenant-named" "ls --run r2"

for bad in "a/b" "" "$(printf 'x\ny')" "$(head -c 64 /dev/zero | tr '\0' a)"; do
  run_capture docker sandbox volume create --tenant "$bad"
  expect_eq "$rc" 125 "tenant [$bad] refused"
done
run_capture docker sandbox volume create --tenant "$tenant" --label docker-sandbox.managed=false x-y
expect_eq "$rc" 125 "reserved label prefix refused"
[ -z "$(docker volume ls -q --filter name=x-y)" ] || fail "a refused create left a volume"

docker volume create --label docker-sandbox.tenant="$tenant" sbx-e2e-plain >/dev/null
run_capture docker sandbox volume rm sbx-e2e-plain
expect_eq "$rc" 1 "rm refuses an unmanaged volume"
expect_contains "$err" "not a docker-sandbox volume" "why"

in_use=$(docker sandbox volume ls -q --tenant "$tenant" --run r1 | head -n 1)
docker create --name sbx-e2e-user -v "$in_use:/data" "$IMAGE" true >/dev/null
run_capture docker sandbox volume rm "$in_use"
expect_eq "$rc" 1 "rm refuses a volume in use"
expect_contains "$err" "in use by container sbx-e2e-user" "the container is named"

run_capture docker sandbox volume prune --tenant "$tenant" --force --until 1h
expect_eq "$out" "nothing to prune" "--until spares young volumes"
run_capture docker sandbox volume prune --tenant "$tenant" --dry-run
expect_contains "$out" "DELETE /v1." "dry run shows the removals"
expect_eq "$(docker sandbox volume ls -q --tenant "$tenant" | wc -l)" 21 "dry run removed nothing"

run_capture docker sandbox volume prune --tenant "$tenant" --force
expect_eq "$rc" 0 "prune ($err)"
expect_eq "$(printf '%s\n' "$out" | wc -l)" 20 "prune removed the 20 unused managed volumes"
expect_eq "$(docker sandbox volume ls -q --tenant "$tenant")" "$in_use" "the volume in use survived"
docker volume inspect sbx-e2e-plain >/dev/null || fail "prune removed an unmanaged volume"

docker rm -f sbx-e2e-user >/dev/null
run_capture docker sandbox volume rm "$in_use"
expect_eq "$rc" 0 "rm once unused ($err)"
expect_eq "$(docker sandbox volume ls -q --tenant "$tenant")" "" "all gone"
