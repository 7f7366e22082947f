# docker's --format and --filter: each form on `docker sandbox volume ls` prints what the same form
# prints on `docker volume ls` for the same volumes (templates, table, json, Labels, -q, filters,
# volumesFormat from config.json); `volume inspect -f` and `version -f` read the objects docker's
# do; tables keep a long name out of the next column; a bad template fails in one line, exit 1.
source "$(dirname "$0")/common.sh"

prefix=fmt$$
long="$prefix-c-$(printf 'x%.0s' $(seq 1 50))"
docker sandbox volume create --tenant "t1$$" --run r1 --label team=blue "$prefix-a" > /dev/null
docker sandbox volume create --tenant "t1$$" --run r2 --label team=red "$prefix-b" > /dev/null
docker sandbox volume create --tenant "t2$$" --run r1 "$long" > /dev/null
on_exit "docker volume rm -f $prefix-a $prefix-b $long >/dev/null"
fixtures_made

# ours FILTER-ARGS... -- FORMAT-ARGS...: the two listings, restricted to this test's volumes.
same() { # WHAT ARGS...: docker sandbox volume ls ARGS and docker volume ls ARGS print the same
  local what=$1
  shift
  run_capture docker sandbox volume ls --filter "name=$prefix" "$@"
  expect_eq "$rc" 0 "$what: exit code ($err)"
  local ours=$out
  run_capture docker volume ls --filter "name=$prefix" "$@"
  expect_eq "$ours" "$out" "$what"
}

same "a field" --format '{{.Name}}'
same "escapes" --format '{{.Name}}\t{{.Driver}}\n'
same "literal text and functions" --format 'v={{upper .Name}}|{{lower .Driver}}|{{truncate .Name 5}}|{{json .Name}}'
same "docker's N/A fields" --format '{{.Name}}: {{.Availability}} {{.Group}} {{.Links}} {{.Size}} {{.Status}} {{.Scope}}'
same "a table" --format 'table {{.Name}}\t{{.Driver}}\t{{.Scope}}'
same "a table with a long column" --format 'table {{.Mountpoint}}\t{{.Name}}\t{{.Driver}}'
same "labels by key" --format 'table {{.Label "team"}}\t{{.Label "docker-sandbox.tenant"}}\t{{.Name}}'
same "-q" -q
same "-q with --format" -q --format '{{.Name}}/{{.Driver}}'
same "label filter, key only" -q --filter label=team
same "label filter, key and value" -q --filter label=team=blue
same "label filters all match" -q --filter label=team --filter label=team=red
same "name filters, any matches" -q --filter "name=$prefix-a" --filter "name=$prefix-b"

# Labels: docker joins a Go map, in no fixed order; compare them as sets.
run_capture docker sandbox volume ls --filter "name=$prefix" --format '{{.Name}} {{.Labels}}'
ours=$out
theirs=$(docker volume ls --filter "name=$prefix" --format '{{.Name}} {{.Labels}}')
python3 - "$ours" "$theirs" <<'PY' || fail "{{.Labels}} differs from docker's"
import sys
def rows(text):
    return {line.split(" ", 1)[0]: set(line.split(" ", 1)[1].split(",")) for line in text.splitlines()}
assert rows(sys.argv[1]) == rows(sys.argv[2]), (sys.argv[1], sys.argv[2])
PY

# json: one compact object per line, docker's keys and values, plus ours (Tenant, Run, CreatedAt).
for format in json '{{json .}}'; do
  run_capture docker sandbox volume ls --filter "name=$prefix" --format "$format"
  expect_eq "$rc" 0 "--format $format ($err)"
  ours=$out
  theirs=$(docker volume ls --filter "name=$prefix" --format "$format")
  python3 - "$ours" "$theirs" "t1$$" <<'PY' || fail "--format $format differs from docker's"
import json, sys
ours = [json.loads(line) for line in sys.argv[1].splitlines()]
theirs = [json.loads(line) for line in sys.argv[2].splitlines()]
assert len(ours) == len(theirs) == 3, (ours, theirs)
for o, t in zip(ours, theirs):
    for key, value in t.items():
        if key == "Labels":
            assert set(o[key].split(",")) == set(value.split(",")), (o, t)
        else:
            assert o[key] == value, (key, o, t)
    assert list(o) == sorted(o), o
assert ours[0]["Tenant"] == sys.argv[3] and ours[0]["Run"] == "r1" and ours[0]["CreatedAt"], ours[0]
PY
done

# Our filters, against docker's label filters that mean the same.
run_capture docker sandbox volume ls -q --filter "tenant=t1$$"
expect_eq "$out" "$(docker volume ls -q --filter "label=docker-sandbox.tenant=t1$$")" "tenant filter"
run_capture docker sandbox volume ls -q --filter "tenant=t1$$" --filter "tenant=t2$$" --filter run=r1
expect_eq "$out" "$(printf '%s\n' "$prefix-a" "$long")" "OR within a key, AND across keys"
run_capture docker sandbox volume ls -q --filter "name=$prefix" --filter until=1h
expect_eq "$out" "" "until=1h: nothing that old"
run_capture docker sandbox volume ls -q --filter "name=$prefix" --filter until=2099-01-01T00:00:00Z
expect_eq "$(wc -l <<<"$out")" 3 "until a future time: all"
run_capture docker sandbox volume ls --filter status=running
expect_eq "$rc" 125 "volumes have no status filter"
expect_contains "$err" "invalid filter 'status'" "the bad filter is named"

# The default table: the long name does not run into the next column; awk reads column 1.
run_capture docker sandbox volume ls --filter "name=$prefix"
expect_eq "$(head -n 1 <<<"$out" | awk '{print $1, $2}')" "VOLUME NAME" "default table header"
expect_eq "$(tail -n +2 <<<"$out" | awk '{print $1}')" "$(printf '%s\n' "$prefix-a" "$prefix-b" "$long")" "awk '{print \$1}'"
expect_eq "$(grep -c "^$long   t2$$ " <<<"$out")" 1 "three spaces after the longest name"

# A bad template: one line, exit 1, as docker's.
for bad in '{{.Nope}}' '{{.Name' '{{nope .Name}}'; do
  run_capture docker sandbox volume ls --filter "name=$prefix" --format "$bad"
  ours_rc=$rc
  expect_eq "$(wc -l <<<"$err")" 1 "$bad: one line ($err)"
  expect_contains "$err" "template parsing error" "$bad: says what"
  run_capture docker volume ls --filter "name=$prefix" --format "$bad"
  expect_eq "$ours_rc" "$rc" "$bad: docker's exit code"
done

# volume inspect -f reads the object docker's inspect does.
for format in '{{.Name}} {{.Driver}} {{.Mountpoint}} {{.Scope}} {{.CreatedAt}}' '{{json .Labels}}' \
  '{{.Labels.team}} {{index .Labels "team"}}'; do
  run_capture docker sandbox volume inspect -f "$format" "$prefix-a" "$prefix-b"
  expect_eq "$rc" 0 "inspect -f $format ($err)"
  expect_eq "$out" "$(docker volume inspect -f "$format" "$prefix-a" "$prefix-b")" "inspect -f $format"
done
run_capture docker sandbox volume inspect --format json "$prefix-a"
expect_eq "$(python3 -c 'import json,sys; v=json.loads(sys.argv[1]); print(len(v), v[0]["Name"], v[0]["Tenant"])' "$out")" \
  "1 $prefix-a t1$$" "inspect --format json: one array on one line"

# version -f: the engine's fields where docker reads them.
run_capture docker sandbox version -f '{{.Server.Version}} {{.Server.Os}}'
expect_eq "$out" "$(docker version -f '{{.Server.Version}} {{.Server.Os}}')" "version -f"
run_capture docker sandbox version --format json
expect_eq "$(wc -l <<<"$out")" 1 "version --format json is one line"

# volumesFormat in config.json applies when there is no --format (to docker's listing too).
printf '%s\n' '{"volumesFormat": "{{.Name}}={{.Label \"team\"}}"}' > "$DOCKER_CONFIG/config.json"
same "volumesFormat"
run_capture docker sandbox volume ls --filter "name=$prefix-a" --format '{{.Driver}}'
expect_eq "$out" "local" "--format wins over volumesFormat"
rm "$DOCKER_CONFIG/config.json"

expect_no_leftovers
