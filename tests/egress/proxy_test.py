"""The egress proxy as a program: one behaviour per case, against the real binary on loopback.

usage: proxy_test.py PROXY_BINARY CASE

Each case starts the proxy with its own configuration, and the servers it needs on 127.0.0.1 (a TCP
echo, an HTTP origin), talks to the proxy as a sandboxed program would, and checks both what the
client gets and the log line the proxy writes. No engine, no network beyond loopback.
"""
import atexit
import http.server
import json
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

BINARY = sys.argv[1]
TIMEOUT = 10


def fail(what):
    print("FAIL:", what, file=sys.stderr)
    sys.exit(1)


def check(condition, what):
    if not condition:
        fail(what)


class EchoServer:
    """Echoes every byte; when the client half-closes, sends "<n> bytes, bye" and closes."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=512)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            conn, _ = self.sock.accept()
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        total = 0
        with conn:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                total += len(data)
                conn.sendall(data)
            conn.sendall(b"%d bytes, bye" % total)


class Origin(http.server.BaseHTTPRequestHandler):
    """An HTTP origin that answers with what it received: the request line, headers and body size."""

    protocol_version = "HTTP/1.1"
    seen = []

    def answer(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        Origin.seen.append({"line": self.requestline, "headers": dict(self.headers), "body": len(body)})
        reply = json.dumps(Origin.seen[-1]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_GET = answer
    do_POST = answer

    def log_message(self, *args):
        pass


def start_origin():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Origin)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class Proxy:
    """The proxy binary on 127.0.0.1 with `config`; collects its stdout lines."""

    def __init__(self, config, hosts=None):
        path = os.path.join(scratch_dir(), "config.json")
        with open(path, "w") as f:
            json.dump(config, f)
        argv = [BINARY, "127.0.0.1:0", path]
        if hosts:  # names of the case's own: its hosts file as /etc/hosts, in a mount namespace of the proxy's
            user = [] if os.geteuid() == 0 else ["--map-root-user"]
            argv = ["unshare", "--mount", *user, "sh", "-c", 'mount --bind "$0" /etc/hosts && exec "$@"', hosts] + argv
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        atexit.register(self.process.kill)  # a failed check exits at once; the proxy must not outlive it
        self.lines = []
        self.changed = threading.Condition()
        threading.Thread(target=self.read, daemon=True).start()
        first = self.wait_line(lambda line: "listening" in line)
        self.port = int(first["listening"].rsplit(":", 1)[1])

    def read(self):
        for raw in self.process.stdout:
            try:
                line = json.loads(raw)
            except ValueError:
                line = {"not_json": raw.decode(errors="replace")}
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()

    def wait_line(self, predicate, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for line in self.lines:
                    if predicate(line):
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    fail("no such log line; the proxy wrote %r, stderr %r" % (self.lines, self.stderr()))
                self.changed.wait(left)

    def decisions(self):
        with self.changed:
            return [line for line in self.lines if "decision" in line]

    def stderr(self):
        if self.process.poll() is None:
            return "(running)"
        return self.process.stderr.read().decode(errors="replace")

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)

    def stop(self):
        self.process.terminate()
        code = self.process.wait(timeout=TIMEOUT)
        check(code == 0, "the proxy exited with %d on SIGTERM" % code)
        check(self.process.stderr.read() == b"", "the proxy wrote to stderr")
        for line in self.lines:
            check("not_json" not in line, "the proxy wrote a line that is not JSON: %r" % line)


def scratch_dir():
    directory = tempfile.mkdtemp(prefix="egress-proxy-test.")
    atexit.register(shutil.rmtree, directory, True)
    return directory


def config(allow, **settings):
    settings["allow"] = allow
    return settings


def read_reply_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else 0
    return status, head.decode(errors="replace"), rest


def read_all(sock, already=b""):
    data = already
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def ask(proxy, head):
    """Sends `head`, returns (status, body) of the proxy's reply, read to its end."""
    with proxy.connect() as sock:
        sock.sendall(head)
        status, _, rest = read_reply_head(sock)
        return status, read_all(sock, rest)


def tunnel(proxy, host, port):
    sock = proxy.connect()
    sock.sendall(b"CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (host.encode(), port, host.encode(), port))
    status, head, rest = read_reply_head(sock)
    return sock, status, head, rest


def recv_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


# The cases.


def case_connect_allowed():
    echo = EchoServer()
    proxy = Proxy(config(["127.0.0.1:%d" % echo.port]))
    sock, status, head, _ = tunnel(proxy, "127.0.0.1", echo.port)
    check(status == 200 and head == "HTTP/1.1 200 Connection established", "CONNECT answered %r" % head)
    payload = os.urandom(300_000)
    sock.sendall(payload)
    check(recv_exactly(sock, len(payload)) == payload, "the tunnel did not carry the bytes back")
    sock.close()
    line = proxy.wait_line(lambda l: l.get("method") == "CONNECT")
    check(line["decision"] == "allowed" and line["address"] == "127.0.0.1" and line["port"] == echo.port,
          "log line %r" % line)
    check(line["reason"] == "allowed by 127.0.0.1:%d" % echo.port, "reason %r" % line["reason"])
    check(line["bytes_up"] == len(payload), "bytes_up %r" % line)
    check(line["host"] == "127.0.0.1" and line["time"].endswith("Z") and line["duration_ms"] >= 0, "log line %r" % line)
    proxy.stop()


def case_connect_denied_loopback_name():
    echo = EchoServer()
    proxy = Proxy(config(["localhost:%d" % echo.port]))
    status, body = ask(proxy, b"CONNECT localhost:%d HTTP/1.1\r\n\r\n" % echo.port)
    check(status == 403, "a name resolving to loopback was answered %d" % status)
    expected = "localhost resolves to 127.0.0.1, a loopback address, which only an address rule allows"
    check(body.decode() == "egress denied: localhost:%d: %s\n" % (echo.port, expected), "body %r" % body)
    line = proxy.wait_line(lambda l: l.get("host") == "localhost")
    check(line["decision"] == "denied" and line["reason"] == expected and line["address"] == "127.0.0.1",
          "log line %r" % line)
    status, body = ask(proxy, b"CONNECT elsewhere.test:443 HTTP/1.1\r\n\r\n")
    check(status == 403 and body == b"egress denied: elsewhere.test:443: no rule allows elsewhere.test:443\n",
          "an unlisted name: %d %r" % (status, body))
    line = proxy.wait_line(lambda l: l.get("host") == "elsewhere.test")
    check(line["address"] == "", "an unlisted name was resolved: %r" % line)
    status, _ = ask(proxy, b"CONNECT 127.0.0.1:%d HTTP/1.1\r\n\r\n" % echo.port)
    check(status == 403, "a name rule let an address literal through")
    proxy.stop()


def case_connect_denied_gateway_name():
    """In the proxy's container the default route's gateway is the engine host, also when the engine
    is not the plugin's machine (which names only its own addresses): a name resolving to it is a
    rebinding into the engine host's services, refused but for an address rule. Here the proxy
    runs on this machine, whose gateway stands in."""
    with open("/proc/net/route") as table:
        gateways = [socket.inet_ntoa(struct.pack("=I", int(fields[2], 16))) for fields in (line.split() for line in table)
                    if len(fields) > 3 and fields[1] != "Destination" and int(fields[3], 16) & 2 and int(fields[2], 16)]
    check(gateways, "this machine has no IPv4 gateway to test with (/proc/net/route)")
    hosts = os.path.join(scratch_dir(), "hosts")
    with open(hosts, "w") as f:
        f.write("127.0.0.1 localhost\n%s gateway.test\n" % gateways[0])
    proxy = Proxy(config(["gateway.test:80"]), hosts=hosts)
    status, body = ask(proxy, b"CONNECT gateway.test:80 HTTP/1.1\r\n\r\n")
    check(status == 403, "a name resolving to the gateway was answered %d: %r" % (status, body))
    line = proxy.wait_line(lambda l: l.get("host") == "gateway.test")
    check(line["decision"] == "denied" and line["address"] == gateways[0] and "an engine host" in line["reason"],
          "log line %r" % line)
    proxy.stop()


def case_connect_name_with_address_rule():
    echo = EchoServer()
    proxy = Proxy(config(["localhost:%d" % echo.port, "127.0.0.0/8:%d" % echo.port]))
    sock, status, _, _ = tunnel(proxy, "LOCALHOST", echo.port)
    check(status == 200, "an address rule did not let the name through: %d" % status)
    sock.sendall(b"ping")
    check(recv_exactly(sock, 4) == b"ping", "no echo")
    sock.close()
    line = proxy.wait_line(lambda l: l.get("decision") == "allowed")
    check(line["reason"] == "allowed by localhost:%d and 127.0.0.0/8:%d" % (echo.port, echo.port), "reason %r" % line)
    proxy.stop()


def client_hello(server_name):
    """The first bytes a real TLS client (this Python's OpenSSL) sends for `server_name`."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname=server_name)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def case_connect_tls_server_name():
    """A tunnel to an allowed name whose TLS ClientHello asks for another host (a site on the same
    shared address, as on a CDN) is closed unless a rule allows that name too; a ClientHello for the
    tunnel's own name, one split in pieces, or bytes that are not TLS pass; a malformed one does not."""
    echo = EchoServer()
    proxy = Proxy(config(["localhost:%d" % echo.port, "*.allowed.test:%d" % echo.port, "127.0.0.0/8:%d" % echo.port]))

    def through(first_bytes, pieces=1):
        sock, status, _, _ = tunnel(proxy, "localhost", echo.port)
        check(status == 200, "the tunnel was answered %d" % status)
        step = -(-len(first_bytes) // pieces)
        for at in range(0, len(first_bytes), step):
            sock.sendall(first_bytes[at:at + step])
            time.sleep(0.05)
        echoed = recv_exactly(sock, len(first_bytes))
        sock.close()
        return echoed

    for name, pieces in (("localhost", 1), ("LOCALHOST.", 7), ("a.allowed.test", 1)):
        hello = client_hello(name)
        check(through(hello, pieces) == hello, "a ClientHello for %s (in %d pieces) did not pass" % (name, pieces))
    check(through(b"plain bytes") == b"plain bytes", "bytes that are not TLS did not pass")
    hello = client_hello("evil.test")
    check(through(hello) == b"", "a ClientHello for another host passed")
    line = proxy.wait_line(lambda l: l.get("decision") == "denied")
    expected = ("the tunnel to localhost:%d was closed: its TLS ClientHello asks for evil.test, and no rule allows evil.test:%d"
                % (echo.port, echo.port))
    check(line["host"] == "localhost" and line["reason"] == expected and line["bytes_up"] == 0, "log line %r" % line)
    malformed = b"\x16\x03\x01\x00\x08\x02\x00\x00\x04abcd"
    check(through(malformed) == b"", "a malformed ClientHello passed")
    # A warning alert first, which some servers skip before they read the ClientHello.
    check(through(b"\x15\x03\x01\x00\x02\x01\x5a" + hello) == b"", "a ClientHello behind an alert passed")
    check(len([l for l in proxy.decisions() if l["decision"] == "denied"]) == 3, "decisions %r" % proxy.decisions())
    # An address literal's tunnel is not checked: the address rule trusts what that address serves.
    sock, status, _, _ = tunnel(proxy, "127.0.0.1", echo.port)
    check(status == 200 and (sock.sendall(hello) or recv_exactly(sock, len(hello)) == hello), "the address tunnel")
    sock.close()
    proxy.stop()


def case_get_forward():
    port = start_origin()
    proxy = Proxy(config(["127.0.0.1:%d" % port]))
    body = os.urandom(200_000)
    with proxy.connect() as sock:
        sock.sendall(b"POST http://127.0.0.1:%d/upload?x=1 HTTP/1.1\r\nHost: wrong.example\r\n"
                     b"Proxy-Authorization: Basic c2VjcmV0\r\nProxy-Connection: keep-alive\r\nX-Kept: yes\r\n"
                     b"Content-Length: %d\r\n\r\n" % (port, len(body)))
        sock.sendall(body)
        status, _, rest = read_reply_head(sock)
        reply = read_all(sock, rest)
    check(status == 200, "forwarded POST answered %d" % status)
    seen = json.loads(reply)
    check(seen["line"] == "POST /upload?x=1 HTTP/1.1", "the origin saw %r" % seen["line"])
    headers = {k.lower(): v for k, v in seen["headers"].items()}
    check(headers.get("host") == "127.0.0.1:%d" % port, "Host %r" % headers.get("host"))
    check("proxy-authorization" not in headers and "proxy-connection" not in headers, "hop-by-hop kept: %r" % headers)
    check(headers.get("x-kept") == "yes" and headers.get("connection") == "close", "headers %r" % headers)
    check(seen["body"] == len(body), "the origin got %d body bytes" % seen["body"])
    status, reply = ask(proxy, b"GET http://127.0.0.1:%d HTTP/1.1\r\n\r\n" % port)
    check(status == 200 and json.loads(reply)["line"] == "GET / HTTP/1.1", "GET without a path: %r" % reply)
    line = proxy.wait_line(lambda l: l.get("method") == "POST")
    check(line["decision"] == "allowed" and line["bytes_up"] > len(body) and line["bytes_down"] > 0, "log %r" % line)
    status, _ = ask(proxy, b"GET http://127.0.0.1:%d/ HTTP/1.1\r\n\r\n" % closed_port())
    check(status == 403, "another port of an allowed address")
    proxy.stop()


def case_half_close():
    echo = EchoServer()
    proxy = Proxy(config(["127.0.0.1:%d" % echo.port]))
    sock, status, _, _ = tunnel(proxy, "127.0.0.1", echo.port)
    check(status == 200, "CONNECT answered %d" % status)
    sock.sendall(b"hello")
    check(recv_exactly(sock, 5) == b"hello", "no echo before the half-close")
    sock.shutdown(socket.SHUT_WR)
    check(read_all(sock) == b"5 bytes, bye", "the other direction did not survive the half-close")
    sock.close()
    line = proxy.wait_line(lambda l: l.get("method") == "CONNECT")
    check(line["bytes_up"] == 5 and line["bytes_down"] == 5 + len(b"5 bytes, bye"), "bytes %r" % line)
    proxy.stop()


def case_slowloris():
    proxy = Proxy(config(["127.0.0.1:1"], head_timeout_ms=1000))
    sock = proxy.connect()
    started = time.monotonic()
    dropped = False
    for byte in b"CONNECT 127.0.0.1:1 HTTP/1.1\r\nX-Slow: " + b"a" * 100:
        try:
            sock.sendall(bytes([byte]))
            time.sleep(0.1)
        except OSError:
            dropped = True
            break
        if time.monotonic() - started > 5:
            break
    if not dropped:
        sock.settimeout(5)
        try:
            dropped = sock.recv(1) == b""
        except OSError:
            dropped = True
    elapsed = time.monotonic() - started
    check(dropped and elapsed < 3, "a slow head was not dropped within its timeout (%.1f s)" % elapsed)
    line = proxy.wait_line(lambda l: "decision" in l)
    check(line["decision"] == "denied" and line["method"] == "CONNECT" and
          line["reason"] == "the request did not arrive within 1000 ms", "log %r" % line)
    proxy.stop()


def case_bad_heads():
    proxy = Proxy(config(["example.test"]))
    cases = [
        (b"GET http://example.test/ HTTP/1.1\r\nX-Big: " + b"b" * 40_000 + b"\r\n\r\n", 431),
        (b"GET http://example.test/ HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(101)) + b"\r\n", 431),
        (b"GET http://example.test/" + b"a" * 9000 + b" HTTP/1.1\r\n\r\n", 414),
        (b"TRACE http://example.test/ HTTP/1.1\r\n\r\n", 405),
        (b"GET / HTTP/1.1\r\nHost: example.test\r\n\r\n", 400),
        (b"GET https://example.test/ HTTP/1.1\r\n\r\n", 400),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400),
        (b"CONNECT example.test HTTP/1.1\r\n\r\n", 400),
        (b"GET http://example.test/ HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400),
        (b"POST http://example.test/ HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        (b"GET http://ex\x1bample.test/ HTTP/1.1\r\n\r\n", 400),
    ]
    for head, expected in cases:
        status, body = ask(proxy, head)
        check(status == expected, "%r... answered %d, not %d" % (head[:40], status, expected))
        check(body.startswith(b"egress proxy: ") and body.endswith(b"\n"), "body %r" % body)
    deadline = time.monotonic() + TIMEOUT
    while len(proxy.decisions()) < len(cases) and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = proxy.decisions()
    check(len(lines) == len(cases), "%d log lines for %d refusals" % (len(lines), len(cases)))
    for line, (_, expected) in zip(lines, cases):
        check(line["decision"] == "denied" and line["reason"].startswith("refused with %d: " % expected), "log %r" % line)
    check(lines[3]["method"] == "TRACE" and lines[6]["method"] == "", "methods %r" % lines)
    proxy.stop()


def case_concurrent_connects():
    echo = EchoServer()
    proxy = Proxy(config(["127.0.0.1:%d" % echo.port]))
    count = 200
    sockets = []
    for i in range(count):
        sock = proxy.connect()
        sock.sendall(b"CONNECT 127.0.0.1:%d HTTP/1.1\r\n\r\n" % echo.port)
        sockets.append(sock)
    for i, sock in enumerate(sockets):
        status, _, rest = read_reply_head(sock)
        check(status == 200 and rest == b"", "connection %d answered %d" % (i, status))
        sock.sendall(b"client %d" % i)
    for i, sock in enumerate(sockets):
        expected = b"client %d" % i
        check(recv_exactly(sock, len(expected)) == expected, "connection %d got another's bytes" % i)
        sock.close()
    deadline = time.monotonic() + TIMEOUT
    while len(proxy.decisions()) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = proxy.decisions()
    check(len(lines) == count and all(l["decision"] == "allowed" for l in lines), "%d log lines" % len(lines))
    proxy.stop()


def case_connection_cap():
    proxy = Proxy(config(["127.0.0.1:1"], max_connections=5, head_timeout_ms=30000))
    idle = [proxy.connect() for _ in range(5)]
    for sock in idle:
        sock.sendall(b"C")
    # The proxy accepts in the order the connections came, so these five are in before the sixth.
    status, body = ask(proxy, b"CONNECT 127.0.0.1:1 HTTP/1.1\r\n\r\n")
    check(status == 503 and body == b"egress proxy: too many connections\n", "over the cap: %d %r" % (status, body))
    line = proxy.wait_line(lambda l: "decision" in l)
    check(line["reason"] == "more than 5 connections at once", "log %r" % line)
    for sock in idle:
        sock.close()
    deadline = time.monotonic() + TIMEOUT
    while status == 503 and time.monotonic() < deadline:
        status, _ = ask(proxy, b"CONNECT 127.0.0.1:1 HTTP/1.1\r\n\r\n")
    check(status == 502, "after the others closed, a connection was answered %d" % status)
    proxy.stop()


def case_idle_timeout():
    echo = EchoServer()
    proxy = Proxy(config(["127.0.0.1:%d" % echo.port], idle_timeout_ms=500))
    sock, status, _, _ = tunnel(proxy, "127.0.0.1", echo.port)
    check(status == 200, "CONNECT answered %d" % status)
    started = time.monotonic()
    sock.settimeout(5)
    data = read_all(sock)
    elapsed = time.monotonic() - started
    check(data == b"" and 0.4 < elapsed < 3, "an idle tunnel was closed after %.1f s with %r" % (elapsed, data))
    proxy.wait_line(lambda l: l.get("method") == "CONNECT")
    proxy.stop()


def case_connect_refused():
    port = closed_port()
    proxy = Proxy(config(["127.0.0.1:%d" % port, "localhost:%d" % port, "127.0.0.1/32:%d" % port]))
    status, body = ask(proxy, b"CONNECT 127.0.0.1:%d HTTP/1.1\r\n\r\n" % port)
    check(status == 502 and b"cannot connect to 127.0.0.1:%d: Connection refused" % port in body, "%d %r" % (status, body))
    line = proxy.wait_line(lambda l: "decision" in l)
    check(line["decision"] == "allowed" and "cannot connect" in line["reason"], "log %r" % line)
    status, body = ask(proxy, b"GET http://no-such-name.invalid:%d/ HTTP/1.1\r\n\r\n" % port)
    check(status == 403, "an unlisted name: %d" % status)
    proxy.stop()


def socks5(proxy, request, greeting=b"\x05\x01\x00"):
    """Sends a SOCKS5 greeting and `request`; returns (method choice, reply, socket)."""
    sock = proxy.connect()
    sock.sendall(greeting)
    choice = recv_exactly(sock, 2)
    if choice != b"\x05\x00":
        return choice, b"", sock
    sock.sendall(request)
    return choice, recv_exactly(sock, 10), sock


def case_socks5():
    echo = EchoServer()
    other = closed_port()
    proxy = Proxy(config(["127.0.0.1:%d" % echo.port, "localhost:%d" % other]))
    port = echo.port.to_bytes(2, "big")
    choice, reply, sock = socks5(proxy, b"\x05\x01\x00\x01\x7f\x00\x00\x01" + port)
    check(reply == b"\x05\x00\x00\x01" + bytes(6), "an allowed SOCKS5 CONNECT was answered %r" % reply)
    sock.sendall(b"through socks")
    check(recv_exactly(sock, 13) == b"through socks", "no echo through the SOCKS5 tunnel")
    sock.close()
    line = proxy.wait_line(lambda l: l.get("decision") == "allowed")
    check(line["method"] == "SOCKS5" and line["host"] == "127.0.0.1" and line["bytes_up"] == 13, "log %r" % line)
    choice, reply, sock = socks5(proxy, b"\x05\x01\x00\x03\x09localhost" + other.to_bytes(2, "big"))
    check(reply[:2] == b"\x05\x02", "a name resolving to loopback was answered %r" % reply)
    check(sock.recv(1) == b"", "the connection stayed open after a refusal")
    line = proxy.wait_line(lambda l: l.get("host") == "localhost")
    check(line["method"] == "SOCKS5" and line["decision"] == "denied" and "loopback" in line["reason"], "log %r" % line)
    choice, reply, sock = socks5(proxy, b"\x05\x02\x00\x01\x7f\x00\x00\x01" + port)
    check(reply[:2] == b"\x05\x07", "BIND was answered %r" % reply)
    choice, reply, sock = socks5(proxy, b"", greeting=b"\x05\x01\x02")
    check(choice == b"\x05\xff", "a greeting without no-authentication was answered %r" % choice)
    line = proxy.wait_line(lambda l: "offers no method" in l.get("reason", ""))
    check(line["method"] == "SOCKS5" and line["decision"] == "denied", "log %r" % line)
    proxy.stop()


def case_bad_configuration():
    path = os.path.join(scratch_dir(), "config.json")
    with open(path, "w") as f:
        json.dump({"allow": ["ok.example", "b\u00fccher.example"], "listen": 1}, f)
    run = subprocess.run([BINARY, "127.0.0.1:0", path], capture_output=True, timeout=TIMEOUT)
    check(run.returncode == 2 and run.stdout == b"", "a bad configuration: exit %d" % run.returncode)
    expected = ("docker-sandbox-egress-proxy: %s: listen: not a setting of the egress proxy\n--allow-host b\u00fccher.example: "
                "internationalized names are not supported: write the name in its ASCII (xn--) form\n" % path)
    check(run.stderr.decode() == expected, "stderr %r" % run.stderr)
    run = subprocess.run([BINARY, "nonsense", path], capture_output=True, timeout=TIMEOUT)
    check(run.returncode == 2 and b"LISTEN must be" in run.stderr, "a bad LISTEN: %r" % run.stderr)


CASES = {name[len("case_"):]: function for name, function in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in CASES:
        print("usage: proxy_test.py PROXY_BINARY CASE, CASE one of: " + " ".join(sorted(CASES)), file=sys.stderr)
        sys.exit(2)
    CASES[sys.argv[2]]()
