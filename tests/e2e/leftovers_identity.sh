# Identity an image cannot forge: containers inherit their image's labels, so a plain `docker run`
# of an image labelled docker-sandbox.managed=true (even with copied owner and creation labels) is
# never listed, removed or pruned as ours, while a sandbox run from an image committed from a
# sandbox still is. Volumes kept with --keep-volumes survive `prune` until the user removes them.
source "$(dirname "$0")/common.sh"

suffix=$$-$RANDOM
docker create --name "base-$suffix" "$IMAGE" true > /dev/null
on_exit "docker rm -f base-$suffix plain1-$suffix plain2-$suffix kept-$suffix again-$suffix >/dev/null 2>&1"
on_exit "docker rmi -f forged1-$suffix forged2-$suffix committed-$suffix >/dev/null 2>&1"
# image_of CONTAINER NEW CHANGE...: an image of CONTAINER's files with those changes (export and
# import, as `docker commit` would make it: Podman 4.3 refuses `docker commit` from this CLI).
image_of() {
  local container=$1 new=$2
  shift 2
  docker export "$container" | docker import --change 'ENV PATH=/bin' "$@" - "$new" > /dev/null
}
image_of "base-$suffix" "forged1-$suffix" --change 'LABEL docker-sandbox.managed=true'
image_of "base-$suffix" "forged2-$suffix" --change 'LABEL docker-sandbox.managed=true' \
  --change "LABEL docker-sandbox.owner=$(hostname):1" --change 'LABEL docker-sandbox.created=2020-01-01T00:00:00Z' \
  --change 'LABEL docker-sandbox.run=forged'
docker run --name "plain1-$suffix" "forged1-$suffix" true
docker run --name "plain2-$suffix" "forged2-$suffix" true

run_capture docker sandbox run --keep --name "kept-$suffix" "$IMAGE" true
expect_eq "$rc" 0 "a kept sandbox ($err)"
# Carries every label of the kept sandbox, as `docker commit` does.
labels=()
while IFS= read -r label; do
  labels+=(--change "LABEL $label")
done < <(docker inspect --format '{{range $k, $v := .Config.Labels}}{{printf "%s=%q" $k $v}}{{"\n"}}{{end}}' "kept-$suffix" | grep .)
image_of "kept-$suffix" "committed-$suffix" "${labels[@]}"
expect_eq "$(docker image inspect --format '{{json .Config.Labels}}' "committed-$suffix")" \
  "$(docker inspect --format '{{json .Config.Labels}}' "kept-$suffix")" "the image carries the sandbox's labels"
run_capture docker sandbox run --keep --name "again-$suffix" "committed-$suffix" true
expect_eq "$rc" 0 "a sandbox from a committed sandbox ($err)"

run_capture docker sandbox ls
expect_eq "$rc" 0 "ls ($err)"
expect_contains "$out" "kept-$suffix" "ls lists the kept sandbox"
expect_contains "$out" "again-$suffix" "ls lists the sandbox run from a committed image"
case "$out" in *plain*) fail "ls lists a container whose labels came from its image: $out" ;; esac

for plain in "plain1-$suffix" "plain2-$suffix"; do
  run_capture docker sandbox rm "$plain"
  expect_eq "$rc" 1 "rm $plain"
  expect_contains "$err" "$plain is not a docker-sandbox container" "rm says why"
done

run_capture docker sandbox prune -f
expect_eq "$rc" 0 "prune ($err)"
for plain in "plain1-$suffix" "plain2-$suffix"; do
  docker inspect "$plain" > /dev/null 2>&1 || fail "prune removed $plain, a plain docker run"
done
! docker inspect "kept-$suffix" > /dev/null 2>&1 || fail "prune left the kept sandbox"

# Kept volumes: not orphans of a finished run.
tenant=keep$suffix
tenant=${tenant//-/}
mkdir in && echo data > in/file
run_capture docker sandbox run --tenant "$tenant" --keep-volumes --input ./in "$IMAGE" cat /inputs/file
expect_eq "$out" data "the kept run read its input ($err)"
expect_eq "$(docker sandbox volume ls -q --tenant "$tenant" | wc -l)" 1 "one kept volume"
run_capture docker sandbox prune -f
expect_eq "$(docker sandbox volume ls -q --tenant "$tenant" | wc -l)" 1 "prune keeps a volume kept on purpose"
run_capture docker sandbox volume prune -f --tenant "$tenant"
expect_eq "$rc" 0 "volume prune ($err)"
expect_eq "$(docker sandbox volume ls -q --tenant "$tenant" | wc -l)" 0 "the user removes it with volume prune"
docker rm -f "plain1-$suffix" "plain2-$suffix" > /dev/null # they carry the managed label, so common.sh would count them
expect_no_leftovers
