# Reading back never follows a link the sandbox made. A sandbox that cannot read a root-only 0600
# workspace file plants `/outputs/r -> /workspace` and asks for /outputs/r/secret.txt: the engine
# would resolve the link as root, so the collect is refused and named, while a good path of the
# same run still arrives (exit 125), and the run's volumes are kept and named, for `volume get`.
# `volume get` through a link planted in a volume is refused too.
source "$(dirname "$0")/common.sh"

tenant=links$$
on_exit "docker volume ls -q --filter label=docker-sandbox.tenant=$tenant | xargs -r docker volume rm -f >/dev/null"
mkdir project
printf 'root-only\n' > project/secret.txt
chmod 600 project/secret.txt

run_capture docker sandbox run --tenant "$tenant" --workspace ./project --output none \
  --collect "/outputs/r/secret.txt:$TEST_DIR/stolen" --collect "/outputs/good:$TEST_DIR/good" "$IMAGE" sh -c '
  cat /workspace/secret.txt 2>/dev/null || echo cannot-read
  ln -s /workspace /outputs/r
  mkdir /outputs/good && echo fine > /outputs/good/result'
expect_eq "$out" cannot-read "the sandbox itself cannot read the secret"
expect_eq "$rc" 125 "a refused collect fails the run ($err)"
expect_contains "$err" "--collect /outputs/r/secret.txt: /outputs/r is a symbolic link (to /workspace); refusing to read through a link" "the link is named"
if [ -e "$TEST_DIR/stolen" ] && grep -rq root-only "$TEST_DIR/stolen"; then
  fail "the secret came out through the planted link"
fi
expect_eq "$(cat "$TEST_DIR/good/result")" fine "the good path of the same run was collected"
kept=$(printf '%s\n' "$err" | sed -n 's/^docker sandbox: run: kept volume //p')
[ -n "$kept" ] || fail "the volumes of a failed collect are not named ($err)"
for volume in $kept; do
  docker volume inspect "$volume" > /dev/null || fail "kept volume $volume is gone"
done
docker volume rm $kept > /dev/null

# The final component a link, too.
run_capture docker sandbox run --tenant "$tenant" --workspace ./project --output none \
  --collect "/outputs/s:$TEST_DIR/stolen2" "$IMAGE" ln -s /workspace/secret.txt /outputs/s
expect_eq "$rc" 125 "a collect of a link ($err)"
expect_contains "$err" "/outputs/s is a symbolic link" "the link is named"
[ ! -e "$TEST_DIR/stolen2/s" ] || ! grep -q root-only "$TEST_DIR/stolen2/s" || fail "the secret came out"
kept=$(printf '%s\n' "$err" | sed -n 's/^docker sandbox: run: kept volume //p')
[ -n "$kept" ] || fail "the volumes of a failed collect are not named ($err)"
docker volume rm $kept > /dev/null

# volume get through a link planted in the volume.
volume=$(docker sandbox volume create --tenant "$tenant")
on_exit "docker volume rm -f $volume >/dev/null 2>&1"
run_capture docker sandbox run --tenant "$tenant" --user 0 --volume "$volume:/data" --workspace none --output none "$IMAGE" \
  sh -c 'mkdir /data/real && echo data > /data/real/file && ln -s / /data/r'
expect_eq "$rc" 0 "planting links in the volume ($err)"
run_capture docker sandbox volume get "$volume" r/v0/real/file "$TEST_DIR/through"
expect_eq "$rc" 1 "volume get through a link"
expect_contains "$err" "/r is a symbolic link (to /); refusing to read through a link" "the link is named"
[ ! -e "$TEST_DIR/through" ] || fail "volume get through a link created its destination"
run_capture docker sandbox volume get "$volume" real/file "$TEST_DIR"
expect_eq "$rc" 0 "volume get of a plain path ($err)"
expect_eq "$(cat "$TEST_DIR/file")" data "the plain path arrives"
docker volume rm "$volume" > /dev/null
expect_no_leftovers
