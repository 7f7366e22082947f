#!/usr/bin/env python3
"""Benchmarks of docker-sandbox against the docker CLI on the same engine. Prints figures, never
fails on time.

  python3 tests/bench/bench.py [--runs N] [--image IMAGE] [--plugin PATH]

Figures: median wall time of the metadata probe (target < 2 ms; the CLI runs it before every plugin
call), of `docker sandbox version` against `docker version`, of `docker sandbox run IMAGE true`
against `docker run --rm` with the same hardening flags, and the throughput of 200 MB of stdout
through both.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def spawn_time(argv, stdout=subprocess.DEVNULL, env=None):
    start = time.perf_counter()
    subprocess.run(argv, stdout=stdout, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def median_ms(argv, runs, env=None):
    samples = [spawn_time(argv, env=env) for _ in range(runs)]
    return statistics.median(samples) * 1000


def row(name, ours, theirs=None, unit="ms"):
    if theirs is None:
        print(f"  {name:<44} {ours:10.2f} {unit}")
    else:
        print(f"  {name:<44} {ours:10.2f} {unit}  vs {theirs:10.2f} {unit}   ratio {ours / theirs:5.2f}")


def plugin_workspace(plugin_path, prefix, copy=False):
    """The plugin at `plugin_path` in a fresh DOCKER_CONFIG's cli-plugins (linked, or with `copy` a
    copy: the one file as a user installs it), and a project directory with output/, made the
    working directory. Returns (plugin, env, work); exits when there is no plugin binary."""
    plugin = os.path.abspath(plugin_path)
    if not os.access(plugin, os.X_OK):
        sys.exit(f"bench: no plugin binary at {plugin} (build first)")
    config = tempfile.mkdtemp(prefix=f"{prefix}.")
    os.makedirs(os.path.join(config, "cli-plugins"))
    (shutil.copy if copy else os.symlink)(plugin, os.path.join(config, "cli-plugins", "docker-sandbox"))
    work = tempfile.mkdtemp(prefix=f"{prefix}-work.")
    os.makedirs(os.path.join(work, "output"))
    os.chdir(work)
    return plugin, dict(os.environ, DOCKER_CONFIG=config), work


def hardened_docker_run(image, work):
    """`docker run --rm` with the hardening `docker sandbox run` applies by default, for a project
    directory `work` (with `work`/output): argv up to the image, the command to follow."""
    return ["docker", "run", "--rm", "--network", "none", "--read-only", "--cap-drop", "ALL",
            "--security-opt", "no-new-privileges", "--pids-limit", "512", "--memory", "2g",
            "--memory-swap", "2g", "--init", "--user", "65534:65534",
            "--tmpfs", "/tmp:rw,noexec,size=256m,mode=1777,uid=65534,gid=65534",
            "--mount", f"type=bind,src={work},dst=/workspace,readonly",
            "--mount", f"type=bind,src={work}/output,dst=/workspace/output",
            "-w", "/workspace", image]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--image", default="docker-sandbox-busybox:latest")
    parser.add_argument("--plugin", default=os.path.join(os.path.dirname(__file__), "../../build/plugin/docker-sandbox"))
    args = parser.parse_args()
    plugin, env, work = plugin_workspace(args.plugin, "sbx-bench")
    try:
        print(f"docker-sandbox benchmarks, median of {args.runs} runs")
        row("spawn /bin/true (baseline)", median_ms(["/bin/true"], args.runs * 5))
        row("docker-sandbox docker-cli-plugin-metadata", median_ms([plugin, "docker-cli-plugin-metadata"], args.runs * 5))
        row("docker sandbox version / docker version",
            median_ms(["docker", "sandbox", "version"], args.runs, env),
            median_ms(["docker", "version"], args.runs, env))
        row("docker-sandbox version (standalone)", median_ms([plugin, "version"], args.runs, env))

        hardened = hardened_docker_run(args.image, work)
        runs = max(5, args.runs // 2)
        row("docker sandbox run IMAGE true / docker run --rm",
            median_ms(["docker", "sandbox", "run", args.image, "true"], runs, env),
            median_ms(hardened + ["true"], runs, env))

        flood = ["head", "-c", "200000000", "/dev/zero"]
        mb = 200.0
        ours = [mb / spawn_time(["docker", "sandbox", "run", args.image] + flood, env=env) for _ in range(3)]
        theirs = [mb / spawn_time(hardened + flood, env=env) for _ in range(3)]
        row("200 MB stdout throughput (higher is better)", statistics.median(ours), statistics.median(theirs), "MB/s")
    finally:
        os.chdir("/")
        shutil.rmtree(env["DOCKER_CONFIG"], ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
