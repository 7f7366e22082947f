# Runs that share ./output never disturb each other: 8 concurrent root runs in one project each
# write into a directory of their own (staged under the Docker config dir) and deliver it when they end, so
# every result arrives, owned by the invoker, and ./output stays the invoker's. A run killed with
# SIGKILL leaves its sandbox's output staged; `docker sandbox prune` in the project delivers it.
source "$(dirname "$0")/common.sh"

mkdir project
cd project
pids=()
for i in $(seq 1 8); do
  docker sandbox run "$IMAGE" sh -c "mkdir /workspace/output/run-$i; for n in \$(seq 1 50); do echo \$n > /workspace/output/run-$i/f\$n; done; echo $i > /workspace/output/shared" \
    > "$TEST_DIR/out-$i" 2>&1 &
  pids+=($!)
done
for i in $(seq 1 8); do
  code=0
  wait "${pids[$((i - 1))]}" || code=$?
  expect_eq "$code" 0 "concurrent run $i ($(cat "$TEST_DIR/out-$i"))"
done
for i in $(seq 1 8); do
  expect_eq "$(ls output/run-$i | wc -l)" 50 "run $i: every file arrived"
  expect_eq "$(cat output/run-$i/f50)" 50 "run $i: contents intact"
done
case "$(cat output/shared)" in [1-8]) ;; *) fail "output/shared holds $(cat output/shared)" ;; esac
expect_eq "$(stat -c %u output)" "$(id -u)" "./output still belongs to the invoker"
[ -z "$(find output -not -user "$(id -u)")" ] || fail "files not handed back: $(find output -not -user "$(id -u)" | head -3)"
expect_no_stage_dirs
echo "8 concurrent runs: 400 files delivered into one ./output"

# Killed while its sandbox runs: the output stays staged until prune delivers it.
docker sandbox run "$IMAGE" sh -c 'echo before the kill > /workspace/output/killed; sleep 300' > /dev/null 2>&1 &
victim=$!
for _ in $(seq 1 300); do
  ls "$DOCKER_CONFIG"/sandbox/stages/.docker-sandbox-*-output/output/killed > /dev/null 2>&1 && break
  sleep 0.1
done
ls "$DOCKER_CONFIG"/sandbox/stages/.docker-sandbox-*-output/output/killed > /dev/null 2>&1 || fail "the sandbox never wrote its file"
core=$(pgrep -P "$victim" || true) # the plugin is the docker CLI's child
[ -n "$core" ] || fail "no plugin process found"
kill -KILL $core
wait "$victim" 2> /dev/null || true
[ ! -e output/killed ] || fail "the killed run delivered without a repair"
run_capture docker sandbox prune -f
expect_eq "$rc" 0 "prune ($err)"
expect_contains "$out" "delivered into $TEST_DIR/project/output" "prune says what it delivered"
expect_eq "$(cat output/killed)" "before the kill" "the killed run's output arrived"
expect_eq "$(stat -c %u output/killed)" "$(id -u)" "and belongs to the invoker"
expect_no_stage_dirs
expect_no_leftovers
