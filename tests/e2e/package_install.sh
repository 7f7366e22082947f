# CPack builds a .deb, an .rpm and a .tar.gz of the one self-contained file, its completions and
# man page. The .deb depends on libc alone and only suggests an engine; lintian --pedantic and
# rpmlint report nothing but the tags packaging/README.md explains. In a bookworm container whose
# docker CLI was installed by hand, `apt install ./x.deb` installs that one package and nothing
# else, and the plugin works there (through `docker`, and standalone on PATH with its bash
# completion). The .deb unpacked into a scratch root serves as a plugin directory on the host too.
source "$(dirname "$0")/common.sh"

: "${SANDBOX_BUILD_DIR:?}"
(cd "$SANDBOX_BUILD_DIR" && cpack -B "$TEST_DIR/packages" >"$TEST_DIR/cpack.log" 2>&1) || { cat "$TEST_DIR/cpack.log"; fail "cpack failed"; }
deb=$(ls "$TEST_DIR"/packages/docker-sandbox_*_amd64.deb)
rpm=$(ls "$TEST_DIR"/packages/docker-sandbox-*.rpm)
tgz=$(ls "$TEST_DIR"/packages/docker-sandbox_*.tar.gz)

# Clean: lintian's overrides (packaging/lintian-overrides) and rpmlint's filters
# (packaging/docker-sandbox.rpmlintrc) hold the tags packaging/README.md explains, nothing else.
run_capture lintian --allow-root --pedantic --info "$deb"
expect_eq "$rc" 0 "lintian exit status ($out $err)"
expect_eq "$(printf '%s\n' "$out" | grep -E '^[EWIPX]: ' || true)" "" "lintian --pedantic tags"
command -v rpmlint >/dev/null || skip "rpmlint is not installed (bash tests/tools/install-deps.sh --tests)"
run_capture rpmlint -r "$SANDBOX_SOURCE_DIR/packaging/docker-sandbox.rpmlintrc" "$rpm"
expect_eq "$rc" 0 "rpmlint exit status ($out)"
expect_contains "$out" "0 errors, 0 warnings" "rpmlint"

depends=$(dpkg-deb -f "$deb" Depends)
expect_eq "$(printf '%s' "$depends" | sed 's/ (.*//')" "libc6" "the .deb depends on libc alone"
expect_eq "$(dpkg-deb -f "$deb" Recommends)" "" "the .deb recommends nothing (apt would install it)"
expect_contains "$(dpkg-deb -f "$deb" Suggests)" "docker.io" "the .deb suggests an engine"
contents=$(dpkg-deb -c "$deb")
for path in ./usr/libexec/docker-sandbox/docker-sandbox "./usr/libexec/docker/cli-plugins/docker-sandbox -> " \
  "./usr/bin/docker-sandbox -> " ./usr/share/man/man1/docker-sandbox.1.gz ./usr/share/man/man1/docker-sandbox-run.1.gz \
  ./usr/share/man/man1/docker-sandbox-volume-get.1.gz ./usr/share/bash-completion/completions/docker-sandbox \
  ./usr/share/zsh/vendor-completions/_docker-sandbox ./usr/share/fish/vendor_completions.d/docker-sandbox.fish; do
  expect_contains "$contents" "$path" "deb contents"
done
case "$contents" in *sandbox-core*) fail "the .deb still ships a second executable" ;; esac

rpm_files=$(rpm -qlp "$rpm" 2>/dev/null)
for path in /usr/libexec/docker/cli-plugins/docker-sandbox /usr/bin/docker-sandbox /usr/share/zsh/site-functions/_docker-sandbox; do
  expect_contains "$rpm_files" "$path" "rpm contents"
done
rpm_info=$(rpm -qip "$rpm" 2>/dev/null)
expect_contains "$rpm_info" "Packager    : docker-sandbox maintainers" "rpm packager"
expect_contains "$rpm_info" "locked down by default" "rpm description"
tgz_files=$(tar tzf "$tgz")
for path in usr/libexec/docker-sandbox/docker-sandbox usr/bin/docker-sandbox usr/share/man/man1/docker-sandbox.1.gz \
  usr/share/bash-completion/completions/docker-sandbox; do
  expect_contains "$tgz_files" "$path" "tar contents"
done

root="$TEST_DIR/root"
dpkg -x "$deb" "$root"
zcat "$root/usr/share/man/man1/docker-sandbox.1.gz" | grep -q 'docker\\-sandbox\\-run (1)' || fail "docker-sandbox(1) does not point to docker-sandbox-run(1)"
zcat "$root/usr/share/man/man1/docker-sandbox-run.1.gz" | grep -q '^\.SH OPTIONS' || fail "docker-sandbox-run(1) lacks its options"

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

# apt install in a bookworm container (tests/tools/make-debian-image.sh, from Debian's packages)
# with the docker CLI installed by hand in /usr/local/bin and the engine's socket. Its package
# lists come from Debian's mirror, so a Recommends of the engine would be installed: the count of
# newly installed packages shows the dependencies are weak enough.
socket=/var/run/docker.sock
[ -S "$socket" ] || skip "no engine socket at $socket to hand to the container"
docker_cli=$(command -v docker)
ldd "$docker_cli" >/dev/null 2>&1 && skip "the docker CLI is not a static binary to copy into the container"
debian=docker-sandbox-debian:latest
bash "$SANDBOX_SOURCE_DIR/tests/tools/make-debian-image.sh" "$debian" >/dev/null
cp "$deb" "$TEST_DIR/docker-sandbox.deb"
run_capture docker run --rm -v "$socket:$socket" -v "$docker_cli:/usr/local/bin/docker:ro" -v "$TEST_DIR/docker-sandbox.deb:/tmp/docker-sandbox.deb:ro" \
  -e IMAGE="$IMAGE" -w /root "$debian" bash -c '
  set -e
  apt-get update -q >/tmp/update.log 2>&1 || { echo "NO-MIRROR"; exit 0; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y /tmp/docker-sandbox.deb >/tmp/install.log 2>&1 || { cat /tmp/install.log; exit 1; }
  grep -E "^[0-9]+ upgraded, [0-9]+ newly installed" /tmp/install.log
  docker sandbox version | grep -m1 "^Client: docker-sandbox"
  docker-sandbox --help | grep -m1 "^Usage:"
  bash -c "source /usr/share/bash-completion/bash_completion; source <(docker-sandbox completion bash); complete -p docker-sandbox"
  mkdir -p project && cd project && docker sandbox run --output none "$IMAGE" echo ran-in-sandbox'
[ "$out" != "NO-MIRROR" ] || skip "no Debian mirror reachable from a container (apt-get update failed)"
expect_eq "$rc" 0 "apt install and use in a container ($err $out)"
expect_contains "$out" "0 upgraded, 1 newly installed" "apt installs the plugin and nothing else"
expect_contains "$out" "Client: docker-sandbox" "docker sandbox version after apt install"
expect_contains "$out" "Usage:" "docker-sandbox on PATH"
expect_contains "$out" "complete -F" "the standalone bash completion loads"
expect_contains "$out" "ran-in-sandbox" "docker sandbox run after apt install"
expect_no_leftovers
