#!/usr/bin/env python3
"""`exec true` in a detached sandbox, paired against `docker exec` in the same container. Prints
medians and the ratio (goal: at most 1.0), never fails on time.

  python3 tests/bench/exec_bench.py [--runs N] [--image IMAGE] [--plugin PATH]

One sandbox (`docker sandbox run -d IMAGE sleep 1000`, with an --idle-timeout, so that each exec
of ours also touches its init) serves every round; each round runs the contenders once, in a
random order (paired); N rounds (default 50). Contenders:
- `docker sandbox exec NAME true`, through the docker CLI as users type it;
- the standalone `docker-sandbox exec NAME true`;
- `docker exec NAME true`.
"""
import argparse
import os
import random
import statistics
import subprocess

from bench import plugin_workspace, row, spawn_time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--image", default="docker-sandbox-busybox:latest")
    parser.add_argument("--plugin", default=os.path.join(os.path.dirname(__file__), "../../build-tests/plugin/docker-sandbox"))
    args = parser.parse_args()
    plugin, env, _ = plugin_workspace(args.plugin, "exec-bench")
    name = subprocess.run([plugin, "run", "-d", "--ttl", "1h", "--idle-timeout", "30m", "--output", "none", args.image,
                           "sleep", "1000"], env=env, check=True, capture_output=True, text=True).stdout.strip()
    try:
        contenders = {
            "docker sandbox exec NAME true": ["docker", "sandbox", "exec", name, "true"],
            "docker-sandbox exec NAME true (standalone)": [plugin, "exec", name, "true"],
            "docker exec NAME true": ["docker", "exec", name, "true"],
        }
        times = {contender: [] for contender in contenders}
        for _ in range(args.runs):
            order = list(contenders)
            random.shuffle(order)
            for contender in order:
                times[contender].append(spawn_time(contenders[contender], env=env))
        medians = {contender: statistics.median(samples) * 1000 for contender, samples in times.items()}
        print(f"exec latency, median of {args.runs} paired rounds:")
        theirs = medians["docker exec NAME true"]
        row("docker exec NAME true", theirs)
        for contender in list(contenders)[:2]:
            row(contender, medians[contender], theirs)
    finally:
        subprocess.run([plugin, "rm", "-f", name], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
