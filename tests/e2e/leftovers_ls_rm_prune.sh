# `docker sandbox ls`, `rm` and `prune` see only managed containers: a --keep container is
# listed (table, json, -q) and removed; prune removes stopped ones and the orphan of a plugin
# killed with SIGKILL, never a container still owned by a live plugin, and never one that is not
# ours; --until spares younger ones; --dry-run removes nothing.
source "$(dirname "$0")/common.sh"

foreign=$(docker create --label docker-sandbox.managed=false "$IMAGE" true)
on_exit "docker rm -f $foreign >/dev/null"

docker sandbox run --keep --name sbx-e2e-kept --tenant acme "$IMAGE" true
run_capture docker sandbox ls
expect_contains "$out" "sbx-e2e-kept" "ls shows the kept container"
expect_contains "$out" "acme" "ls shows its tenant"
case "$out" in *"${foreign:0:12}"*) fail "ls listed a container that is not ours" ;; esac
run_capture docker sandbox ls --format json
python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(line) for line in sys.argv[1].splitlines()]
assert [r["Names"] for r in rows] == ["sbx-e2e-kept"], rows
assert rows[0]["Tenant"] == "acme" and rows[0]["State"] == "exited", rows
assert "docker-sandbox.tenant=acme" in rows[0]["Labels"].split(","), rows
PY
# docker ps's fields read the same on our ls.
for format in '{{.ID}} {{.Names}} {{.Image}} {{.State}} {{.CreatedAt}}' '{{.Command}} {{.Label "docker-sandbox.tenant"}}'; do
  run_capture docker sandbox ls --format "$format"
  expect_eq "$out" "$(docker ps -a --filter name=sbx-e2e-kept --format "$format")" "ls --format $format"
done
run_capture docker sandbox ls -a --no-trunc -q
expect_eq "$out" "$(docker inspect --format '{{.Id}}' sbx-e2e-kept)" "ls -a --no-trunc -q: the full id"
run_capture docker sandbox ls -q --filter status=running
expect_eq "$out" "" "--filter status=running leaves out the exited container"
run_capture docker sandbox ls -q --filter status=exited --filter tenant=acme --filter label=docker-sandbox.tenant=acme
expect_eq "$out" "$(docker inspect --format '{{.Id}}' sbx-e2e-kept | cut -c1-12)" "--filter status=exited, tenant and label keep it"
kept_id=$(docker sandbox ls -q)
expect_eq "$kept_id" "$(docker inspect --format '{{.Id}}' sbx-e2e-kept | cut -c1-12)" "ls -q prints the short id"

run_capture docker sandbox rm "$foreign"
expect_eq "$rc" 1 "rm refuses a container that is not ours"
expect_contains "$err" "is not a docker-sandbox container" "rm says why"
docker inspect "$foreign" >/dev/null || fail "rm removed a foreign container"

run_capture docker sandbox rm sbx-e2e-kept
expect_eq "$rc" 0 "rm of a managed container"
[ -z "$(new_containers)" ] || fail "rm left the container"

# A live plugin's running container is never pruned; its orphan is, once the plugin is killed.
docker sandbox run --keep --name sbx-e2e-stopped "$IMAGE" true
"$SANDBOX_BINARY" run --name sbx-e2e-live "$IMAGE" sleep 300 >/dev/null 2>&1 &
plugin_pid=$!
on_exit "kill -9 $plugin_pid 2>/dev/null"
for _ in $(seq 1 100); do
  [ "$(docker inspect --format '{{.State.Running}}' sbx-e2e-live 2>/dev/null)" = true ] && break
  sleep 0.1
done

run_capture docker sandbox prune --force --dry-run
expect_contains "$out" "DELETE" "dry run shows the removal"
docker inspect sbx-e2e-stopped >/dev/null || fail "prune --dry-run removed something"

run_capture docker sandbox prune --force --until 1h
expect_eq "$out" "nothing to prune" "--until spares young containers"

run_capture docker sandbox prune
expect_eq "$rc" 125 "prune without a terminal needs --force"

run_capture docker sandbox prune --force
expect_contains "$out" "sbx-e2e-stopped" "prune removes the stopped container"
docker inspect sbx-e2e-live >/dev/null || fail "prune removed a container a live plugin owns"

kill -9 "$plugin_pid"
wait "$plugin_pid" 2>/dev/null || true
run_capture docker sandbox prune --force
expect_contains "$out" "sbx-e2e-live" "prune removes the orphan of a killed plugin"
docker inspect "$foreign" >/dev/null || fail "prune removed a foreign container"
expect_no_leftovers
