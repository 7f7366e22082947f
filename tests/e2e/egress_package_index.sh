#!/usr/bin/env bash
# Real tools through run --allow-host: pip download and npm install from a local package index (a
# Python web server in the Debian image, on a network of the test's own), over HTTP and over HTTPS
# with a test CA the sandbox is told to trust, with only the index's host allowed. With another host
# allowed instead, both fail, and the log says the proxy refused the index. Nothing is left behind.
source "$(dirname "$0")/common.sh"
command -v openssl >/dev/null || skip "needs openssl on the host (bash tests/tools/install-deps.sh --tests)"
command -v python3 >/dev/null || skip "needs python3 on the host (to make the packages)"
debian=docker-sandbox-debian:latest
bash "$SANDBOX_SOURCE_DIR/tests/tools/make-debian-image.sh" "$debian" >/dev/null

id=$$$RANDOM
net=sbx-e2e-index-net-$id
index=sbx-e2e-index-$id
on_exit "docker rm -f $index >/dev/null 2>&1"
on_exit "docker network rm $net >/dev/null 2>&1"
docker network create "$net" >/dev/null
mkdir -p "$TEST_DIR/srv/tls"
# Serves /srv/www over HTTP on 80, and over HTTPS on 443 once the test has written the certificate
# (it names the server's address, known only once it runs).
cat >"$TEST_DIR/srv/serve.py" <<'PY'
import functools, http.server, os, ssl, threading, time
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory="/srv/www")
def https():
    while not os.path.exists("/srv/tls/ready"):
        time.sleep(0.1)
    server = http.server.ThreadingHTTPServer(("", 443), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain("/srv/tls/server.pem", "/srv/tls/server.key")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()
threading.Thread(target=https, daemon=True).start()
http.server.ThreadingHTTPServer(("", 80), handler).serve_forever()
PY
docker run -d --name "$index" --network "$net" --network-alias index.test -v "$TEST_DIR/srv:/srv:ro" "$debian" \
  python3 /srv/serve.py >/dev/null
index_ip=$(docker inspect -f "{{(index .NetworkSettings.Networks \"$net\").IPAddress}}" "$index")
[ -n "$index_ip" ] || fail "the index has no address"

# Podman 4.3's CNI networks resolve no names (see egress_allowlist): there the index is its address.
host=index.test
engine_is_podman && host=$index_ip

# A test CA and the index's certificate, for its name and its address.
(
  cd "$TEST_DIR/srv/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=docker-sandbox-e2e-ca
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=index.test
  printf 'subjectAltName=DNS:index.test,IP:%s\n' "$index_ip" >san.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext
  chmod 644 server.key
  touch ready
) >"$TEST_DIR/openssl.log" 2>&1 || { cat "$TEST_DIR/openssl.log"; fail "openssl"; }

# The packages: a wheel on a simple index, and an npm package (its document and tarball) once for
# each scheme, since the document names the tarball's URL.
python3 "$SANDBOX_SOURCE_DIR/tests/e2e/lib/make_wheel.py" "$TEST_DIR/srv/www/simple/hello-sbx" "hi from the index"
wheel=hello_sbx-1.0-py3-none-any.whl
printf '<html><body><a href="%s">%s</a></body></html>\n' "$wheel" "$wheel" > "$TEST_DIR/srv/www/simple/hello-sbx/index.html"
HOST=$host python3 - "$TEST_DIR/srv/www" <<'PY'
import base64, hashlib, io, json, os, sys, tarfile
www, host = sys.argv[1], os.environ["HOST"]
tarball = io.BytesIO()
with tarfile.open(fileobj=tarball, mode="w:gz") as archive:
    for name, text in {"package/package.json": '{"name": "hello-sbx-js", "version": "1.0.0", "main": "index.js"}\n',
                       "package/index.js": "exports.hi = () => 'hi from the registry';\n"}.items():
        info = tarfile.TarInfo(name)
        info.size = len(text.encode())
        archive.addfile(info, io.BytesIO(text.encode()))
data = tarball.getvalue()
integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
for scheme in ("http", "https"):
    os.makedirs(f"{www}/npm-{scheme}")
    with open(f"{www}/npm-{scheme}/hello-sbx-js-1.0.0.tgz", "wb") as out:
        out.write(data)
    version = {"name": "hello-sbx-js", "version": "1.0.0", "main": "index.js",
               "dist": {"tarball": f"{scheme}://{host}/npm-{scheme}/hello-sbx-js-1.0.0.tgz",
                        "shasum": hashlib.sha1(data).hexdigest(), "integrity": integrity}}
    with open(f"{www}/npm-{scheme}/hello-sbx-js", "w") as out:
        json.dump({"name": "hello-sbx-js", "dist-tags": {"latest": "1.0.0"}, "versions": {"1.0.0": version}}, out)
PY

mkdir project && cd project
cp "$TEST_DIR/srv/tls/ca.pem" .
# RULE SCHEME: pip download and npm install from the index, trusting the test CA (pip wants a plain
# HTTP index named as trusted; over HTTPS it checks the certificate); the egress log in $TEST_DIR/log.
tools() {
  local trusted=""
  [ "$2" = https ] || trusted="--trusted-host $host"
  run_capture docker sandbox run --allow-host "$1" --egress-network "$net" --egress-log "$TEST_DIR/log" \
    -e PIP_CERT=/workspace/ca.pem -e NODE_EXTRA_CA_CERTS=/workspace/ca.pem "$debian" sh -c "
      pip download --quiet --no-deps --no-cache-dir --disable-pip-version-check --retries 0 --timeout 10 $trusted \
        --index-url $2://$host/simple/ -d /tmp/dl hello-sbx && ls /tmp/dl &&
      cd /tmp && npm install --registry $2://$host/npm-$2/ --fetch-retries 0 --no-audit --no-fund \
        --no-update-notifier --loglevel error hello-sbx-js >/dev/null &&
      node -e \"console.log(require('hello-sbx-js').hi())\""
  log=$(cat "$TEST_DIR/log" 2>/dev/null || true)
}

for scheme in http https; do
  port=$([ "$scheme" = http ] && echo 80 || echo 443)
  tools "$host:$port" "$scheme"
  expect_eq "$rc" 0 "pip and npm over $scheme with only the index allowed ($err)"
  expect_eq "$out" "hello_sbx-1.0-py3-none-any.whl
hi from the registry" "what they fetched over $scheme"
  expect_contains "$log" "\"host\":\"$host\",\"port\":$port,\"address\":\"$index_ip\",\"decision\":\"allowed\"" \
    "the log's allowed line over $scheme"
  case "$log" in *'"decision":"denied"'*) fail "a request was refused over $scheme: $log" ;; esac
  case "$scheme" in https) expect_contains "$log" '"method":"CONNECT"' "HTTPS goes through CONNECT" ;; esac

  tools "other.test:$port" "$scheme"
  [ "$rc" != 0 ] || fail "pip over $scheme reached the index with only another host allowed ($out)"
  expect_contains "$log" "\"host\":\"$host\",\"port\":$port,\"address\":\"\",\"decision\":\"denied\"" \
    "the log's refusal over $scheme"
  expect_contains "$err" "egress: 0 allowed" "the summary over $scheme"
done

expect_no_leftovers
