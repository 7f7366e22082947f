#!/usr/bin/env python3
"""Start-up of the one-file plugin, paired against what a user compares it with. Prints medians
and ratios, never fails on time.

  python3 tests/bench/startup_bench.py [--runs N] [--image IMAGE] [--plugin PATH] [--old DIR]

- the metadata probe (`docker-sandbox docker-cli-plugin-metadata`, which the docker CLI runs before
  every plugin call; target <= 2 ms, worst 5 ms) against spawning /bin/true, and, with --old, the
  two-file build's launcher and core (DIR holding docker-sandbox and docker-sandbox-core);
- spawn to first request: from spawning `docker-sandbox version` to its connect() on a unix socket
  this script listens on (target: main to first request <= 1 ms, that is, at most 1 ms above
  spawning /bin/true to its exit);
- `docker sandbox run IMAGE true`, `docker run --rm` with the same hardening, and the standalone
  `docker-sandbox run IMAGE true` (targets: ratios to docker run <= 1.00 and <= 0.97).

Each round runs every contender once, in a random order (paired); N rounds (default 30).
"""
import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time

from bench import hardened_docker_run, plugin_workspace, spawn_time


def paired(contenders, runs):
    """Median seconds of each contender (name -> argv, env) over `runs` rounds in random order."""
    times = {name: [] for name in contenders}
    for _ in range(runs):
        order = list(contenders)
        random.shuffle(order)
        for name in order:
            argv, env = contenders[name]
            times[name].append(spawn_time(argv, env=env))
    return {name: statistics.median(samples) for name, samples in times.items()}


def first_request(plugin, runs, work):
    """Median seconds from spawning `plugin version` to its connect() on a unix socket."""
    path = os.path.join(work, "engine.sock")
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    env = dict(os.environ, DOCKER_HOST=f"unix://{path}")
    env.pop("DOCKER_CONTEXT", None)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen([plugin, "version"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        connection, _ = server.accept()
        samples.append(time.perf_counter() - start)
        connection.close()
        child.wait()
    server.close()
    return statistics.median(samples)


def show(name, seconds, base=None, base_name=""):
    ratio = f"   {seconds / base:5.2f} x {base_name}" if base else ""
    print(f"  {name:<52} {seconds * 1000:8.2f} ms{ratio}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--image", default="docker-sandbox-busybox:latest")
    parser.add_argument("--plugin", default=os.path.join(here, "../../build/plugin/docker-sandbox"))
    parser.add_argument("--old", help="a directory with the two-file build's docker-sandbox and docker-sandbox-core")
    args = parser.parse_args()
    plugin, env, work = plugin_workspace(args.plugin, "sbx-sbench", copy=True)
    try:
        probes = {"/bin/true": (["/bin/true"], None),
                  "docker-sandbox docker-cli-plugin-metadata": ([plugin, "docker-cli-plugin-metadata"], None)}
        if args.old:
            for name in ("docker-sandbox", "docker-sandbox-core"):
                probes[f"old {name} docker-cli-plugin-metadata"] = (
                    [os.path.join(os.path.abspath(args.old), name), "docker-cli-plugin-metadata"], None)
        probe_runs = args.runs * 10
        print(f"metadata probe, {probe_runs} paired rounds")
        medians = paired(probes, probe_runs)
        for name, seconds in medians.items():
            show(name, seconds, medians["/bin/true"] if name != "/bin/true" else None, "/bin/true")

        print(f"spawn to first request, median of {probe_runs}")
        show("spawn /bin/true to its exit", medians["/bin/true"])
        show("spawn docker-sandbox version to its connect()", first_request(plugin, probe_runs, work))
        if args.old:
            show("the same, old launcher + core", first_request(os.path.join(os.path.abspath(args.old), "docker-sandbox"),
                                                                probe_runs, work))

        runs = {"docker run --rm + the same hardening": (hardened_docker_run(args.image, work) + ["true"], env),
                "docker sandbox run IMAGE true": (["docker", "sandbox", "run", args.image, "true"], env),
                "docker-sandbox run IMAGE true (standalone)": ([plugin, "run", args.image, "true"], env)}
        print(f"run, {args.runs} paired rounds")
        medians = paired(runs, args.runs)
        docker = medians["docker run --rm + the same hardening"]
        for name, seconds in medians.items():
            show(name, seconds, docker if not name.startswith("docker run") else None, "docker run")
        print("  targets: docker sandbox run <= 1.00 x docker run, standalone <= 0.97 x docker run")
    finally:
        os.chdir("/")
        shutil.rmtree(env["DOCKER_CONFIG"], ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
