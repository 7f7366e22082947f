#!/usr/bin/env bash
# The egress proxy binary alone in a container of a file-less image, as an unprivileged user with no
# capability on a read-only root, as `run --allow-host` will start it: uploaded into a volume of the
# container (the archive API refuses a read-only root), it resolves names through the engine (a
# static binary with no NSS files), forwards and tunnels to an allowed host and refuses the others,
# and its decisions are the container's log.
source "$(dirname "$0")/common.sh"
: "${SANDBOX_EGRESS_PROXY:?run through ctest (SANDBOX_EGRESS_PROXY is the built egress proxy)}"

id=$$$RANDOM
net=sbx-e2e-egress-$id
empty=sbx-e2e-empty:$id
proxy=sbx-e2e-egress-proxy-$id
web=sbx-e2e-egress-web-$id
on_exit "docker rm -f -v $proxy $web >/dev/null 2>&1"
on_exit "docker network rm $net >/dev/null 2>&1"
on_exit "docker rmi $empty >/dev/null 2>&1"

tar -cf - --files-from /dev/null | docker import - "$empty" >/dev/null
docker network create "$net" >/dev/null
docker run -d --name "$web" --network "$net" --network-alias web.test --network-alias a.mirror.test "$IMAGE" \
  sh -c 'mkdir -p /tmp/www && echo hello-from-web > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www' >/dev/null

mkdir upload
cp "$SANDBOX_EGRESS_PROXY" upload/docker-sandbox-egress-proxy
echo '{"allow": ["web.test:8080", "*.mirror.test:8080", "localhost:8080"]}' >upload/config.json
chmod 755 upload/docker-sandbox-egress-proxy
chmod 644 upload/config.json
docker create --name "$proxy" --network "$net" --user 65534:65534 --read-only --cap-drop ALL \
  --security-opt no-new-privileges -v /egress --entrypoint /egress/docker-sandbox-egress-proxy "$empty" 3128 /egress/config.json >/dev/null
tar -C upload -cf - docker-sandbox-egress-proxy config.json | docker cp - "$proxy:/egress"
docker start "$proxy" >/dev/null
for _ in $(seq 100); do
  docker logs "$proxy" 2>&1 | grep -q '"listening":"0.0.0.0:3128"' && break
  sleep 0.1
done
expect_contains "$(docker logs "$proxy" 2>&1)" '"listening":"0.0.0.0:3128"' "the proxy's first line"

client() {
  run_capture docker run --rm --network "$net" -e "http_proxy=http://$proxy:3128" "$IMAGE" sh -c "$1"
}
client 'wget -qO- http://web.test:8080/'
expect_eq "$out" "hello-from-web" "a GET forwarded to an allowed name"
client 'wget -qO- http://a.mirror.test:8080/'
expect_eq "$out" "hello-from-web" "a GET forwarded to a name under a wildcard"
client "printf 'CONNECT web.test:8080 HTTP/1.1\r\n\r\nGET / HTTP/1.0\r\n\r\n' | nc $proxy 3128"
expect_contains "$out" "HTTP/1.1 200 Connection established" "a CONNECT to an allowed name"
expect_contains "$out" "hello-from-web" "the tunnel's reply"
client 'wget -qO- http://elsewhere.test:8080/'
expect_contains "$err" "403" "a name no rule allows"
client 'wget -qO- http://localhost:8080/'
expect_contains "$err" "403" "an allowed name that resolves to loopback"

log=$(docker logs "$proxy" 2>&1)
expect_contains "$log" '"method":"GET","host":"web.test","port":8080,"address":"' "the forwarded GET's log line"
expect_contains "$log" '"method":"CONNECT","host":"web.test","port":8080' "the CONNECT's log line"
expect_contains "$log" '"host":"elsewhere.test","port":8080,"address":"","decision":"denied","reason":"no rule allows elsewhere.test:8080"' \
  "the unlisted name's log line"
expect_contains "$log" '"address":"127.0.0.1","decision":"denied","reason":"localhost resolves to 127.0.0.1, a loopback address' \
  "the loopback name's log line"
expect_eq "$(printf '%s\n' "$log" | grep -vc '^{"time":"')" 0 "lines of the proxy that are not log lines"
docker stop -t 5 "$proxy" >/dev/null
expect_eq "$(docker inspect -f '{{.State.ExitCode}}' "$proxy")" 0 "the proxy's exit code after docker stop"
