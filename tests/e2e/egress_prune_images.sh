# Each build of the plugin imports its own egress proxy image (docker-sandbox-egress-proxy:DIGEST),
# so an upgrade leaves the last one behind. prune removes those of other builds, and keeps this
# build's, one a container still uses, and one that is not ours (no label); a tenant's prune or
# one with --until leaves images alone.
source "$(dirname "$0")/common.sh"

repository=docker-sandbox-egress-proxy
tags() { docker image ls --format '{{.Repository}}:{{.Tag}}' | sed 's|^localhost/||' | grep "^$repository:" | sort || true; }
# This build's, imported by a run if it is not there yet.
run_capture docker sandbox run --allow-host example.test "$IMAGE" true
expect_eq "$rc" 0 "a run with --allow-host ($err)"
current=$(docker sandbox run --dry-run --allow-host example.test "$IMAGE" true | grep -o "$repository:[0-9a-f]*" | head -1)
expect_contains "$(tags)" "$current" "this build's image after a run"

mkdir "$TEST_DIR/empty"
import() { # TAG [LABEL]
  tar -C "$TEST_DIR/empty" -c . | docker import ${2:+--change "LABEL $2"} - "$1" >/dev/null
  on_exit "docker image rm -f $1 >/dev/null 2>&1"
}
import "$repository:0123456789ab" docker-sandbox.managed=true # an older build's
import "$repository:fedcba987654" docker-sandbox.managed=true # an older build's, still used by a kept container
import "$repository:999999999999"                             # someone else's, named like ours
docker create --name "sbx-e2e-uses-old-proxy-$$" "$repository:fedcba987654" /nothing >/dev/null
on_exit "docker rm -f sbx-e2e-uses-old-proxy-$$ >/dev/null 2>&1"

run_capture docker sandbox prune --force --tenant nobody-$$
expect_eq "$rc" 0 "a tenant's prune ($err)"
run_capture docker sandbox prune --force --until 1h
expect_eq "$rc" 0 "a prune with --until ($err)"
expect_contains "$(tags)" "$repository:0123456789ab" "neither removes images"

run_capture docker sandbox prune --force
expect_eq "$rc" 0 "prune ($err)"
expect_contains "$out" "$repository:0123456789ab" "prune names the image it removes"
after=$(tags)
case "$after" in *0123456789ab*) fail "an older build's image stayed: $after" ;; esac
for kept in $current "$repository:fedcba987654" "$repository:999999999999"; do
  expect_contains "$after" "$kept" "what prune keeps"
done
