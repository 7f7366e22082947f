"""Checks that a live command sent exactly the requests its dry run listed, in the same order.

usage: same_requests.py DRY_RUN_JSON LIVE_STDERR WHAT

DRY_RUN_JSON is the output of the command with --dry-run=json, LIVE_STDERR the stderr of the same
command run with the docker CLI's -D (one "DEBU docker-sandbox: METHOD ...TARGET" line per
request). A reference such as {create.Id} in the dry run matches any id (the same one each time), and a generated run id
(12 hex digits, in names such as docker-sandbox-<id>) matches any other one. A step with conditions
(only if the image is missing, unless an earlier step already removed the helper, ...) may be
absent from the live log; every other step must be there. A step that walks (the command looked
up along PATH: "walk" in the dry run) is sent once for each path it looks at, each with its own
query. The version negotiation (GET /_ping), which the dry run sends too, is not part of a plan.
"""
import json
import re
import sys

dry_path, live_path, what = sys.argv[1:4]
steps = json.load(open(dry_path))
live = []
for line in open(live_path, errors="replace"):
    m = re.match(r"^DEBU docker-sandbox: (GET|HEAD|POST|PUT|DELETE) \S*?(/v1\.\d+/\S*|/_ping)( \(raw connection\))?$", line.rstrip("\n"))
    if m and m.group(2) != "/_ping":
        live.append(m.group(1) + " " + m.group(2))


def pattern(step):
    """The step's request as a regex, and the references ({create.Id}, ...) its groups capture."""
    parts = re.split(r"(\{[A-Za-z0-9_-]+\.[A-Za-z]+\}|(?<![0-9a-f])(?:[0-9a-f]{64}|[0-9a-f]{12})(?![0-9a-f]))", step["target"])
    refs = [p for i, p in enumerate(parts) if i % 2 and p.startswith("{")]
    body = "".join(("([0-9a-f]{12,64})" if p.startswith("{") else "[0-9a-f]{12,64}") if i % 2 else re.escape(p)
                   for i, p in enumerate(parts))
    if "walk" in step:
        body += r"\?\S+"
    return re.compile("^" + re.escape(step["method"]) + " " + body + "$"), refs


# A reference names one object: once {lookup.Id} matched an id, it matches that id only.
bound = {}


def matches(step, line):
    regex, refs = pattern(step)
    m = regex.match(line)
    if not m or any(bound.get(ref, value) != value for ref, value in zip(refs, m.groups())):
        return False
    bound.update(zip(refs, m.groups()))
    return True


i = 0
problems = []
for step in steps:
    sent = i < len(live) and matches(step, live[i])
    if sent:
        i += 1
        while "walk" in step and i < len(live) and matches(step, live[i]):
            i += 1
    elif not step["conditions"] and "walk" not in step:  # a walk may send nothing (all looked at on the host)
        problems.append("not sent: %s %s (%s)" % (step["method"], step["target"], step["summary"]))
problems += ["sent but not in the dry run: " + line for line in live[i:]]
if problems or not live:
    print("FAIL: %s: the live requests differ from the dry run" % what, file=sys.stderr)
    for p in problems or ["nothing was sent"]:
        print("  " + p, file=sys.stderr)
    print("  live log:", file=sys.stderr)
    for line in live:
        print("    " + line, file=sys.stderr)
    sys.exit(1)
print("%s: %d requests, as the dry run listed (%d steps, %d conditional)"
      % (what, len(live), len(steps), sum(1 for s in steps if s["conditions"])))
