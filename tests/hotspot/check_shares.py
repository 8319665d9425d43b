#!/usr/bin/env python3
"""Hotspot shares against go tool pprof, the oracle.

A class's share is the value of the samples with a frame of the class,
each counted once. That is exactly what `go tool pprof -focus=PATTERN`
keeps, and with nothing trimmed (-nodefraction=0) its "Showing nodes
accounting for X, P% of T total" line sums the flat values of all the
remaining nodes, i.e. of those samples. So for every fixture, every sample
type and every class with samples (the built-in ones and a few user
classes given with -highlight=NAME=REGEX), callviz's -hotspots report must
say X and P%, and its -top "Hotspots:" line P%. A class callviz leaves
out (no samples) must be one for which pprof keeps nothing either.

    check_shares.py --callviz build/callviz --patterns build/tests/hotspot_patterns \
        --data tests/data --data tests/hotspot/data

pprof's outputs are replayed from tests/golden/hotspot.json.xz unless
--pprof-mode says otherwise (tests/lib/golden.py).

Python 3 standard library only; exit status 1 on any mismatch.
"""

import argparse
import concurrent.futures
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "diff"))
import run_diff  # noqa: E402  (fixture listing, sample types, the pprof command)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import golden  # noqa: E402  (pprof's recorded outputs)

# User classes: each must get the share pprof reports for -focus=REGEX.
# Unanchored like -focus, so they also match file names, as -focus does.
USER_CLASSES = [
    "json=encoding/json",
    r"mine=^main\.",
    "hash=sha256|crc32|hash",
    "sorting=sort",
    "cmalloc=^(malloc|_int_malloc)$",
    r"wr=write|Write",
]

SHOWING = re.compile(r"^Showing nodes accounting for (\S+), (\S+) of (\S+) total$", re.M)


class Tools:
    def __init__(self, callviz, pprof, scratch, store):
        self.callviz, self.pprof, self.store = callviz, pprof, store
        self.env = dict(os.environ, HOME=scratch, PPROF_TMPDIR=scratch,
                        PPROF_BINARY_PATH=scratch, TZ="UTC", LC_ALL="C")

    def run(self, argv):
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, env=self.env, cwd=golden.REPO, timeout=300)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def pprof_run(self, args):
        return self.store.run([args], self.run)[0]


def parse_summary(text):
    """callviz -hotspots: {class: (value, percent)} from the summary block."""
    out, inside = {}, False
    for line in text.splitlines():
        if line.startswith("Hotspots: share of the"):
            inside = True
            continue
        if inside:
            parts = line.split()
            if len(parts) != 3:
                break
            out[parts[2]] = (parts[0], parts[1])
    return out


def parse_top_line(text):
    """callviz -top: {class: percent} from the Hotspots: line."""
    for line in text.splitlines():
        if line.startswith("Hotspots: "):
            return dict(item.rsplit(" ", 1) for item in line[len("Hotspots: "):].split(", "))
    return {}


def check_fixture(tools, path, sample_type, unit, classes, highlights):
    """Return (checked, problems) for one fixture and sample type."""
    problems, checked = [], 0
    base = ["-sample_index=" + sample_type, "-unit=" + unit]
    hl = ["-highlight=" + h for h in highlights]
    rc, rep, err = tools.run([tools.callviz, "-hotspots"] + base + hl + [path])
    if rc:
        return 0, ["callviz -hotspots failed: %s" % err.strip()]
    rc, top, err = tools.run([tools.callviz, "-top"] + base + hl + [path])
    if rc:
        return 0, ["callviz -top failed: %s" % err.strip()]
    got, got_top = parse_summary(rep), parse_top_line(top)
    if set(got) != set(got_top):
        problems.append("classes differ between -hotspots %s and -top %s" % (sorted(got), sorted(got_top)))
    for name, pattern in classes:
        rc, out, err = tools.pprof_run(["-top", "-nodefraction=0", "-focus=" + pattern]
                                       + base + [path])
        m = SHOWING.search(out)
        if rc or not m:
            problems.append("%s: pprof -focus failed: %s" % (name, err.strip()[:200]))
            continue
        value, pct = m.group(1), m.group(2)
        checked += 1
        if name not in got:
            # Left out: pprof must keep nothing of value either.
            if re.match(r"^0[a-zA-Z]*$", value) is None:
                problems.append("%s: callviz shows no share, pprof -focus keeps %s (%s)" % (name, value, pct))
            continue
        if got[name] != (value, pct):
            problems.append("%s: callviz %s %s, pprof -focus %s %s" % (name, got[name][0], got[name][1], value, pct))
        if got_top.get(name) != pct:
            problems.append("%s: -top Hotspots line says %s, pprof %s" % (name, got_top.get(name), pct))
    return checked, problems


# Frames of the packages whose functions wrap system calls: on a stack, each
# must be in the syscall class, so the path from internal/poll down to
# Syscall is marked without a gap (issue 25: syscall.write was not).
WRAPPER = re.compile(r"^(syscall|internal/syscall/unix|(vendor/)?golang\.org/x/sys/unix|internal/poll)\.")


def check_wrappers(tools, path, classes):
    """Return (frames checked, problems): pprof -traces' wrapper frames vs the class."""
    pattern = dict(classes).get("syscall")
    if pattern is None:
        return 0, []
    rc, out, err = tools.pprof_run(["-traces", path])
    if rc:
        return 0, ["pprof -traces failed: %s" % err.strip()[:200]]
    syscall = re.compile(pattern)
    seen, problems = set(), []
    for line in out.splitlines():
        if line.startswith("-") or not line.startswith(" "):
            continue
        parts = line.split()
        frame = parts[1] if re.match(r"^-?[0-9.]+[a-zA-Z]*$", parts[0]) and len(parts) > 1 else parts[0]
        if WRAPPER.match(frame) and frame not in seen:
            seen.add(frame)
            if not syscall.search(frame):
                problems.append("%s is on a system call's path but not in class syscall" % frame)
    return len(seen), problems


def sample_types_and_units(path):
    """[(type, unit)] of a profile, in order."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    types, strings = [], []
    for num, wt, val in run_diff._fields(data):
        if num == 1 and wt == 2:
            t = {1: 0, 2: 0}
            for n2, w2, v2 in run_diff._fields(val):
                if n2 in t and w2 == 0:
                    t[n2] = v2
            types.append((t[1], t[2]))
        elif num == 6 and wt == 2:
            strings.append(val.decode("utf-8", "replace"))
    return [(strings[t], strings[u]) for t, u in types]


def class_table(patterns_tool, specs):
    out = subprocess.run([patterns_tool] + specs, stdout=subprocess.PIPE, check=True).stdout.decode()
    return [tuple(line.split("\t", 1)) for line in out.splitlines() if line]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--callviz", required=True)
    ap.add_argument("--patterns", required=True, help="the hotspot_patterns test tool")
    ap.add_argument("--data", required=True, action="append",
                    help="a directory of *.pb.gz / *.pb fixtures (repeatable)")
    ap.add_argument("--pprof", help="oracle command (default: $(go env GOTOOLDIR)/pprof)")
    ap.add_argument("--jobs", "-j", type=int, default=2)
    ap.add_argument("--verbose", "-v", action="store_true")
    golden.add_arguments(ap)
    args = golden.parse(ap)

    pprof = args.pprof or (run_diff.default_pprof() or [None])[0]
    if not pprof:
        if args.pprof_mode != "golden":
            print("check_shares: go not found; the oracle is go tool pprof", file=sys.stderr)
            return golden.SKIP
        pprof = "pprof"  # replayed only
    builtin = class_table(args.patterns, [])
    user = class_table(args.patterns, USER_CLASSES)
    scratch = tempfile.mkdtemp(prefix="callviz-hotspots-")
    roots = {"repo": golden.REPO}
    for i, d in enumerate(args.data):
        roots["data%d" % i if i else "data"] = os.path.abspath(d)
    store = golden.Golden("hotspot", args.pprof_mode, [pprof], roots, scratch)
    tools = Tools(os.path.abspath(args.callviz), pprof, scratch, store)
    jobs = []
    fixtures = [f for d in args.data for f in run_diff.find_fixtures(os.path.abspath(d))]
    for name, path in fixtures:
        types = sample_types_and_units(path)
        for st, unit in types:
            # Built-in classes on every sample type; user classes on the default.
            jobs.append((name, path, st, unit, builtin, []))
            if (st, unit) == types[-1]:
                jobs.append((name, path, st, unit, user, USER_CLASSES))
    if args.pprof_mode == "oracle":
        jobs = golden.sampled(jobs, args.sample)
    failed = checked = wrappers = 0
    try:
        for name, path in fixtures:
            n, problems = check_wrappers(tools, path, builtin)
            wrappers += n
            if problems:
                failed += 1
                print("FAIL %s: syscall wrappers" % name)
                for p in problems:
                    print("    " + p)
            elif args.verbose and n:
                print("ok   %s: %d syscall wrapper frames in class syscall" % (name, n))
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = pool.map(lambda j: (j, check_fixture(tools, *j[1:])), jobs)
            for (name, path, st, unit, classes, hl), (n, problems) in results:
                checked += n
                what = "%s -sample_index=%s%s" % (name, st, " (user classes)" if hl else "")
                if problems:
                    failed += 1
                    print("FAIL %s" % what)
                    for p in problems:
                        print("    " + p)
                elif args.verbose:
                    print("ok   %s: %d classes" % (what, n))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    failed += store.finish()
    print("%d class shares checked against pprof -focus in %d runs, %d syscall wrapper frames, %d failed"
          % (checked, len(jobs), wrappers, failed))
    return 1 if failed or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
