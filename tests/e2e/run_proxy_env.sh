# config.json's proxies reach the sandbox's environment only when it has a network: not by
# default (network none), both spellings with --network bridge, never over an -e, and a proxy's
# password never in the dry run.
source "$(dirname "$0")/common.sh"

cat > "$DOCKER_CONFIG/config.json" <<'JSON'
{"proxies": {"default": {"httpProxy": "http://proxy.invalid:3128", "noProxy": "localhost,.internal"}}}
JSON
show='env | grep -i "_proxy=" | sort'

run_capture docker sandbox run --output none "$IMAGE" sh -c "$show"
expect_eq "$rc" 0 "default run exit code ($err)"
expect_eq "$out" "" "no proxy variables without a network"

run_capture docker sandbox run --output none --network bridge "$IMAGE" sh -c "$show"
expect_eq "$rc" 0 "bridge run exit code ($err)"
expect_eq "$out" "$(printf '%s\n' HTTP_PROXY=http://proxy.invalid:3128 NO_PROXY=localhost,.internal \
  http_proxy=http://proxy.invalid:3128 no_proxy=localhost,.internal | LC_ALL=C sort)" "proxy variables with a network"

run_capture docker sandbox run --output none --network bridge -e HTTP_PROXY=http://mine:1 "$IMAGE" sh -c "$show"
expect_eq "$rc" 0 "bridge run with -e exit code ($err)"
expect_contains "$out" "HTTP_PROXY=http://mine:1" "an -e is kept"
expect_contains "$out" "http_proxy=http://proxy.invalid:3128" "the other spelling is added"
case "$out" in *HTTP_PROXY=http://proxy.invalid*) fail "an -e was replaced: $out" ;; esac

# A proxy's user and password reach the sandbox but never the dry run.
cat > "$DOCKER_CONFIG/config.json" <<'JSON'
{"proxies": {"default": {"httpsProxy": "http://me:pr0xy-pass@proxy.invalid:3128"}}}
JSON
run_capture docker sandbox run --output none --network bridge "$IMAGE" sh -c "$show"
expect_contains "$out" "HTTPS_PROXY=http://me:pr0xy-pass@proxy.invalid:3128" "the proxy's credentials inside"
run_capture docker sandbox run --dry-run --network bridge "$IMAGE" true
expect_eq "$rc" 0 "dry run exit code ($err)"
expect_contains "$out" '"HTTPS_PROXY=http://<redacted>@proxy.invalid:3128"' "the dry run redacts them"
case "$out$err" in *pr0xy-pass*) fail "the dry run shows a proxy password" ;; esac

expect_no_leftovers
