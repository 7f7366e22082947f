# 20 concurrent runs with --tenant/--input/--collect on this machine, each its own tenant: every
# run succeeds, each collects exactly its own tenant's input (never another's), and no container
# or volume of any of the tenants is left. tests/bench/load_runs.sh prints the same load's figures.
source "$(dirname "$0")/common.sh"

n=20
prefix="load$$"
on_exit "docker ps -aq --filter label=docker-sandbox.managed=true | xargs -r docker rm -f >/dev/null"
for i in $(seq 1 "$n"); do
  mkdir -p "$TEST_DIR/in$i"
  echo "tenant $i secret $RANDOM$RANDOM" >"$TEST_DIR/in$i/secret"
done
pids=()
for i in $(seq 1 "$n"); do
  docker sandbox run --tenant "$prefix-$i" --run r --input "$TEST_DIR/in$i" --collect "/outputs:$TEST_DIR/out$i" \
    --output none "$IMAGE" sh -c 'cat /inputs/secret >/outputs/echo; ls /inputs >/outputs/listing' \
    >"$TEST_DIR/log$i" 2>&1 &
  pids+=($!)
done
for i in $(seq 1 "$n"); do
  code=0
  wait "${pids[$((i - 1))]}" || code=$?
  expect_eq "$code" 0 "run $i exit code ($(cat "$TEST_DIR/log$i"))"
done
for i in $(seq 1 "$n"); do
  expect_eq "$(cat "$TEST_DIR/out$i/echo")" "$(cat "$TEST_DIR/in$i/secret")" "run $i collected its own tenant's input"
  expect_eq "$(cat "$TEST_DIR/out$i/listing")" secret "run $i saw only its own input"
done
left_volumes=$(docker volume ls -q --filter label=docker-sandbox.managed=true | grep -c "^tenant-$prefix-" || true)
expect_eq "$left_volumes" 0 "volumes of the load's tenants left"
for i in $(seq 1 "$n"); do
  expect_eq "$(docker ps -aq --filter "label=docker-sandbox.tenant=$prefix-$i")" "" "containers of tenant $prefix-$i left"
done
echo "load_concurrent_runs: $n concurrent runs, each collected its own input, nothing left"
