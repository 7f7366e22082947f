# The current directory is the read-only working directory /workspace with a writable
# /workspace/output; --workspace-rw, --workspace none|DIR and --output none|DIR change that.
source "$(dirname "$0")/common.sh"

# In-container shell function: m TARGET prints the options of the mount at TARGET, if any.
m='m() { awk -v t="$1" '\''$2 == t { print $4 }'\'' /proc/mounts; }'
echo host-content > hello.txt

# --output none first: the default output directory must not be created either.
run_capture docker sandbox run --output none "$IMAGE" sh -c "$m"'; echo "output-mount=[$(m /workspace/output)]"'
expect_eq "$rc" 0 "--output none exit code ($err)"
expect_eq "$out" "output-mount=[]" "no /workspace/output mount with --output none"
[ ! -e output ] || fail "--output none created ./output"

run_capture docker sandbox run "$IMAGE" sh -c "$m"'
case ",$(m /workspace)," in *,ro,*) echo workspace=ro ;; *) echo "workspace=$(m /workspace)" ;; esac
pwd
cat hello.txt
if echo x > /workspace/new.txt; then echo write=ok; else echo write=refused; fi
echo result > /workspace/output/result.txt && echo output=ok'
expect_eq "$rc" 0 "default workspace exit code ($err)"
expect_eq "$out" "$(printf 'workspace=ro\n/workspace\nhost-content\nwrite=refused\noutput=ok')" "default workspace from inside"
expect_contains "$err" "Read-only file system" "a write to the workspace"
[ ! -e new.txt ] || fail "a write to the read-only workspace reached the host"
expect_eq "$(cat output/result.txt)" "result" "a write to /workspace/output reached ./output"

# The workspace belongs to root on the host: write as uid 0 so that only the mount decides.
run_capture docker sandbox run --workspace-rw --user 0 "$IMAGE" sh -c 'echo from-sandbox > /workspace/rw.txt && echo write=ok'
expect_eq "$rc" 0 "--workspace-rw exit code ($err)"
expect_eq "$out" "write=ok" "write to a --workspace-rw workspace"
expect_eq "$(cat rw.txt)" "from-sandbox" "the write exists on the host"

run_capture docker sandbox run --workspace none "$IMAGE" sh -c "$m"'
echo "workspace-mount=[$(m /workspace)]"
echo "pwd=$(pwd)"
[ -e /workspace/hello.txt ] && echo hello=visible || echo hello=absent'
expect_eq "$rc" 0 "--workspace none exit code ($err)"
expect_eq "$(printf '%s\n' "$out" | sed -n 1p)" "workspace-mount=[]" "no /workspace mount with --workspace none"
[ "$(printf '%s\n' "$out" | sed -n 2p)" != "pwd=/workspace" ] || fail "working directory is /workspace without a workspace"
expect_eq "$(printf '%s\n' "$out" | sed -n 3p)" "hello=absent" "host files with --workspace none"

mkdir -p other
echo other-content > other/other.txt
run_capture docker sandbox run --workspace "$TEST_DIR/other" "$IMAGE" sh -c 'pwd; cat other.txt; [ -e hello.txt ] && echo hello=visible || echo hello=absent'
expect_eq "$rc" 0 "--workspace DIR exit code ($err)"
expect_eq "$out" "$(printf '/workspace\nother-content\nhello=absent')" "--workspace DIR mounts that directory"

run_capture docker sandbox run --output "$TEST_DIR/results" "$IMAGE" sh -c 'echo elsewhere > /workspace/output/r.txt'
expect_eq "$rc" 0 "--output DIR exit code ($err)"
expect_eq "$(cat results/r.txt)" "elsewhere" "a write to /workspace/output lands in --output DIR"
[ ! -e output/r.txt ] || fail "--output DIR still wrote to ./output"
expect_no_leftovers
