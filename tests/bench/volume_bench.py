#!/usr/bin/env python3
"""Volume transfer benchmarks: `docker sandbox volume put/get` against `docker cp` into and out of
a container on the same engine, for 1 GiB in one file and for 10,000 small files, with the peak
resident memory of the plugin process. Prints figures, never fails on time.

  python3 tests/bench/volume_bench.py [--runs N] [--image IMAGE] [--plugin PATH]

Goals: ratio (ours / docker cp) at most 1.0; plugin peak RSS under 32 MB whatever the size.
The plugin's memory is read from wait4() on docker-sandbox-core run standalone (through the docker
CLI the figure would be the CLI's own).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def timed(argv, env):
    os.sync()  # earlier writes must not be flushed on this command's time
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(argv)} failed: {proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024  # MiB


def docker(*args, env=None):
    return subprocess.run(["docker", *args], check=True, capture_output=True, text=True, env=env).stdout.strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--image", default="docker-sandbox-busybox:latest")
    parser.add_argument("--plugin", default=os.path.join(os.path.dirname(__file__), "../../build/plugin/docker-sandbox"))
    args = parser.parse_args()
    core = os.path.join(os.path.dirname(os.path.abspath(args.plugin)), "docker-sandbox-core")
    if not os.access(core, os.X_OK):
        sys.exit(f"bench: no plugin at {core} (build first)")
    env = dict(os.environ)
    work = tempfile.mkdtemp(prefix="sbx-vbench.")
    tenant = f"bench{os.getpid()}"
    try:
        one = os.path.join(work, "one")
        os.makedirs(one)
        with open(os.path.join(one, "big.bin"), "wb") as f:
            chunk = os.urandom(1 << 20)
            for _ in range(1024):
                f.write(chunk)
        many = os.path.join(work, "many")
        for i in range(10000):
            d = os.path.join(many, f"d{i // 100}")
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, f"f{i}.txt"), "w") as f:
                f.write(f"small file {i}\n" * 8)

        print(f"volume transfer benchmarks, median of {args.runs} runs (plugin peak RSS: max over runs)")
        for label, tree in (("1 GiB in one file", one), ("10,000 small files", many)):
            ours_put, ours_get, cp_put, cp_get, rss = [], [], [], [], []
            for _ in range(args.runs):
                vol = docker("volume", "create", "--label", "docker-sandbox.managed=true",
                             "--label", f"docker-sandbox.tenant={tenant}")
                t, m = timed([core, "volume", "put", "-q", vol, tree + "/."], env)
                ours_put.append(t), rss.append(m)
                out = os.path.join(work, "out")
                t, m = timed([core, "volume", "get", "-q", vol, out], env)
                ours_get.append(t), rss.append(m)
                shutil.rmtree(out)

                ctr = docker("create", "-v", f"{vol}:/data", args.image, "true")
                t, _ = timed(["docker", "cp", tree + "/.", f"{ctr}:/data/"], env)
                cp_put.append(t)
                t, _ = timed(["docker", "cp", f"{ctr}:/data", out], env)
                cp_get.append(t)
                shutil.rmtree(out)
                docker("rm", "-f", ctr)
                docker("volume", "rm", vol)
            for what, ours, theirs in (("put", ours_put, cp_put), ("get", ours_get, cp_get)):
                o, c = statistics.median(ours) * 1000, statistics.median(theirs) * 1000
                print(f"  {what} {label:<20} {o:9.0f} ms  vs docker cp {c:9.0f} ms   ratio {o / c:5.2f}")
            print(f"  plugin peak RSS, {label:<16} {max(rss):7.1f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
