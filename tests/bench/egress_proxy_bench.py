#!/usr/bin/env python3
"""The egress proxy binary on loopback: throughput of one tunnel against a direct connection, and
the time to set up a connection through it. Paired rounds, medians; never fails on time.

  python3 tests/bench/egress_proxy_bench.py [--runs N] [--mib SIZE] [--proxy PATH]

The source is a separate process that sendfile()s a file, so that the figure is the proxy's and
the reading client's, not the source's. On loopback everything shares the same cores: the ratio
is a floor for what a sandbox sees through the proxy on a real network.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

SOURCE = r"""
import os, socket, sys
path, size = sys.argv[1], int(sys.argv[2])
server = socket.create_server(("127.0.0.1", 0), backlog=1024)
print(server.getsockname()[1], flush=True)
while True:
    conn, _ = server.accept()
    if conn.recv(1) == b"g":
        with open(path, "rb") as f:
            sent = 0
            while sent < size:
                sent += os.sendfile(conn.fileno(), f.fileno(), sent % os.path.getsize(path), size - sent)
    conn.close()
"""


def tunnel(proxy_port, port):
    sock = socket.create_connection(("127.0.0.1", proxy_port))
    sock.sendall(b"CONNECT 127.0.0.1:%d HTTP/1.1\r\n\r\n" % port)
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        head += sock.recv(1)
    if not head.startswith(b"HTTP/1.1 200 "):
        sys.exit("the proxy refused the tunnel: %r" % head)
    return sock


def pull(sock):
    sock.sendall(b"g")
    buffer = bytearray(1 << 20)
    total = 0
    start = time.perf_counter()
    while True:
        n = sock.recv_into(buffer)
        if not n:
            break
        total += n
    sock.close()
    return total, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--proxy", default="build/plugin/docker-sandbox-egress-proxy")
    args = parser.parse_args()
    size = args.mib << 20
    work = tempfile.mkdtemp(prefix="egress-bench.")
    blob = os.path.join(work, "blob")
    with open(blob, "wb") as f:
        f.write(os.urandom(64 << 20))
    source = subprocess.Popen([sys.executable, "-c", SOURCE, blob, str(size)], stdout=subprocess.PIPE, text=True)
    port = int(source.stdout.readline())
    config = os.path.join(work, "config.json")
    with open(config, "w") as f:
        json.dump({"allow": ["127.0.0.1:%d" % port]}, f)
    proxy = subprocess.Popen([args.proxy, "127.0.0.1:0", config], stdout=subprocess.PIPE, text=True)
    proxy_port = int(json.loads(proxy.stdout.readline())["listening"].rsplit(":", 1)[1])
    try:
        direct, proxied = [], []
        for _ in range(args.runs):
            total, seconds = pull(socket.create_connection(("127.0.0.1", port)))
            direct.append(total / seconds / (1 << 20))
            total, seconds = pull(tunnel(proxy_port, port))
            if total != size:
                sys.exit("the tunnel carried %d bytes of %d" % (total, size))
            proxied.append(total / seconds / (1 << 20))
        d, p = statistics.median(direct), statistics.median(proxied)
        print("egress proxy: %d MiB over loopback: direct %.0f MiB/s, through the proxy %.0f MiB/s, ratio %.2f"
              % (args.mib, d, p, p / d))
        setups = {"direct": [], "proxy": []}
        for _ in range(200):
            start = time.perf_counter()
            socket.create_connection(("127.0.0.1", port)).close()
            setups["direct"].append(time.perf_counter() - start)
            start = time.perf_counter()
            tunnel(proxy_port, port).close()
            setups["proxy"].append(time.perf_counter() - start)
        d, p = (statistics.median(setups[k]) * 1000 for k in ("direct", "proxy"))
        print("egress proxy: connection set-up (median of 200): direct %.3f ms, CONNECT through the proxy %.3f ms, "
              "added %.3f ms" % (d, p, p - d))
    finally:
        proxy.terminate()
        source.terminate()
        proxy.wait()
        source.wait()
        os.unlink(blob)
        os.unlink(config)
        os.rmdir(work)


if __name__ == "__main__":
    main()
