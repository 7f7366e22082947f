# --workspace-mode copy against the local engine, read from inside the sandbox: the workspace is a
# read-only copy in which each file keeps its owner and mode (a 0600 file of another user stays
# unreadable, as when bound); links stay links and lead nowhere on the host; excluded paths are
# empty scratch; the output is delivered into ./output, merged with what was there; nothing is
# created in the project and nothing is left behind.
source "$(dirname "$0")/common.sh"
kept_run=copykeep$$
on_exit "docker volume ls -q --filter label=docker-sandbox.run=$kept_run | xargs -r docker volume rm >/dev/null"

project=$TEST_DIR/project
mkdir -p "$project/src" "$project/node_modules/dep" "$project/output"
echo code >"$project/src/main.c"
echo secret >"$project/private.key"
chmod 600 "$project/private.key"
chown 4321:4321 "$project/src/main.c"
echo big >"$project/node_modules/dep/index.js"
echo host-only >"$TEST_DIR/host-only"
ln -s "$TEST_DIR/host-only" "$project/host-link"
echo previous >"$project/output/old.txt"
cd "$project"

run_capture docker sandbox run --workspace-mode copy --exclude node_modules --exclude build/cache "$IMAGE" sh -c '
  id -u
  cat src/main.c
  stat -c "%u:%g %a %n" src/main.c private.key
  cat private.key 2>/dev/null && echo READ-PRIVATE
  readlink host-link; cat host-link 2>/dev/null && echo FOLLOWED
  ls -A node_modules | wc -l
  touch src/new 2>/dev/null && echo WROTE-WORKSPACE
  grep " /workspace " /proc/mounts | cut -d" " -f4 | cut -d, -f1
  ls output
  mkdir -p output/sub && echo result >output/sub/r.txt'
expect_eq "$rc" 0 "copied run: $err"
expect_contains "$err" "the workspace is copied in and the output copied back through run volumes (--workspace-mode copy)" "one line on stderr"
expected="65534
code
4321:4321 644 src/main.c
0:0 600 private.key
$TEST_DIR/host-only
0
ro"
expect_eq "$(printf '%s\n' "$out" | head -n 7)" "$expected" "what the sandbox saw"
case "$out" in *READ-PRIVATE* | *FOLLOWED* | *WROTE-WORKSPACE* | *old.txt*) fail "the copy leaked or was writable: $out" ;; esac
expect_eq "$(cat output/sub/r.txt)" "result" "the output came back"
expect_eq "$(cat output/old.txt)" "previous" "what was in the output stays"
[ ! -e build ] || fail "the excluded path build/cache was created in the project"
[ ! -e src/new ] || fail "the sandbox wrote into the project"

# What was uploaded: kept with --keep-volumes and read back, the excluded contents are not there.
run_capture docker sandbox run --workspace-mode copy --exclude node_modules --keep-volumes --run "$kept_run" "$IMAGE" true
expect_eq "$rc" 0 "copied run with --keep-volumes: $err"
workspace_volume=$(printf '%s\n' "$err" | sed -n 's/^docker sandbox: run: kept volume \(.*-workspace\)$/\1/p')
[ -n "$workspace_volume" ] || fail "the workspace volume was not named: $err"
# Unpacked and listed with each entry's type; on every engine the members are named v0/...
docker sandbox volume get "$workspace_volume" - >"$TEST_DIR/uploaded.tar"
mkdir "$TEST_DIR/uploaded"
tar -x -C "$TEST_DIR/uploaded" --strip-components=1 -f "$TEST_DIR/uploaded.tar"
uploaded=$(cd "$TEST_DIR/uploaded" && find . -mindepth 1 -printf '%P:%y\n' | LC_ALL=C sort | tr '\n' ' ')
expect_eq "$uploaded" "host-link:l node_modules:d output:d private.key:f src/main.c:f src:d " "what was uploaded"
printf '%s\n' "$err" | sed -n 's/^docker sandbox: run: kept volume //p' | xargs docker volume rm >/dev/null
rm -rf output/* "$TEST_DIR/uploaded" "$TEST_DIR/uploaded.tar"

# Refusals, with nothing created.
run_capture docker sandbox run --workspace-mode copy --workspace-rw "$IMAGE" true
expect_eq "$rc" 125 "copy with --workspace-rw"
expect_contains "$err" "--workspace-rw needs the workspace bound" "says why"
mkfifo "$project/pipe"
run_capture docker sandbox run --workspace-mode copy "$IMAGE" true
expect_eq "$rc" 125 "a FIFO in a copied workspace"
expect_contains "$err" "it is a device, FIFO or socket" "names the FIFO"
rm "$project/pipe"

expect_no_leftovers
expect_no_stage_dirs
echo "ok: run_workspace_copy"
