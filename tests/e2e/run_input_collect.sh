# docker sandbox run --tenant T --run R --input HOST[:PATH] --collect PATH:HOSTDIR: the input
# arrives read-only at /inputs, /outputs is writable by the non-root sandbox user, the collected
# path comes back, and both volumes are gone afterwards, on success, failure and timeout;
# --keep-volumes keeps them and names them; --volume refuses another tenant's volume.
source "$(dirname "$0")/common.sh"

tenant="e2e$RANDOM"
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=$tenant | xargs -r docker volume rm -f >/dev/null"
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=other$tenant | xargs -r docker volume rm -f >/dev/null"

volumes_of() { docker volume ls -q --filter "label=docker-sandbox.tenant=$1"; }

mkdir -p "$TEST_DIR/in/sub"
echo "hello input" >"$TEST_DIR/in/sub/a.txt"
head -c 100000 /dev/urandom >"$TEST_DIR/in/b.bin"

run_capture docker sandbox run --tenant "$tenant" --run job1 --input "$TEST_DIR/in" --collect "/outputs/result:$TEST_DIR/got" \
  "$IMAGE" sh -c 'id -u; grep -E " /(inputs|outputs) " /proc/mounts | cut -d" " -f2,4 | cut -d, -f1 | sort
    cat /inputs/sub/a.txt; md5sum </inputs/b.bin
    touch /inputs/x 2>/dev/null && echo inputs-writable
    mkdir /outputs/result && cp /inputs/b.bin /outputs/result/ && echo "$(id -u) wrote this" >/outputs/result/note.txt'
expect_eq "$rc" 0 "run ($err)"
expect_eq "$out" "$(printf '65534\n/inputs ro\n/outputs rw\nhello input\n%s  -' "$(md5sum <"$TEST_DIR/in/b.bin" | cut -d' ' -f1)")" "what the sandbox saw"
cmp "$TEST_DIR/in/b.bin" "$TEST_DIR/got/b.bin" || fail "collected file differs"
expect_eq "$(cat "$TEST_DIR/got/note.txt")" "65534 wrote this" "collected note"
expect_eq "$(volumes_of "$tenant")" "" "volumes removed after success"

# A failing command still has its output collected, then everything is removed.
run_capture docker sandbox run --tenant "$tenant" --input "$TEST_DIR/in/sub/a.txt:/in" --collect "/outputs:$TEST_DIR/fail" \
  "$IMAGE" sh -c 'cat /in/a.txt >/outputs/copy; exit 3'
expect_eq "$rc" 3 "exit code of the command ($err)"
expect_eq "$(cat "$TEST_DIR/fail/copy")" "hello input" "collected after a failure"
expect_eq "$(volumes_of "$tenant")" "" "volumes removed after a failure"

# Timeout: 124, and nothing left.
run_capture docker sandbox run --tenant "$tenant" --timeout 1s --input "$TEST_DIR/in" --collect "/outputs:$TEST_DIR/late" \
  "$IMAGE" sh -c 'echo early >/outputs/e; sleep 30'
expect_eq "$rc" 124 "timeout ($err)"
expect_eq "$(volumes_of "$tenant")" "" "volumes removed after a timeout"

# Nothing to collect: the run's success turns into the plugin's failure.
run_capture docker sandbox run --tenant "$tenant" --collect "/outputs/none:$TEST_DIR/none" "$IMAGE" true
expect_eq "$rc" 125 "missing collect path"
expect_contains "$err" "the sandbox left nothing there" "why"
# Its output volume is kept and named, for `volume get`; the user removes it.
missed=$(printf '%s\n' "$err" | sed -n 's/^docker sandbox: run: kept volume //p')
expect_eq "$(printf '%s\n' "$missed" | grep -c -- '-out$')" 1 "the output volume of a failed collect is kept ($err)"
docker volume rm $missed > /dev/null

# --keep-volumes names what it kept; they carry the tenant and run labels.
run_capture docker sandbox run --tenant "$tenant" --run keep1 --keep-volumes --input "$TEST_DIR/in" --collect "/outputs:$TEST_DIR/k" "$IMAGE" true
expect_eq "$rc" 0 "keep-volumes run ($err)"
expect_eq "$(printf '%s\n' "$err" | grep -c 'kept volume tenant-'"$tenant"'-run-keep1-')" 2 "both volumes named"
expect_eq "$(docker sandbox volume ls -q --tenant "$tenant" --run keep1 | wc -l)" 2 "kept volumes listed"
kept_input=$(docker sandbox volume ls -q --tenant "$tenant" --run keep1 | grep -- -in0)
fixtures_made

# --volume: the tenant's own volume mounts, another tenant's is refused before anything runs.
run_capture docker sandbox run --tenant "$tenant" --volume "$kept_input:/data:ro" --workspace none --output none "$IMAGE" cat /data/sub/a.txt
expect_eq "$out" "hello input" "own tenant's volume"
run_capture docker sandbox run --tenant "other$tenant" --volume "$kept_input:/data" --workspace none --output none "$IMAGE" true
expect_eq "$rc" 125 "another tenant's volume refused"
expect_contains "$err" "belongs to tenant $tenant, not to tenant other$tenant" "why"
run_capture docker sandbox run --volume "$kept_input:/data" --workspace none --output none "$IMAGE" true
expect_eq "$rc" 125 "a tenant's volume refused without --tenant"
run_capture docker sandbox run --tenant "other$tenant" --input "$TEST_DIR/in" --volume "$kept_input:/data" "$IMAGE" true
expect_eq "$rc" 125 "refused with --input too"
expect_eq "$(volumes_of "other$tenant")" "" "a refused run created no volume"

# Bad flags: refused before anything is created.
for args in "--input $TEST_DIR/in $IMAGE true" "--tenant $tenant --input $TEST_DIR/nope $IMAGE true" \
  "--tenant $tenant --collect /tmp/x:$TEST_DIR/c $IMAGE true" "--tenant $tenant --collect /outputs:$TEST_DIR/in $IMAGE true" \
  "--tenant $tenant --input $TEST_DIR/in:/inputs/../etc $IMAGE true" "--tenant $tenant --volume /host:/data $IMAGE true" \
  "--tenant $tenant --input $TEST_DIR/in:/data --volume $kept_input:/data $IMAGE true"; do
  run_capture docker sandbox run $args
  expect_eq "$rc" 125 "run $args"
  expect_eq "$(printf '%s\n' "$err" | grep -c '^docker sandbox: run: ')" 1 "run $args: one error line ($err)"
done
expect_eq "$(docker sandbox volume ls -q --tenant "$tenant")" "$(docker sandbox volume ls -q --tenant "$tenant" --run keep1)" "no new volume"
expect_eq "$(docker ps -aq --filter label=docker-sandbox.role=volume-transfer)" "" "no helper container left"
expect_no_leftovers
