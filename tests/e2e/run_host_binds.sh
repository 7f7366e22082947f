# -v HOSTPATH:PATH and --mount type=bind bind more host paths: read-only unless rw (which warns),
# resolved as the workspace is (a link planted in the project is refused), never the user's
# secrets or the engine's socket. --workspace-target and --output-target move the two.
source "$(dirname "$0")/common.sh"

m='m() { awk -v t="$1" '\''$2 == t { print $4 }'\'' /proc/mounts; }'
ro='case ",$(m "$1")," in *,ro,*) echo ro ;; *,rw,*) echo rw ;; *) echo none ;; esac'
mkdir -p project/src project/data
echo source-code >project/src/main.txt
echo data >project/data/in.txt
cd project

# Read-only by default, in both spellings, beside the workspace.
run_capture docker sandbox run -v ./src:/app/src --mount type=bind,src=data,dst=/app/data "$IMAGE" sh -c "$m"'
mode() { '"$ro"'; }
echo "src=$(mode /app/src) data=$(mode /app/data) $(cat /app/src/main.txt)"
touch /app/src/new 2>/dev/null && echo wrote || echo refused'
expect_eq "$rc" 0 "two read-only binds ($err)"
expect_eq "$out" "$(printf 'src=ro data=ro source-code\nrefused')" "binds from inside"
[ ! -e src/new ] || fail "a write reached a read-only bind"
expect_eq "$err" "" "a read-only bind says nothing"

# rw: a warned relaxation; the write reaches the host.
run_capture docker sandbox run --user 0 -v "$PWD/data:/data:rw" "$IMAGE" sh -c 'echo out >/data/written && echo ok'
expect_eq "$rc" 0 "rw bind ($err)"
expect_eq "$out" "ok" "a write to an rw bind"
expect_eq "$(cat data/written)" "out" "the write reached the host"
expect_contains "$err" "warning: -v $PWD/data:/data:rw: the sandbox can change $PWD/data" "rw warns"
run_capture docker sandbox run --user 0 --mount "type=bind,src=data,dst=/data,readonly=false" "$IMAGE" true
expect_contains "$err" "warning: --mount type=bind,src=data,dst=/data,readonly=false: the sandbox can change data" "readonly=false warns"

# The layout: workspace and output where the image expects them; -w still wins.
run_capture docker sandbox run --workspace data --workspace-target /usr/app/data --output-target /results "$IMAGE" \
  sh -c "$m"'; mode() { '"$ro"'; }; echo "$(pwd) $(mode /usr/app/data) $(mode /results) $(cat in.txt)"; echo r >/results/r.txt'
expect_eq "$rc" 0 "targets ($err)"
expect_eq "$out" "/usr/app/data ro rw data" "workspace and output at their targets"
expect_eq "$(cat data/output/r.txt)" "r" "the output was delivered"
run_capture docker sandbox run --workspace-target /usr/app -w /tmp "$IMAGE" pwd
expect_eq "$out" "/tmp" "-w wins over the workspace target"

# Refusals: one line, exit 125, nothing created.
rm -rf output
ln -s /etc planted
for spec in "./planted:/p" "./missing:/m" "/:/r" "$HOME:/h" "/run:/r" "./src:/x:z" "/anonymous" "./src:/workspace"; do
  run_capture docker sandbox run -v "$spec" "$IMAGE" true
  expect_eq "$rc" 125 "-v $spec is refused ($err)"
  expect_eq "$(printf '%s\n' "$err" | grep -c '^docker sandbox: run: ')" 1 "-v $spec: one line"
done
[ ! -e missing ] || fail "a refused bind created its source"
[ ! -e output ] || fail "a refused run created ./output"
# A link planted in a workspace (or an output) named elsewhere is refused too, by any spelling.
mkdir -p "$TEST_DIR/ws" "$TEST_DIR/secret"
echo s3cret >"$TEST_DIR/secret/key"
ln -s "$TEST_DIR/secret" "$TEST_DIR/ws/assets"
run_capture docker sandbox run --workspace "$TEST_DIR/ws" --output none -v "$TEST_DIR/ws/assets:/assets" "$IMAGE" cat /assets/key
expect_eq "$rc" 125 "a link planted in a named workspace is not followed ($out)"
[ "$out" != s3cret ] || fail "the planted link was followed"
for spec in /proc:/p /sys/fs:/s /dev/shm:/d; do
  run_capture docker sandbox run -v "$spec" "$IMAGE" true
  expect_eq "$rc" 125 "-v $spec is refused ($err)"
done
run_capture docker sandbox run --mount type=bind,src=src,dst=/x,bind-propagation=rshared "$IMAGE" true
expect_eq "$rc" 125 "bind-propagation is refused"

# A dry run shows the bind as the engine gets it.
run_capture docker sandbox run --dry-run=json -v ./src:/app/src "$IMAGE" true
expect_eq "$rc" 0 "dry run ($err)"
expect_contains "$(printf '%s\n' "$out" | grep -A1 '"Target": "/app/src"')" '"ReadOnly": true' "the read-only bind in the plan"
expect_no_leftovers
