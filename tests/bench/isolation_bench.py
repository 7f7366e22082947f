#!/usr/bin/env python3
"""`docker sandbox run --isolation gvisor` against `--isolation runc` on the same engine, for three
commands: `true` (the cost of starting and stopping a sandbox), a CPU-bound shell loop, and a
syscall-heavy `tar` of 10,000 small files from the read-only workspace. Paired: each round runs
both isolations, in random order. Prints medians and their ratio, never fails on time.

  DOCKER_HOST=unix://$(bash tests/tools/gvisor-engine.sh start) python3 tests/bench/isolation_bench.py [--runs N]

The engine needs both runtimes (tests/tools/gvisor-engine.sh's has them).
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

# (title, needs the workspace of 10,000 files, command). The workspace is bound (--workspace-mode
# bind): a copy, on an engine in another mount namespace, would time the upload instead.
COMMANDS = [
    ("true", False, ["true"]),
    ("CPU: 1,000,000 shell additions", False, ["sh", "-c", "i=0; while [ $i -lt 1000000 ]; do i=$((i+1)); done"]),
    ("syscalls: tar of 10,000 files", True, ["sh", "-c", "tar -cf - files | wc -c"]),
]


def timed(core, image, isolation, workspace, command):
    where = ["--workspace", workspace, "--workspace-mode", "bind"] if workspace else ["--workspace", "none"]
    start = time.perf_counter()
    result = subprocess.run([core, "run", "--isolation", isolation, *where, "--output", "none", image, *command],
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"bench: --isolation {isolation} {' '.join(command)} failed ({result.returncode}): {result.stderr}")
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--image", default="docker-sandbox-busybox:latest")
    parser.add_argument("--plugin", default=os.path.join(os.path.dirname(__file__), "../../build/plugin/docker-sandbox"))
    args = parser.parse_args()
    core = os.path.abspath(args.plugin)  # the plugin file, run standalone
    if not os.access(core, os.X_OK):
        sys.exit(f"bench: no plugin at {core} (build first)")
    work = tempfile.mkdtemp(prefix="sbx-ibench.", dir="/tmp")
    # The stage of a bound workspace lives in the Docker config directory; under /tmp it is a path
    # the chroot engines of tests/tools see too.
    os.environ["DOCKER_CONFIG"] = os.path.join(work, "config")
    try:
        for i in range(10000):
            directory = os.path.join(work, "ws", "files", f"d{i % 100}")
            os.makedirs(directory, exist_ok=True)
            with open(os.path.join(directory, f"f{i}.txt"), "w") as f:
                f.write(f"small file {i}\n")
        os.makedirs(os.environ["DOCKER_CONFIG"])
        print(f"--isolation gvisor against runc, {args.runs} paired rounds, medians (min, max)")
        for title, needs_files, command in COMMANDS:
            times = {"runc": [], "gvisor": []}
            for _ in range(args.runs):
                order = ["runc", "gvisor"]
                random.shuffle(order)
                for isolation in order:
                    times[isolation].append(timed(core, args.image, isolation, os.path.join(work, "ws") if needs_files else None, command))
            r, g = statistics.median(times["runc"]) * 1000, statistics.median(times["gvisor"]) * 1000
            print(f"  {title}")
            for isolation, median in (("runc", r), ("gvisor", g)):
                t = times[isolation]
                print(f"    {isolation:7s} {median:7.0f} ms  ({min(t) * 1000:.0f}, {max(t) * 1000:.0f})")
            print(f"    gvisor / runc {g / r:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
