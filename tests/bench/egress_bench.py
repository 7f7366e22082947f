#!/usr/bin/env python3
"""`run --allow-host` against a real engine: what the egress proxy costs a sandbox. Paired rounds,
medians; never fails on time.

  python3 tests/bench/egress_bench.py [--runs N] [--mib SIZE] [--image IMAGE]

A web server container on a network of the bench's own (names h0.test ... h19.test) serves a
file of SIZE MiB. Figures:
  - the download from inside the sandbox through the proxy against the same sandbox on that
    network directly (--network NET): busybox's `time` around 5 downloads in a row, so that
    start-up is not counted and its 10 ms clock is small beside the time measured. Once as fast
    as the machine goes (client, server, proxy and both TCP connections share the cores), and
    once over a link of --link-mbit (default 1000): the web server's side shaped with tc's tbf
    in its network namespace, as a download from outside the machine is bound by its link;
  - the added time per connection: 50 small GETs in a row, through the proxy and directly;
  - the start-up cost of egress: `run --allow-host ... true` against `run ... true`;
  - 20 sandboxes at once, each allowed only its own host: every one reaches its own and is refused
    its neighbour's (a decision crossing between them would show as a failure here).
Needs the plugin as `docker sandbox` (DOCKER_CONFIG with it in cli-plugins) or --plugin.
"""
import argparse
import concurrent.futures
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HOSTS = 20


def sh(*argv, check=True):
    return subprocess.run(argv, capture_output=True, text=True, check=check)


def inside_seconds(argv):
    """Runs a sandbox whose command is `time ...` (busybox) and returns the real time it printed."""
    out = subprocess.run(argv, capture_output=True, text=True)
    match = re.search(r"real\s+(\d+)m\s*([\d.]+)s", out.stderr)
    if out.returncode != 0 or not match:
        sys.exit(f"egress_bench: {' '.join(argv)} failed: {out.stderr.strip()}")
    return int(match.group(1)) * 60 + float(match.group(2))


def wall(argv):
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=True)
    return time.perf_counter() - start


def shape(container, mbit):
    """Shapes what CONTAINER sends to MBIT Mbit/s (0: removes the shaping) with tc's token bucket in
    its network namespace, entered from the host. False when that cannot be done here."""
    pid = sh("docker", "inspect", "-f", "{{.State.Pid}}", container, check=False).stdout.strip()
    if not pid.isdigit() or pid == "0" or not os.path.exists(f"/proc/{pid}/ns/net"):
        return False
    tc = ["nsenter", "-t", pid, "-n", "tc", "qdisc"]
    if mbit == 0:
        return sh(*tc, "del", "dev", "eth0", "root", check=False).returncode == 0
    # A burst of 1 ms at the rate (at least 64 KiB) and 50 ms of queue, as a real link's.
    burst = max(64 * 1024, mbit * 1000 * 1000 // 8 // 1000)
    try:
        return sh(*tc, "add", "dev", "eth0", "root", "tbf", "rate", f"{mbit}mbit", "burst", str(burst), "latency", "50ms",
                  check=False).returncode == 0
    except FileNotFoundError:
        return False


def paired(runs, first, second):
    a, b = [], []
    for i in range(runs):
        if i % 2:
            b.append(second()); a.append(first())
        else:
            a.append(first()); b.append(second())
    return statistics.median(a), statistics.median(b)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--mib", type=int, default=100)
    parser.add_argument("--image", default="docker-sandbox-busybox:latest")
    parser.add_argument("--link-mbit", type=int, default=1000, help="the shaped link's rate (0: no shaped figure)")
    args = parser.parse_args()

    net = f"sbx-bench-egress-{os.getpid()}"
    web = f"sbx-bench-egress-web-{os.getpid()}"
    work = tempfile.mkdtemp(prefix="sbx-bench-egress.")
    os.chdir(work)
    sh("docker", "network", "create", net)
    try:
        aliases = [a for i in range(HOSTS) for a in ("--network-alias", f"h{i}.test")]
        sh("docker", "run", "-d", "--name", web, "--network", net, *aliases, args.image, "sh", "-c",
           f"mkdir -p /tmp/www && head -c {args.mib << 20} /dev/zero >/tmp/www/big && echo ok >/tmp/www/small"
           " && exec httpd -f -p 80 -h /tmp/www")
        time.sleep(1)
        egress = ["docker", "sandbox", "run", "--allow-host", "h0.test:80", "--egress-network", net, args.image]
        direct = ["docker", "sandbox", "run", "--network", net, args.image]
        plain = ["docker", "sandbox", "run", args.image]
        downloads = 5
        download = ["sh", "-c", f"time sh -c 'for i in $(seq {downloads}); do wget -qO /dev/null http://h0.test/big; done'"]
        small = ["sh", "-c", "time sh -c 'for i in $(seq 50); do wget -qO /dev/null http://h0.test/small; done'"]

        print(f"run --allow-host on {sh('docker', 'version', '-f', '{{.Server.Version}}').stdout.strip()}, "
              f"medians of {args.runs} paired runs")
        def downloads_compared(what):
            proxied, straight = paired(args.runs, lambda: inside_seconds(egress + download), lambda: inside_seconds(direct + download))
            rate = downloads * args.mib
            print(f"  {args.mib} MiB download {what}, through the proxy / directly: {rate / proxied:8.1f} / {rate / straight:8.1f} MiB/s"
                  f"   throughput ratio {straight / proxied:5.2f}")

        downloads_compared("as fast as the machine goes")
        if args.link_mbit:
            shaped = shape(web, args.link_mbit)
            if shaped:
                downloads_compared(f"over a {args.link_mbit} Mbit/s link")
                shape(web, 0)
            else:
                print(f"  (no figure over a {args.link_mbit} Mbit/s link: needs a local engine, nsenter and tc)")
        proxied, straight = paired(args.runs, lambda: inside_seconds(egress + small), lambda: inside_seconds(direct + small))
        print(f"  50 GETs in a row, through the proxy / directly:   {proxied * 1000:8.1f} / {straight * 1000:8.1f} ms"
              f"   added per connection {(proxied - straight) * 1000 / 50:5.2f} ms")
        with_egress, without = paired(args.runs, lambda: wall(egress + ["true"]), lambda: wall(plain + ["true"]))
        print(f"  run ... true with egress / without:              {with_egress * 1000:8.1f} / {without * 1000:8.1f} ms"
              f"   start-up cost {(with_egress - without) * 1000:6.1f} ms ({with_egress / without:4.2f} x)")

        def own_and_neighbour(i):
            mine, other = f"h{i}.test", f"h{(i + 1) % HOSTS}.test"
            out = subprocess.run(["docker", "sandbox", "run", "--allow-host", f"{mine}:80", "--egress-network", net,
                                  args.image, "sh", "-c", f"wget -qO- http://{mine}/small && ! wget -qO- http://{other}/small"],
                                 capture_output=True, text=True)
            summary = [line for line in out.stderr.splitlines() if line.startswith("egress:")]
            return out.returncode == 0 and summary == [f"egress: 1 allowed, 1 denied ({other}:80)"]

        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(HOSTS) as pool:
            results = list(pool.map(own_and_neighbour, range(HOSTS)))
        elapsed = time.perf_counter() - start
        print(f"  {HOSTS} sandboxes at once, each with its own allowlist: {sum(results)}/{HOSTS} kept to their own "
              f"(reached it, refused the neighbour's), {elapsed:5.1f} s for all")
    finally:
        sh("docker", "rm", "-f", web, check=False)
        sh("docker", "network", "rm", net, check=False)


if __name__ == "__main__":
    main()
