# --pull sends X-Registry-Auth as the docker CLI does: from a credential helper named in
# credHelpers (docker-credential-fake on PATH, given the registry on stdin), from auths for Docker
# Hub (keyed https://index.docker.io/v1/). No registry is reachable here, so the engine is a
# stand-in on a unix socket (DOCKER_HOST) that records the header and refuses the pull in-band.
# The dry run shows the header redacted and runs no helper; a missing helper is one line.
source "$(dirname "$0")/common.sh"

mkdir bin logs
cat > bin/docker-credential-fake <<SH
#!/bin/sh
[ "\$1" = get ] || exit 3
server=\$(cat)
echo "\$server" >> "$TEST_DIR/logs/helper"
printf '{"ServerURL":"%s","Username":"me","Secret":"helper-s3cret"}\n' "\$server"
SH
chmod +x bin/docker-credential-fake
export PATH="$TEST_DIR/bin:$PATH"
hub_auth=$(printf 'me:hub-s3cret' | base64)
cat > "$DOCKER_CONFIG/config.json" <<JSON
{"auths": {"https://index.docker.io/v1/": {"auth": "$hub_auth"}},
 "credHelpers": {"registry.example": "fake"}}
JSON

python3 "$SANDBOX_SOURCE_DIR/tests/e2e/lib/recording_engine.py" "$TEST_DIR/engine.sock" "$TEST_DIR/logs" &
engine_pid=$!
on_exit "kill $engine_pid"
for _ in $(seq 200); do [ -S engine.sock ] && break; sleep 0.05; done
[ -S engine.sock ] || fail "the stand-in engine did not start"
export DOCKER_HOST="unix://$TEST_DIR/engine.sock"

# decoded AUTH: the JSON of a base64url X-Registry-Auth value.
decoded() {
  python3 -c 'import base64, sys; print(base64.urlsafe_b64decode(sys.argv[1]).decode())' "$1"
}

run_capture docker sandbox run --pull --dry-run registry.example/tool:1 true
expect_eq "$rc" 0 "dry run exit code ($err)"
expect_contains "$out" "X-Registry-Auth: <redacted: credentials for registry.example from docker-credential-fake (credHelpers in $DOCKER_CONFIG/config.json)>" "the dry run names the source"
case "$out$err" in *s3cret*) fail "the dry run shows a secret" ;; esac
[ ! -e logs/helper ] || fail "the dry run ran the credential helper"

run_capture docker sandbox run --pull --workspace none --output none registry.example/tool:1 true
expect_eq "$rc" 125 "refused pull exit code ($err)"
expect_contains "$err" "fake engine: pull refused" "the engine's refusal is said"
case "$err" in *s3cret*) fail "an error shows a secret: $err" ;; esac
expect_eq "$(cat logs/helper)" "registry.example" "the helper got the registry on stdin"
expect_eq "$(decoded "$(cat logs/auth)")" '{"username":"me","password":"helper-s3cret","serveraddress":"registry.example"}' "the helper's credentials"

run_capture docker sandbox run --pull --workspace none --output none busybox:1 true
expect_eq "$rc" 125 "refused Docker Hub pull exit code ($err)"
expect_eq "$(decoded "$(cat logs/auth)")" '{"username":"me","password":"hub-s3cret","serveraddress":"https://index.docker.io/v1/"}' "Docker Hub credentials from auths"

# No credentials for this registry: no header at all.
run_capture docker sandbox run --pull --workspace none --output none other.example/tool:1 true
expect_eq "$(cat logs/auth)" "-" "no header without credentials"

# A credsStore whose helper is not installed: one line naming it, and no pull.
printf '{"credsStore": "nothere"}\n' > "$DOCKER_CONFIG/config.json"
rm logs/auth
run_capture docker sandbox run --pull --workspace none --output none busybox:1 true
expect_eq "$rc" 125 "missing helper exit code ($err)"
expect_contains "$err" "docker-credential-nothere was not found on PATH (credsStore in $DOCKER_CONFIG/config.json)" "the missing helper is named"
expect_eq "$(printf '%s\n' "$err" | grep -vc '^hint: ')" 1 "the error is one line ($err)"
[ ! -e logs/auth ] || fail "a pull was sent without the credentials it needed"
