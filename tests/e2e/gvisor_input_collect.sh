# --isolation gvisor with --input and --collect: the input arrives read-only, the non-root sandbox
# writes the output volume, the collected path comes back, and both volumes are removed.
source "$(dirname "$0")/common.sh"
need_gvisor

tenant="e2e$RANDOM"
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=$tenant | xargs -r docker volume rm -f >/dev/null"
mkdir -p in/sub
echo "hello input" >in/sub/a.txt
run_capture docker sandbox run --isolation gvisor --tenant "$tenant" --input "$TEST_DIR/in" --collect "/outputs/r:$TEST_DIR/got" \
  "$IMAGE" sh -c 'id -u; cat /inputs/sub/a.txt; touch /inputs/x 2>/dev/null && echo inputs=writable
    mkdir /outputs/r && cp /inputs/sub/a.txt /outputs/r/ && echo "$(id -u) wrote this" >/outputs/r/note.txt'
expect_eq "$rc" 0 "run ($err)"
expect_eq "$out" "$(printf '65534\nhello input')" "what the sandbox saw"
expect_eq "$(cat got/a.txt)" "hello input" "collected input copy"
expect_eq "$(cat got/note.txt)" "65534 wrote this" "collected note"
expect_eq "$(docker volume ls -q --filter "label=docker-sandbox.tenant=$tenant")" "" "volumes removed"
expect_no_leftovers
