#!/usr/bin/env python3
"""Volume transfer benchmarks: `docker sandbox volume put/get` against `docker cp` into and out of
a container on the same engine, for 256 MiB and 1 GiB in one file and for 10,000 small files,
each fresh (an empty volume, a missing destination) and overwriting (the same tree again: put
over it, get with --overwrite into the last copy). Paired: each round runs both tools, in
alternating order. Prints medians, their ratio, and the plugin's peak resident memory; never
fails on time.

  python3 tests/bench/volume_bench.py [--runs N] [--image IMAGE] [--plugin PATH] [--only LABEL]

Goals: ratio (ours / docker cp) at most 0.8; plugin peak RSS under 32 MB whatever the size.
Where the engine listens on a unix socket and curl is installed, each round also times the engine
alone: curl sending a tar made before the clock starts (put), or reading the tar into /dev/null
(get), through the same archive endpoints: the engine's own share, with no work on the client's
side. Its ratio to docker cp says how far below docker cp the engine leaves room to go (within the
noise of a round: curl's own way of sending can make it slower than a client's).
The plugin's memory is read from wait4() on docker-sandbox run standalone (through the docker
CLI the figure would be the CLI's own).
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def timed(argv, env=None):
    os.sync()  # earlier writes must not be flushed on this command's time
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(argv)} failed: {proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024  # MiB


def docker(*args):
    return subprocess.run(["docker", *args], check=True, capture_output=True, text=True).stdout.strip()


def one_file(path, mib):
    os.makedirs(path)
    with open(os.path.join(path, "big.bin"), "wb") as f:
        chunk = os.urandom(1 << 20)
        for _ in range(mib):
            f.write(chunk)


def many_files(path):
    for i in range(10000):
        d = os.path.join(path, f"d{i // 100}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"f{i}.txt"), "w") as f:
            f.write(f"small file {i}\n" * 8)


def engine_socket():
    """The engine's unix socket when curl can time the engine alone, else None."""
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    return host[len("unix://"):] if host.startswith("unix://") and shutil.which("curl") else None


def engine_alone(sock, tar, ctr):
    """curl commands for the engine's own share: the PUT of a ready tar and a GET into /dev/null."""
    base = ["curl", "-sf", "--unix-socket", sock]
    url = f"http://docker/containers/{ctr}/archive?path=%2Fdata"
    put = [*base, "-X", "PUT", "-T", tar, url]
    get = [*base, "-o", "/dev/null", url]
    return [("put fresh", put), ("put overwrite", put), ("get fresh", get), ("get overwrite", get)]


def round_trip(core, image, tree, work, tenant, tar):
    """One round: returns {(op, tool): seconds} for put/get, fresh and overwrite, and the peak RSS."""
    vol = docker("volume", "create", "--label", "docker-sandbox.managed=true", "--label", f"docker-sandbox.tenant={tenant}")
    ctr_vol = docker("volume", "create")
    ctr = docker("create", "-v", f"{ctr_vol}:/data", image, "true")
    sock = engine_socket()
    raw_vol = docker("volume", "create") if sock else None
    raw = docker("create", "-v", f"{raw_vol}:/data", image, "true") if sock else None
    out_ours, out_cp = os.path.join(work, "out-ours"), os.path.join(work, "out-cp")
    times, rss = {}, 0.0
    steps = {
        "ours": [("put fresh", [core, "volume", "put", "-q", vol, tree + "/."]),
                 ("put overwrite", [core, "volume", "put", "-q", vol, tree + "/."]),
                 ("get fresh", [core, "volume", "get", "-q", vol, out_ours]),
                 ("get overwrite", [core, "volume", "get", "-q", "--overwrite", vol, out_ours])],
        "cp": [("put fresh", ["docker", "cp", tree + "/.", f"{ctr}:/data/"]),
               ("put overwrite", ["docker", "cp", tree + "/.", f"{ctr}:/data/"]),
               ("get fresh", ["docker", "cp", f"{ctr}:/data", out_cp]),
               ("get overwrite", ["docker", "cp", f"{ctr}:/data/.", out_cp])],
    }
    if sock:
        steps["engine"] = engine_alone(sock, tar, raw)
    try:
        for i in range(4):
            order = list(steps)
            random.shuffle(order)
            for tool in order:
                op, argv = steps[tool][i]
                t, m = timed(argv)
                times[(op, tool)] = t
                if tool == "ours":
                    rss = max(rss, m)
    finally:
        docker("rm", "-f", ctr, *([raw] if raw else []))
        docker("volume", "rm", vol, ctr_vol, *([raw_vol] if raw_vol else []))
        shutil.rmtree(out_ours, ignore_errors=True)
        shutil.rmtree(out_cp, ignore_errors=True)
    return times, rss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--image", default="docker-sandbox-busybox:latest")
    parser.add_argument("--plugin", default=os.path.join(os.path.dirname(__file__), "../../build/plugin/docker-sandbox"))
    parser.add_argument("--only", help="one of: 256MiB, 1GiB, 10000files")
    args = parser.parse_args()
    core = os.path.abspath(args.plugin)  # the plugin file, run standalone
    if not os.access(core, os.X_OK):
        sys.exit(f"bench: no plugin at {core} (build first)")
    work = tempfile.mkdtemp(prefix="sbx-vbench.")
    tenant = f"bench{os.getpid()}"
    trees = {"256MiB": lambda p: one_file(p, 256), "1GiB": lambda p: one_file(p, 1024), "10000files": many_files}
    try:
        print(f"volume transfer benchmarks, {args.runs} paired rounds, medians (plugin peak RSS: max over runs)")
        for label, make in trees.items():
            if args.only and label != args.only:
                continue
            tree = os.path.join(work, label)
            make(tree)
            tar = tree + ".tar"
            subprocess.run(["tar", "-C", tree, "-cf", tar, "."], check=True)
            samples, rss = {}, 0.0
            for _ in range(args.runs):
                times, m = round_trip(core, args.image, tree, work, tenant, tar)
                rss = max(rss, m)
                for key, t in times.items():
                    samples.setdefault(key, []).append(t)
            for op in ("put fresh", "put overwrite", "get fresh", "get overwrite"):
                o = statistics.median(samples[(op, "ours")]) * 1000
                c = statistics.median(samples[(op, "cp")]) * 1000
                line = f"  {label:<11} {op:<14} ours {o:8.0f} ms   docker cp {c:8.0f} ms   ratio {o / c:5.2f}"
                if (op, "engine") in samples:
                    e = statistics.median(samples[(op, "engine")]) * 1000
                    line += f"   engine alone {e:8.0f} ms ({e / c:4.2f} of docker cp)"
                print(line)
            print(f"  {label:<11} plugin peak RSS {rss:6.1f} MiB")
            shutil.rmtree(tree)
            os.unlink(tar)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
