# The docker CLI accepts the plugin: listed in `docker --help`, shown by `docker info` without
# warnings, and its usage printed by `docker sandbox --help` and `docker help sandbox`.
source "$(dirname "$0")/common.sh"

run_capture docker --help
expect_contains "$out" "sandbox*" "docker --help lists the plugin"
expect_contains "$out" "Run untrusted code in a locked-down container" "docker --help shows its description"

run_capture docker info
expect_contains "$out" "sandbox: Run untrusted code in a locked-down container (docker-sandbox)" "docker info"
case "$err" in *"docker-sandbox"*) fail "docker info warned about the plugin: $err" ;; esac

run_capture docker sandbox --help
expect_eq "$rc" 0 "docker sandbox --help exit code"
expect_contains "$out" "Usage:  docker sandbox COMMAND" "docker sandbox --help"
expect_contains "$out" "run " "docker sandbox --help lists run"

run_capture docker help sandbox
expect_eq "$rc" 0 "docker help sandbox exit code"
expect_contains "$out" "Usage:  docker sandbox COMMAND" "docker help sandbox"

run_capture docker help sandbox run
expect_contains "$out" "docker sandbox run [OPTIONS] IMAGE" "docker help sandbox run"

run_capture "$SANDBOX_BINARY" --help
expect_contains "$out" "Usage:  docker-sandbox COMMAND" "standalone --help"
