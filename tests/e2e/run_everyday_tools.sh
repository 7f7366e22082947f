# The tools people run, in a real Debian image (python3, pip, node, npm, git; built from Debian's
# packages by tests/tools/make-debian-image.sh), with the defaults and no network:
# - npm ci with --exclude node_modules, a local dependency carrying a native binary that runs;
# - pip install --user of a local wheel, then imported;
# - git config --global;
# - py4docker's development layout: the data as the workspace at /usr/app/data, src/ bound
#   read-only beside it, results written to the data's output/.
# Each needs a writable HOME.
source "$(dirname "$0")/common.sh"
command -v python3 >/dev/null || skip "needs python3 on the host (to make the wheel)"
debian=docker-sandbox-debian:latest
bash "$SANDBOX_SOURCE_DIR/tests/tools/make-debian-image.sh" "$debian" >/dev/null

mkdir -p project
cd project

# A local npm dependency, as a tarball (npm unpacks it into node_modules) whose bin is an ELF
# executable: coreutils' echo from this Debian 12 host, the image's own release.
mkdir -p "$TEST_DIR/dep/bin"
cp /bin/echo "$TEST_DIR/dep/bin/native-echo"
cat >"$TEST_DIR/dep/package.json" <<'JSON'
{"name": "dep", "version": "1.0.0", "bin": {"native-echo": "bin/native-echo"}}
JSON
tar -C "$TEST_DIR/dep" --transform 's,^\.,package,' -czf dep-1.0.0.tgz .
cat >package.json <<'JSON'
{"name": "app", "version": "1.0.0", "dependencies": {"dep": "file:dep-1.0.0.tgz"}}
JSON
# The lock file npm ci needs, written by npm itself: the one run here that writes the workspace
# (as uid 0, which owns it when the invoker is root).
run_capture docker sandbox run --user 0 --workspace-rw --output none "$debian" npm install --package-lock-only --offline --no-audit --no-fund
expect_eq "$rc" 0 "npm writes the lock file ($err)"
[ -s package-lock.json ] || fail "no package-lock.json"

run_capture docker sandbox run --exclude node_modules --output none "$debian" \
  sh -c 'npm ci --offline --no-audit --no-fund >/dev/null && node_modules/.bin/native-echo native-ok'
expect_eq "$rc" 0 "npm ci with the defaults ($err)"
expect_eq "$out" "native-ok" "the dependency's native binary ran"
[ ! -e node_modules/dep ] || fail "node_modules was written to the host"

# A wheel, made by hand (a zip with the module and its dist-info).
python3 "$SANDBOX_SOURCE_DIR/tests/e2e/lib/make_wheel.py" . "hi from a wheel"
# Debian's python refuses --user installs outside a venv (PEP 668) unless told otherwise.
run_capture docker sandbox run --output none -e PIP_BREAK_SYSTEM_PACKAGES=1 "$debian" \
  sh -c 'pip install --user --no-index --quiet ./hello_sbx-1.0-py3-none-any.whl && python3 -c "import hello_sbx; print(hello_sbx.hi())"'
expect_eq "$rc" 0 "pip install --user with the defaults ($err)"
expect_eq "$out" "hi from a wheel" "the wheel was installed and imported"

run_capture docker sandbox run --output none "$debian" \
  sh -c 'git config --global user.name sandbox-user && git config --global user.name'
expect_eq "$rc" 0 "git config --global ($err)"
expect_eq "$out" "sandbox-user" "git's global config was written and read"

cd "$TEST_DIR"
mkdir -p py4/src py4/data
printf 'a,b\n1,2\n3,4\n' >py4/data/input.csv
cat >py4/src/main.py <<'PY'
import csv, os
rows = list(csv.DictReader(open("input.csv")))
total = sum(int(r["a"]) + int(r["b"]) for r in rows)
open("output/total.txt", "w").write(str(total) + "\n")
try:
    open(os.path.join(os.path.dirname(__file__), "changed.py"), "w")
    print("src=writable")
except OSError:
    print("src=read-only")
PY
run_capture docker sandbox run --workspace py4/data --workspace-target /usr/app/data -v ./py4/src:/usr/app/src \
  "$debian" python3 /usr/app/src/main.py
expect_eq "$rc" 0 "py4docker layout ($err)"
expect_eq "$out" "src=read-only" "src/ is bound read-only beside the data"
expect_eq "$(cat py4/data/output/total.txt)" "10" "the result reached the data's output/"
[ ! -e py4/src/changed.py ] || fail "the sandbox wrote into src/"
expect_no_leftovers
