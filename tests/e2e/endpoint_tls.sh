# tcp:// with TLS: --tlsverify and the cert flags, DOCKER_TLS_VERIFY with DOCKER_CERT_PATH, and a
# context with stored TLS material all reach the engine through a TLS terminator (socat) in front
# of the real socket; a certificate the CA did not sign fails with a clear one-line error.
source "$(dirname "$0")/common.sh"
command -v openssl >/dev/null && command -v socat >/dev/null || skip "needs openssl and socat"

certs="$TEST_DIR/certs"
mkdir -p "$certs"
cd "$certs"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=sbx-test-ca -keyout ca-key.pem -out ca.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server-key.pem -out server.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' > san.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 1 -extfile san.ext -out server.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=client -keyout key.pem -out client.csr 2>/dev/null
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 1 -out cert.pem 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=other-ca -keyout other-key.pem -out other-ca.pem 2>/dev/null
cd "$TEST_DIR"

port=$((20000 + RANDOM % 20000))
socat "OPENSSL-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork,cert=$certs/server.pem,key=$certs/server-key.pem,cafile=$certs/ca.pem,verify=1" \
  UNIX-CONNECT:/var/run/docker.sock &
socat_pid=$!
on_exit "kill $socat_pid"
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

engine_version=$(docker version --format '{{.Server.Version}}')
host="tcp://127.0.0.1:$port"

run_capture docker --tlsverify --tlscacert "$certs/ca.pem" --tlscert "$certs/cert.pem" --tlskey "$certs/key.pem" -H "$host" sandbox version
expect_eq "$rc" 0 "--tlsverify flags ($err)"
expect_contains "$out" "Version:       $engine_version" "engine version over TLS"
expect_contains "$out" "Endpoint:      $host" "TLS endpoint"

run_capture env DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$certs" DOCKER_HOST="$host" docker sandbox run "$IMAGE" echo over-tls
expect_eq "$rc" 0 "DOCKER_TLS_VERIFY + run ($err)"
expect_eq "$out" "over-tls" "run output over TLS (hijacked attach)"

out=$(head -c 200000 /dev/urandom | tee "$TEST_DIR/stdin.bin" | env DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$certs" DOCKER_HOST="$host" \
  docker sandbox run -i "$IMAGE" md5sum)
expect_eq "${out%% *}" "$(md5sum < "$TEST_DIR/stdin.bin" | cut -d' ' -f1)" "stdin forwarded over TLS (-i)"

docker context create sbx-e2e-tls --docker "host=$host,ca=$certs/ca.pem,cert=$certs/cert.pem,key=$certs/key.pem" >/dev/null
run_capture docker --context sbx-e2e-tls sandbox version
expect_eq "$rc" 0 "context with TLS material ($err)"
expect_contains "$out" "Context:       sbx-e2e-tls" "TLS context"

run_capture docker --tlsverify --tlscacert "$certs/other-ca.pem" --tlscert "$certs/cert.pem" --tlskey "$certs/key.pem" -H "$host" sandbox version
expect_eq "$rc" 1 "untrusted server exit code"
expect_contains "$err" "$host" "TLS failure names the endpoint"
expect_contains "$err" "TLS" "TLS failure says TLS"
expect_eq "$(printf '%s\n' "$err" | wc -l)" 1 "TLS failure is one line"

# An engine that wants a client certificate, asked without one, says so in one line, whether TLS
# 1.3's certificate_required alert (sent after the handshake) is read or arrives while the request
# is still being written (then OpenSSL's own error is generic): the handshake told us it asked.
run_capture docker --tlsverify --tlscacert "$certs/ca.pem" -H "$host" sandbox version
expect_eq "$rc" 1 "no client certificate exit code"
expect_contains "$err" "the engine wants a client certificate" "no client certificate is named"
expect_eq "$(printf '%s\n' "$err" | wc -l)" 1 "no client certificate: one line ($err)"

run_capture env DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$TEST_DIR/nowhere" DOCKER_HOST="$host" docker sandbox version
expect_eq "$rc" 1 "missing ca.pem exit code"
expect_contains "$err" "$TEST_DIR/nowhere/ca.pem" "missing ca.pem is named"
expect_no_leftovers
