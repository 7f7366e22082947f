# docker-sandbox is one file: copied alone into a fresh DOCKER_CONFIG's cli-plugins, as docker's
# docs tell users to install a plugin, `docker info` lists it without a warning, and `docker
# sandbox version` and `docker sandbox run` work. A static build needs no shared library but
# glibc's own (libc, libm and the loader).
source "$(dirname "$0")/common.sh"

rm -rf "$DOCKER_CONFIG/cli-plugins"
mkdir "$DOCKER_CONFIG/cli-plugins"
cp "$(readlink -f "$SANDBOX_BINARY")" "$DOCKER_CONFIG/cli-plugins/docker-sandbox"
expect_eq "$(ls -A "$DOCKER_CONFIG/cli-plugins")" "docker-sandbox" "one file in cli-plugins"

if [ "${SANDBOX_STATIC:-OFF}" = ON ]; then
  libraries=$(ldd "$DOCKER_CONFIG/cli-plugins/docker-sandbox" | awk '{print $1}' |
    grep -Ev '^(linux-vdso\.so\.1|libc\.so\.6|libm\.so\.6|/lib64/ld-linux-x86-64\.so\.2)$' || true)
  expect_eq "$libraries" "" "shared libraries besides glibc's"
fi

run_capture docker info
expect_eq "$rc" 0 "docker info ($err)"
expect_contains "$out" "sandbox: Run untrusted code in a locked-down container (docker-sandbox)" "docker info lists the plugin"
case "$out$err" in *"WARNING"*sandbox* | *"invalid plugin"* | *"sandbox-core"*) fail "docker info warned about a plugin: $err" ;; esac
run_capture docker info --format '{{range .ClientInfo.Plugins}}{{.Name}} {{.Path}} {{.Err}}{{"\n"}}{{end}}'
expect_contains "$out" "sandbox $DOCKER_CONFIG/cli-plugins/docker-sandbox " "docker info's path for the plugin"
case "$out" in *"sandbox-core"*) fail "a second plugin is listed: $out" ;; esac

run_capture docker sandbox version
expect_eq "$rc" 0 "docker sandbox version ($err)"
expect_contains "$out" "Client: docker-sandbox" "version's client section"
expect_contains "$out" "Version:       $(docker version --format '{{.Server.Version}}')" "version reaches the engine"

run_capture docker sandbox run "$IMAGE" true
expect_eq "$rc" 0 "docker sandbox run IMAGE true ($err)"
run_capture docker sandbox run "$IMAGE" sh -c 'grep NoNewPrivs /proc/self/status'
expect_contains "$out" "NoNewPrivs:	1" "the run is hardened"
expect_no_leftovers
