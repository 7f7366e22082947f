# docker run's habits, measured from inside: the spellings of our defaults change nothing and say
# nothing; --hostname, --shm-size, --ulimit and --platform apply as docker applies them; --net, --security-opt no-new-privileges:false and seccomp=unconfined are our flags
# (with their warnings); docker's grammar for combined short flags; docker run's flags we do not
# take are one line each, before anything is created; -it with piped stdin is docker's refusal.
source "$(dirname "$0")/common.sh"

status_fields='grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status | tr -d " \t"; touch /rootfs-write 2>/dev/null && echo root=writable || echo root=read-only'
defaults="$(printf 'CapEff:0000000000000000\nNoNewPrivs:1\nSeccomp:2\nroot=read-only')"

run_capture docker sandbox run --rm --read-only --init --cap-drop ALL --cap-drop net_raw \
  --security-opt no-new-privileges --security-opt no-new-privileges:true --security-opt no-new-privileges=true \
  --net none --writable-root=false "$IMAGE" sh -c "$status_fields"
expect_eq "$rc" 0 "docker's spellings of the defaults ($err)"
expect_eq "$out" "$defaults" "the defaults, unchanged"
expect_eq "$err" "" "and nothing said"

# docker's idiom for "only this capability" is what a sandbox does anyway.
run_capture docker sandbox run --user 0 --cap-drop ALL --cap-add NET_BIND_SERVICE "$IMAGE" sh -c "$status_fields"
expect_eq "$rc" 0 "--cap-drop ALL --cap-add NET_BIND_SERVICE ($err)"
expect_eq "$(printf '%s\n' "$out" | head -1)" "CapEff:0000000000000400" "exactly NET_BIND_SERVICE"

run_capture docker sandbox run --security-opt no-new-privileges:false --security-opt seccomp=unconfined "$IMAGE" sh -c "$status_fields"
expect_eq "$rc" 0 "--security-opt relaxations ($err)"
expect_eq "$out" "$(printf 'CapEff:0000000000000000\nNoNewPrivs:0\nSeccomp:0\nroot=read-only')" "as --allow-new-privileges and --seccomp-profile unconfined"
expect_contains "$err" "setuid programs can gain privileges" "no-new-privileges:false warns as --allow-new-privileges"
expect_contains "$err" "no system call filter" "seccomp=unconfined warns as --seccomp-profile unconfined"

# docker run's settings that leave the walls as they are, measured from inside. (Both nofile and
# nproc are given: Podman 4.3, given any --ulimit, raises the ones not given to 1048576, which a
# host without CAP_SYS_RESOURCE in its bounding set, such as this CI's, refuses.)
run_capture docker sandbox run -h box --shm-size 128m --ulimit nofile=1024:2048 --ulimit nproc=300 \
  --platform linux/amd64 --output none "$IMAGE" \
  sh -c 'hostname; df -k /dev/shm | tail -1 | tr -s " " | cut -d" " -f2; ulimit -Sn; ulimit -Hn; ulimit -u'
expect_eq "$rc" 0 "--hostname, --shm-size, --ulimit, --platform ($err)"
expect_eq "$out" "$(printf 'box\n131072\n1024\n2048\n300')" "host name, /dev/shm in KiB, nofile soft and hard, nproc"
expect_eq "$err" "" "none of them warns"

# pflag's grammar: -ie K=V gives -e its value, -e=K=V and -eK=V too; a value keeps its line
# breaks; the last value of a boolean wins.
run_capture sh -c "echo piped | docker sandbox run -ie K=V -e=L=W -eM=X --output none $IMAGE sh -c 'cat; echo \$K \$L \$M'"
expect_eq "$rc" 0 "combined short flags ($err)"
expect_eq "$out" "$(printf 'piped\nV W X')" "-ie K=V, -e=L=W, -eM=X"
run_capture docker sandbox run -e "PEM=$(printf 'line 1\nline 2')" --output none "$IMAGE" sh -c 'printf "%s\n" "$PEM"'
expect_eq "$rc" 0 "a value with a line break ($err)"
expect_eq "$out" "$(printf 'line 1\nline 2')" "the value, whole"
run_capture docker sandbox run --writable-root --writable-root=false --output none "$IMAGE" sh -c "$status_fields"
expect_eq "$out" "$defaults" "--writable-root then --writable-root=false: read-only"
expect_eq "$err" "" "and nothing said"

# Refused in one line, exit 125, nothing created (the output directory included).
mkdir -p refusals
cd refusals
refused() { # EXPECTED-TEXT ARGS...
  local expected=$1
  shift
  run_capture docker sandbox run "$@" "$IMAGE" true
  expect_eq "$rc" 125 "$* exit code"
  expect_contains "$err" "$expected" "$* says why"
  expect_eq "$(printf '%s\n' "$err" | grep -vc '^hint: ')" 1 "$*: one line ($err)"
}
refused "docker run's --publish-all is not taken by docker sandbox run: a sandbox publishes only the ports named with -p" -P
refused "-d cannot be combined with --timeout: a detached sandbox ends at its --ttl" -d --timeout 5s
refused "docker run's --privileged is not taken" --privileged
refused "docker run's --add-host is not taken" --add-host db:10.0.0.1
refused "--security-opt apparmor=unconfined is not taken" --security-opt apparmor=unconfined
refused "invalid --cap-drop" --cap-drop 'NET RAW'
refused "--init and --no-init contradict" --init --no-init
refused 'invalid argument "maybe" for "--tty" flag' --tty=maybe
refused "--rm=false is not taken: a sandbox is removed when it exits, and --keep keeps it" --rm=false
refused "--read-only contradicts --writable-root" --read-only --writable-root
refused "--security-opt no-new-privileges contradicts --allow-new-privileges" --security-opt no-new-privileges --allow-new-privileges
refused "--cap-drop NET_RAW contradicts --cap-add net_raw" --cap-add net_raw --cap-drop NET_RAW
refused "--ulimit rtprio is not taken" --ulimit rtprio=99
refused "unknown flag: --frobnicate" --frobnicate
expect_no_leftovers

[ ! -e output ] || fail "a refused run created the output directory"
cd ..

# -it with a stdin that is not a terminal: docker run's refusal, its words and exit code.
run_capture sh -c "echo hi | docker sandbox run -it $IMAGE cat"
expect_eq "$rc" 1 "-it with piped stdin exit code"
expect_eq "$err" "docker sandbox: run: the input device is not a TTY" "-it with piped stdin"
expect_no_leftovers
