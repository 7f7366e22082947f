# CPack builds a .deb, an .rpm and a .tar.gz; the .deb passes lintian without errors, declares its
# Debian dependencies, and, unpacked into a scratch root used as a plugin directory, gives a
# working `docker sandbox` (version and a sandboxed command) whose path `docker info` shows.
source "$(dirname "$0")/common.sh"

: "${SANDBOX_BUILD_DIR:?}"
(cd "$SANDBOX_BUILD_DIR" && cpack -B "$TEST_DIR/packages" >"$TEST_DIR/cpack.log" 2>&1) || { cat "$TEST_DIR/cpack.log"; fail "cpack failed"; }
deb=$(ls "$TEST_DIR"/packages/docker-sandbox_*_amd64.deb)
rpm=$(ls "$TEST_DIR"/packages/docker-sandbox-*.rpm)
tgz=$(ls "$TEST_DIR"/packages/docker-sandbox_*.tar.gz)

run_capture lintian --allow-root --fail-on error "$deb"
expect_eq "$rc" 0 "lintian ($out)"

depends=$(dpkg-deb -f "$deb" Depends)
for lib in libcpp-httplib libssl3 libstdc++6; do
  expect_contains "$depends" "$lib" "Depends"
done
contents=$(dpkg-deb -c "$deb")
for path in ./usr/libexec/docker/cli-plugins/docker-sandbox ./usr/libexec/docker-sandbox/docker-sandbox-core \
  ./usr/share/man/man1/docker-sandbox.1.gz ./usr/share/bash-completion/completions/docker-sandbox \
  ./usr/share/zsh/vendor-completions/_docker-sandbox ./usr/share/fish/vendor_completions.d/docker-sandbox.fish; do
  expect_contains "$contents" "$path" "deb contents"
done
expect_contains "$(rpm -qlp "$rpm" 2>/dev/null)" "/usr/libexec/docker/cli-plugins/docker-sandbox" "rpm contents"
expect_contains "$(tar tzf "$tgz")" "usr/libexec/docker-sandbox/docker-sandbox-core" "tar contents"

root="$TEST_DIR/root"
dpkg -x "$deb" "$root"
zcat "$root/usr/share/man/man1/docker-sandbox.1.gz" | grep -q '^\.SS run' || fail "the man page lacks the run command"

# The unpacked tree as a plugin directory, through config.json's cliPluginsExtraDirs.
rm -f "$DOCKER_CONFIG/cli-plugins/docker-sandbox"
printf '{"cliPluginsExtraDirs": ["%s"]}\n' "$root/usr/libexec/docker/cli-plugins" > "$DOCKER_CONFIG/config.json"
run_capture docker info --format '{{range .ClientInfo.Plugins}}{{.Name}} {{.Path}}{{"\n"}}{{end}}'
expect_contains "$out" "sandbox $root/usr/libexec/docker/cli-plugins/docker-sandbox" "docker info shows the installed plugin"

run_capture docker sandbox version
expect_eq "$rc" 0 "installed version ($err)"
expect_contains "$out" "Version:       $(docker version --format '{{.Server.Version}}')" "installed version reaches the engine"

run_capture docker sandbox run "$IMAGE" sh -c 'id -u; cat /proc/self/status | grep NoNewPrivs'
expect_eq "$rc" 0 "installed run ($err)"
expect_contains "$out" "NoNewPrivs:	1" "installed run is hardened"
expect_no_leftovers
