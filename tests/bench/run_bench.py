#!/usr/bin/env python3
"""`docker sandbox run --tenant --input DIR --collect /outputs:OUT` against a docker CLI script
that does the same work on the same engine: two volumes, the input copied in through a helper
container, the sandbox run, the output copied out, everything removed. Paired: each round runs
both, in alternating order. Prints medians and their ratio, never fails on time.

  python3 tests/bench/run_bench.py [--runs N] [--image IMAGE] [--plugin PATH]

Goal: ratio (ours / docker CLI) at most 0.65. The CLI script runs its sandbox as root (docker cp
does not hand the output volume to another user), which spares it a chown: the comparison
favours the docker CLI.
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

COMMAND = "cp -r /inputs/. /outputs/"
HARDENING = ["--network", "none", "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
             "--pids-limit", "512", "--memory", "2g", "--init", "--log-driver", "none"]


def run(argv, env=None):
    result = subprocess.run(argv, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} failed: {result.stderr}")
    return result.stdout.strip()


def ours(core, image, src, out, tenant):
    run([core, "run", "--tenant", tenant, "--output", "none", "--input", src, "--collect", f"/outputs:{out}",
         image, "sh", "-c", COMMAND])


def docker_cli(image, src, out, n):
    vin, vout = f"bench-in-{n}", f"bench-out-{n}"
    run(["docker", "volume", "create", vin])
    run(["docker", "volume", "create", vout])
    helper = run(["docker", "create", "-v", f"{vin}:/in", image, "true"])
    run(["docker", "cp", src + "/.", f"{helper}:/in/"])
    run(["docker", "rm", "-f", helper])
    box = run(["docker", "create", *HARDENING, "-v", f"{vin}:/inputs:ro", "-v", f"{vout}:/outputs", image,
               "sh", "-c", COMMAND])
    run(["docker", "start", "-a", box])
    run(["docker", "cp", f"{box}:/outputs", out])
    run(["docker", "rm", "-f", box])
    run(["docker", "volume", "rm", vin, vout])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--image", default="docker-sandbox-busybox:latest")
    parser.add_argument("--plugin", default=os.path.join(os.path.dirname(__file__), "../../build/plugin/docker-sandbox"))
    args = parser.parse_args()
    core = os.path.abspath(args.plugin)  # the plugin file, run standalone
    if not os.access(core, os.X_OK):
        sys.exit(f"bench: no plugin at {core} (build first)")
    work = tempfile.mkdtemp(prefix="sbx-rbench.")
    try:
        src = os.path.join(work, "src")
        for i in range(20):
            os.makedirs(os.path.join(src, f"d{i % 4}"), exist_ok=True)
            with open(os.path.join(src, f"d{i % 4}", f"f{i}.txt"), "w") as f:
                f.write(f"input file {i}\n" * 64)
        times = {"ours": [], "docker": []}
        for n in range(args.runs):
            order = ["ours", "docker"]
            random.shuffle(order)
            for who in order:
                out = os.path.join(work, f"out-{who}-{n}")
                start = time.perf_counter()
                if who == "ours":
                    ours(core, args.image, src, out, f"bench{os.getpid()}")
                else:
                    docker_cli(args.image, src, out, n)
                times[who].append(time.perf_counter() - start)
                if not os.path.exists(os.path.join(out, "d0", "f0.txt")):
                    sys.exit(f"bench: {who} did not collect the output")
                shutil.rmtree(out)
        o, d = statistics.median(times["ours"]) * 1000, statistics.median(times["docker"]) * 1000
        print(f"run --input --collect, {args.runs} paired rounds (20 files in, 20 out)")
        print(f"  docker sandbox run   median {o:7.0f} ms  (min {min(times['ours']) * 1000:.0f}, max {max(times['ours']) * 1000:.0f})")
        print(f"  docker CLI script    median {d:7.0f} ms  (min {min(times['docker']) * 1000:.0f}, max {max(times['docker']) * 1000:.0f})")
        print(f"  ratio (ours / docker CLI) {o / d:.2f}   goal <= 0.65")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
