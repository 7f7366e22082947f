# A table of bad inputs (flags, values, sizes, durations, tmpfs options, env files, profiles,
# seccomp files, volume names, tenant ids, paths with .. or absolute, control characters in
# names, archives with escaping members). Each must give exactly one error line
# ("docker sandbox: ..."), the expected exit status, and create or write nothing: no container,
# no volume, no file.
source "$(dirname "$0")/common.sh"

tenant="e2e$RANDOM"
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=$tenant | xargs -r docker volume rm -f >/dev/null"
on_exit "docker volume rm -f sbx-e2e-plain-$tenant >/dev/null"

fixtures="$TEST_DIR/fixtures"
mkdir -p "$fixtures/src" "$fixtures/nonempty" "$fixtures/project"
echo data >"$fixtures/src/file"
echo x >"$fixtures/nonempty/x"
mkfifo "$fixtures/fifo"
echo x >"$fixtures/$(printf 'new\nline')"
echo 'not json' >"$fixtures/notjson.json"
printf 'GOOD=1\nBAD KEY=x\n' >"$fixtures/bad.env"
echo '{"limits": {"memory": ' >"$fixtures/syntax.json"
echo '{"limits": {"memory": 5}}' >"$fixtures/schema.json"
echo '{"mounts": {"workspace": "../.."}}' >"$fixtures/escape.json"
echo '{"unknown_key": true}' >"$fixtures/unknown.json"
python3 - "$fixtures" <<'PY'
import io, sys, tarfile
for name, member, kind in (("dotdot", "../evil", "file"), ("absolute", "/etc/evil", "file"), ("device", "dev", "chr"),
                           ("hardlink", "h", "link")):
    with tarfile.open(f"{sys.argv[1]}/{name}.tar", "w") as t:
        info = tarfile.TarInfo(member)
        if kind == "chr":
            info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 3
            t.addfile(info)
        elif kind == "link":
            info.type, info.linkname = tarfile.LNKTYPE, "/etc/passwd"
            t.addfile(info)
        else:
            info.size = 4
            t.addfile(info, io.BytesIO(b"evil"))
PY
vol=$(docker sandbox volume create --tenant "$tenant" --run hostile)
docker volume create "sbx-e2e-plain-$tenant" >/dev/null
fixtures_made
long=$(printf 'a%.0s' $(seq 1 64))
nl=$'a\nb'

snapshot() {
  { docker ps -aq --filter label=docker-sandbox.managed=true; docker volume ls -q; find "$TEST_DIR" -path "$DOCKER_CONFIG" -prune -o -print | sort; } | md5sum
}
before=$(snapshot)
tried=0

# bad RC ARGS...: `docker sandbox ARGS...` (stdin from $stdin_file) must fail with RC, one line.
stdin_file=/dev/null
bad() {
  local expected=$1
  shift
  tried=$((tried + 1))
  run_capture docker sandbox "$@" <"$stdin_file"
  local what="docker sandbox $(printf '%q ' "$@")"
  expect_eq "$rc" "$expected" "$what: exit status ($err)"
  local lines
  lines=$(printf '%s\n' "$err" | grep -vc '^hint: ' || true)
  expect_eq "$lines" 1 "$what: one error line ($err)"
  expect_contains "$err" "docker sandbox: " "$what: prefix"
  expect_eq "$(snapshot)" "$before" "$what: something was created or written"
}

cd "$fixtures/project"
# run: flags and values
bad 125 run
bad 125 run --bogus "$IMAGE" true
bad 125 run --memory abc "$IMAGE" true
bad 125 run --memory -1 "$IMAGE" true
bad 125 run --memory 1k "$IMAGE" true
bad 125 run --cpus 0 "$IMAGE" true
bad 125 run --cpus many "$IMAGE" true
bad 125 run --pids-limit x "$IMAGE" true
bad 125 run --timeout 5x "$IMAGE" true
bad 125 run --timeout -1s "$IMAGE" true
bad 125 run --stop-timeout 99999 "$IMAGE" true
bad 125 run --tmpfs relative:size=1m "$IMAGE" true
bad 125 run --tmpfs /t:size=abc "$IMAGE" true
bad 125 run --tmpfs /t:mode=999 "$IMAGE" true
bad 125 run --tmpfs /t:bogus=1 "$IMAGE" true
bad 125 run --tmpfs /t:uid=-1 "$IMAGE" true
bad 125 run --user "a b" "$IMAGE" true
bad 125 run --user "" "$IMAGE" true
bad 125 run --network a/b "$IMAGE" true
bad 125 run --cap-add "NET RAW" "$IMAGE" true
bad 125 run --cap-add "" "$IMAGE" true
bad 125 run --seccomp-profile "$fixtures/missing.json" "$IMAGE" true
bad 125 run --seccomp-profile "$fixtures/notjson.json" "$IMAGE" true
bad 125 run --env-file "$fixtures/missing.env" "$IMAGE" true
bad 125 run --env-file "$fixtures/bad.env" "$IMAGE" true
bad 125 run -e "=x" "$IMAGE" true
bad 125 run -e "$nl=1" "$IMAGE" true
bad 125 run --label docker-sandbox.managed=false "$IMAGE" true
bad 125 run --label "=v" "$IMAGE" true
bad 125 run --name "bad name" "$IMAGE" true
bad 125 run --workdir relative "$IMAGE" true
bad 125 run --workspace /nonexistent "$IMAGE" true
bad 125 run --output "$fixtures/src/file" "$IMAGE" true
bad 125 run --exclude ../escape "$IMAGE" true
bad 125 run --exclude /abs "$IMAGE" true
bad 125 run --profile "$fixtures/missing.json" "$IMAGE" true
bad 125 run --profile "$fixtures/syntax.json" "$IMAGE" true
bad 125 run --profile "$fixtures/schema.json" "$IMAGE" true
bad 125 run --profile "$fixtures/escape.json" "$IMAGE" true
bad 125 run --profile "$fixtures/unknown.json" "$IMAGE" true
bad 125 run --tenant bad/tenant "$IMAGE" true
bad 125 run --tenant "$nl" "$IMAGE" true
bad 125 run --tenant "$long" "$IMAGE" true
bad 125 run --tenant "$tenant" --run "bad run" "$IMAGE" true
bad 125 run --tenant "$tenant" --input "$fixtures/missing" "$IMAGE" true
bad 125 run --input "$fixtures/src" "$IMAGE" true
bad 125 run --tenant "$tenant" --collect "/tmp/x:$TEST_DIR/c" "$IMAGE" true
bad 125 run --tenant "$tenant" --collect /outputs "$IMAGE" true
bad 125 run --tenant "$tenant" --collect "/outputs:$fixtures/nonempty" "$IMAGE" true
bad 125 run --tenant "$tenant" --input "$fixtures/src:relative" "$IMAGE" true
bad 125 run --tenant "$tenant" --input "$fixtures/src:/in/../etc" "$IMAGE" true
bad 125 run --volume /host:/data "$IMAGE" true
bad 125 run --volume "$vol" "$IMAGE" true
bad 125 run --volume "$vol:/data:rx" "$IMAGE" true
bad 125 run --volume "$vol:relative" "$IMAGE" true
bad 125 run --tenant "$tenant" --volume "no-such-volume-$tenant:/data" "$IMAGE" true
bad 125 run --tenant "other$tenant" --volume "$vol:/data" "$IMAGE" true
bad 125 run --tenant "$tenant" --volume "sbx-e2e-plain-$tenant:/data" "$IMAGE" true
bad 125 run --dry-run=yaml "$IMAGE" true
bad 125 run --api-version 9.99 "$IMAGE" true
bad 125 run "$nl" true
bad 125 run no-such-image-$tenant:latest true
# volumes: names, tenants, paths, owners, modes, archives
bad 125 volume create --tenant "a b"
bad 125 volume create --tenant "$long"
bad 125 volume create "bad/name"
bad 125 volume create --tenant "$tenant" --label docker-sandbox.x=1
bad 1 volume create "$vol"
bad 125 volume put "$vol"
bad 1 volume put "$vol" "$fixtures/missing"
bad 1 volume put "no-such-volume-$tenant" "$fixtures/src"
bad 1 volume put "sbx-e2e-plain-$tenant" "$fixtures/src"
bad 125 volume put --dest ../x "$vol" "$fixtures/src"
bad 125 volume put --dest "$nl" "$vol" "$fixtures/src"
bad 125 volume put --owner root "$vol" "$fixtures/src"
bad 125 volume put --owner 1:-1 "$vol" "$fixtures/src"
bad 125 volume put --mode 8888 "$vol" "$fixtures/src"
bad 125 volume put --mode rwx "$vol" "$fixtures/src"
bad 1 volume put "$vol" "$fixtures/fifo"
bad 1 volume put "$vol" "$fixtures/$nl"
bad 125 volume put "$vol" - "$fixtures/src"
for tar in dotdot absolute device hardlink; do
  stdin_file="$fixtures/$tar.tar"
  bad 1 volume put "$vol" -
done
stdin_file=/dev/null
bad 125 volume get "$vol" ../x "$TEST_DIR/dest"
bad 125 volume get "$vol" "/a/$nl" "$TEST_DIR/dest"
bad 1 volume get "$vol" missing/path "$TEST_DIR/dest"
bad 125 volume get "$vol" ""
bad 1 volume get "no-such-volume-$tenant" "$TEST_DIR/dest"
bad 1 volume get "$vol" "$fixtures/nonempty"
bad 1 volume rm "sbx-e2e-plain-$tenant"
bad 125 volume prune --until abc
bad 1 volume ls --format '{{.Nope}}'
bad 125 volume ls --filter colour=red
bad 125 volume ls --tenant "$nl"
bad 125 prune --until 1y
bad 1 ls --format '{{json .}'
bad 125 ls --filter status=sleeping
bad 1 rm "not-a-sandbox-$tenant"
bad 1 bogus-command

echo "hostile inputs: $tried tried, $tried rejected, nothing created" >&2
[ "$tried" -ge 60 ] || fail "only $tried hostile inputs"
expect_no_leftovers
