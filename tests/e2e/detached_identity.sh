# A detached sandbox is as locked down as a run: the same uid, no capability, no-new-privileges, a
# read-only root, read from inside; its init (pid 1) runs as the sandbox user, cannot be read or
# traced by the sandbox's processes (not dumpable), and sits read-only where they cannot change it;
# neither the sandbox's own touches of the init nor an image's health check keep it from idling out.
source "$(dirname "$0")/common.sh"

probe='id -u; id -g; grep -E "^(CapEff|NoNewPrivs):" /proc/self/status; touch /probe 2>/dev/null && echo root-writable || echo root-read-only'
run_capture docker sandbox run "$IMAGE" sh -c "$probe"
expect_eq "$rc" 0 "run"
expected=$out

run_capture docker sandbox run -d "$IMAGE" sleep 1000
expect_eq "$rc" 0 "run -d"
name=$out
on_exit "docker rm -f $name >/dev/null 2>&1"
expect_eq "$(docker exec "$name" sh -c "$probe")" "$expected" "a detached sandbox's identity, read from inside"
run_capture docker exec "$name" sh -c 'grep -E "^(Uid|CapEff|NoNewPrivs):" /proc/1/status; cat /proc/1/environ'
expect_contains "$out" "CapEff:	0000000000000000" "its init holds no capability"
uid=$(echo "$expected" | head -n 1)
expect_contains "$out" "Uid:	$uid	$uid" "its init runs as the sandbox user"
expect_contains "$err" "Permission denied" "its init is not dumpable: the sandbox cannot read or trace it"
run_capture docker exec "$name" sh -c 'echo x > /.docker-sandbox/init || rm -f /.docker-sandbox/init; grep " /.docker-sandbox " /proc/mounts'
expect_contains "$out" " ro," "the init's volume is mounted read-only"
run_capture docker exec "$name" sh -c 'cat /proc/1/cmdline | tr "\0" " "'
expect_contains "$out" "/.docker-sandbox/init " "pid 1 is the init"
expect_contains "$out" " -- sleep 1000" "which runs the command"

# An exec that outlasts --idle-timeout keeps the sandbox alive; once it is idle, it stops.
run_capture docker sandbox run -d --idle-timeout 2s "$IMAGE" sleep 1000
expect_eq "$rc" 0 "run -d --idle-timeout"
idle=$out
on_exit "docker rm -f $idle >/dev/null 2>&1"
run_capture docker exec "$idle" sh -c 'sleep 5; echo done'
expect_eq "$out" "done" "an exec longer than the idle timeout runs to its end"
expect_eq "$(docker wait "$idle")" 143 "idle, it is stopped"
expect_contains "$(docker logs "$idle" 2>&1)" "idle for its --idle-timeout" "its log says why"

# The sandbox cannot keep itself alive: its own touches of the init are not counted, nor are an
# image's health-check probes (the create turns them off).
run_capture docker sandbox run -d --idle-timeout 3s "$IMAGE" sh -c 'while :; do kill -37 1; sleep 1; done'
expect_eq "$rc" 0 "run -d of a sandbox that touches its own init"
toucher=$out
on_exit "docker rm -f $toucher >/dev/null 2>&1"
expect_eq "$(docker wait "$toucher")" 143 "its own touches do not keep it alive"
docker sandbox rm "$toucher" >/dev/null
# (Podman 4.3's compat commit refuses a HEALTHCHECK change, "Decode(): EOF": no such image to make.)
if ! engine_is_podman; then
  probing=sbx-e2e-healthcheck:$$
  probe_base=$(docker create "$IMAGE" true)
  docker commit --change 'HEALTHCHECK --interval=1s --timeout=1h CMD sleep 3600' "$probe_base" "$probing" >/dev/null
  docker rm "$probe_base" >/dev/null
  on_exit "docker rmi $probing >/dev/null 2>&1"
  run_capture docker sandbox run -d --idle-timeout 3s "$probing" sleep 1000
  expect_eq "$rc" 0 "run -d of an image with a health check"
  checked=$out
  on_exit "docker rm -f $checked >/dev/null 2>&1"
  expect_eq "$(docker wait "$checked")" 143 "an image's health check does not keep it alive"
  docker sandbox rm "$checked" >/dev/null
fi

# An image that names no command, and none given: refused before anything is made, as docker does.
docker sandbox rm -f "$name" "$idle" >/dev/null
empty=sbx-e2e-no-command:$$
tar -cf - --files-from /dev/null | docker import - "$empty" >/dev/null
on_exit "docker rmi $empty >/dev/null 2>&1"
run_capture docker sandbox run -d "$empty"
expect_eq "$rc" 125 "run -d without a command"
expect_contains "$err" "no command: the image names none, and none was given" "says why"
expect_no_leftovers
