#!/usr/bin/env python3
"""The engines the e2e suite runs against (tests/run-all.sh), the tests each one does not run and
why, and the README's engine matrix made from the suite's results.

  engine_matrix.py exclude ENGINE          the ctest -E regex of the e2e tests ENGINE skips
  engine_matrix.py table DIR               a Markdown table from DIR/ENGINE.xml (ctest --output-junit)
"""
import os
import sys
import xml.etree.ElementTree as ElementTree

# In the order of the table's columns.
ENGINES = {
    "dockerd-20.10": "dockerd 20.10 (Debian 12, API 1.41)",
    "dockerd-28.5": "dockerd 28.5 (sid chroot, API 1.51)",
    "podman-4.3": "Podman 4.3 (Debian 12)",
}

# About the docker CLI, the endpoint or the package rather than the engine: run once, against the
# host's dockerd, which they name themselves (its socket, its contexts, ssh and TLS to it).
ONCE = {
    "completion_cli": "the CLI's completion",
    "completion_scripts": "the CLI's completion",
    "dry_run_offline": "no engine at all",
    "metadata": "no engine at all",
    "plugin_listed": "the docker CLI",
    "package_install": "the package",
    "endpoint_ssh": "endpoint resolution (ssh to the host's dockerd)",
    "endpoint_tls": "endpoint resolution (TLS to the host's dockerd)",
    "unknown_context": "endpoint resolution",
    "version_context": "endpoint resolution",
    "version_default": "endpoint resolution (the default socket)",
    "version_host_flag": "endpoint resolution",
    "dind_workspace": "mounts the host dockerd's socket into a worker",
    "rootless_engine": "starts its own rootless dockerd",
    "fault_engine_restart": "starts, stops and restarts its own private dockerd (the engine under test is never touched)",
}

# What an engine cannot run, and why, each reason starting with its kind: "unsupported" (the
# engine cannot), "partial" (it works with a difference), "fails" and "open bug" (ours or the
# engine's, not yet solved), "not run" (the test itself assumes Docker).
LIMITS = {
    "dockerd-20.10": {},
    "dockerd-28.5": {
        "run_network": "unsupported: --network host is the chroot engine's own network namespace, not the host's",
        "dry_run_matches_live": "not run: not a local engine, so the live run first reads /info and probes the directories, "
        "which the dry run says but does not send",
        "detached_exec": "open: an exec in a detached sandbox of this chroot engine cannot enter /workspace once the "
        "plugin has put the pinned workspace back after the start (the command that started before keeps it); to fix",
        "detached_exec_tty": "open: as detached_exec (the exec cannot enter /workspace on this chroot engine)",
        "detached_identity": "open: as detached_exec (its identity is read through an exec)",
    },
    "podman-4.3": {
        "list_format_filter": "partial: the test compares with docker volume ls, and Podman 4.3's own label filter by "
        "key alone (label=team) also lists a volume without that label; ours lists only the labelled ones",
        "collect_planted_links": "partial: Podman's archive HEAD answers 404 for a link inside a volume, so a planted "
        "link is refused as 'nothing there' rather than named (nothing is read either way)",
        "run_check": "partial: Podman puts --cap-add capabilities in a non-root user's effective set, which --check reports",
        "run_oom": "unsupported: Podman 4.3 never reports an OOM kill (State.OOMKilled false, exit 137, no oom event, "
        "while the kernel logs the memory cgroup's kill): its conmon 2.1.6 writes the oom marker into the service's "
        "working directory, not the container's bundle where Podman looks; the run exits 137 without the memory line",
        "run_privileges": "unsupported: Podman 4.3 takes an inline seccomp profile for a file path, so "
        "--seccomp-profile FILE fails (the default profile applies)",
        "run_runtime": "unsupported: runsc is not a runtime of this Podman",
        "run_tmpfs_options": "unsupported: Podman 4.3 refuses tmpfs uid=/gid=; scratch is the sandbox user's through "
        "Podman's U option, and a uid= for another user is refused in one line",
        "volume_lifecycle": "partial: Podman's dangling filter lists a volume in use, so volume prune fails on it "
        "(the engine refuses; nothing is lost)",
        "egress_proxy_in_empty_image": "unsupported: this Podman 4.3 (CNI without the dnsname plugin) resolves no "
        "container name or network alias on a user network, which the test's clients and web server need",
    },
}


def excluded(engine):
    names = sorted(set(LIMITS[engine]) | (set(ONCE) if engine != "dockerd-20.10" else set()))
    return r"^e2e\.(" + "|".join(names) + r")$" if names else "^$"


def results(path):
    """{test name: passed} from a ctest JUnit file."""
    out = {}
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        name = case.get("name", "")
        if name.startswith("e2e."):
            failed = case.find("failure") is not None or case.find("error") is not None
            skipped = case.find("skipped") is not None or case.get("status") in ("notrun", "disabled")
            out[name[4:]] = None if skipped else not failed
    return out


def table(directory):
    found = {engine: results(os.path.join(directory, engine + ".xml"))
             for engine in ENGINES if os.path.exists(os.path.join(directory, engine + ".xml"))}
    tests = sorted(set().union(*[set(r) for r in found.values()]) | set(ONCE))
    lines = ["| e2e test | " + " | ".join(ENGINES[e] for e in found) + " |",
             "|---|" + "---|" * len(found)]
    for test in tests:
        cells = []
        for engine, result in found.items():
            if test in result:
                cells.append({True: "works", False: "**fails**", None: "skipped"}[result[test]])
            elif test in LIMITS[engine]:
                cells.append(LIMITS[engine][test])
            elif test in ONCE:
                cells.append("not engine-specific: " + ONCE[test])
            else:
                cells.append("not run")
        lines.append("| " + test + " | " + " | ".join(cells) + " |")
    totals = [f"{sum(1 for v in r.values() if v)}/{len(r)} pass" for r in found.values()]
    lines.append("| **all** | " + " | ".join(totals) + " |")
    return "\n".join(lines)


def main(argv):
    if len(argv) == 3 and argv[1] == "exclude" and argv[2] in ENGINES:
        print(excluded(argv[2]))
    elif len(argv) == 3 and argv[1] == "table":
        print(table(argv[2]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
