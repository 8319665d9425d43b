#!/usr/bin/env python3
"""Checks of -folded, folded input and the -flame / -icicle SVG.

For every fixture in the data directory and a few flag sets:

  folded   every line is "frame;...;frame count" as flamegraph.pl reads it
           (its regex), counts positive, stacks distinct and sorted; when
           FLAMEGRAPH_PL names Brendan Gregg's flamegraph.pl (and perl is
           there), it must take the text without ignoring a line and show
           the same total.
  readback the folded text read back by callviz (input detected by content)
           gives the same -top table rows and "Showing nodes" line as the
           source, for the sample types counted in plain numbers.
  flame    the SVG is well-formed XML; frames (<g class="f ...">) form a
           tree by position whose values equal the folded stacks summed by
           prefix: one frame per tree node at least data-min wide, plus one
           merged frame for the narrower siblings when together they reach
           data-min; the title shows the type and the report's total;
           -icicle puts the root at the top, -flame at the bottom.

Then a synthetic profile of a million samples in ~100k distinct stacks
(written as folded text, re-encoded with -proto) must give a flame graph
under 5 MB with at most 12000 frames, again consistent with its stacks.

Python 3 standard library only; exit status 1 on any failure.
"""

import argparse
import bisect
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
FLAMEGRAPH_LINE = re.compile(r"^(.*)\s+?(\d+(?:\.\d*)?)$")  # flamegraph.pl's rule
TOP_HEAD = re.compile(r"^\s*flat\s+flat%\s+sum%\s+cum\s+cum%\s*$")
HIGH = "\U0010ffff"

FLAG_SETS = [
    ("defaults", []),
    ("lines", ["-lines"]),
    ("noinlines", ["-noinlines"]),
    ("focus-hide", [r"-focus=main\.|json", r"-hide=runtime\.mallocgc"]),
]
COUNT_TYPES = ("samples", "contentions", "alloc_objects", "inuse_objects", "goroutine", "count")


class Failures:
    def __init__(self):
        self.items = []

    def check(self, ok, what):
        if not ok:
            self.items.append(what)
            print("FAIL " + what)
        return ok


def run(argv, **kw):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


# ---------------------------------------------------------------------------
# folded text


def parse_folded(text, fail, what):
    """[(frames tuple, count)] in file order, checking the format."""
    stacks = []
    for n, line in enumerate(text.splitlines(), 1):
        m = FLAMEGRAPH_LINE.match(line)
        if not fail.check(m is not None, "%s: line %d is not flamegraph.pl input: %r"
                          % (what, n, line)):
            return []
        stack, count = line.rsplit(" ", 1)
        fail.check(count.isdigit() and int(count) > 0,
                   "%s: line %d: count %r is not a positive integer" % (what, n, count))
        frames = tuple(stack.split(";"))
        fail.check(all(frames), "%s: line %d has an empty frame" % (what, n))
        stacks.append((frames, int(count)))
    keys = [s for s, _ in stacks]
    fail.check(len(set(keys)) == len(keys), "%s: a stack appears twice" % what)
    return stacks


def check_flamegraph_pl(folded_path, total, fail, what):
    script = os.environ.get("FLAMEGRAPH_PL")
    if not script or not shutil.which("perl"):
        return
    rc, out, err = run(["perl", script, folded_path])
    if not fail.check(rc == 0, "%s: flamegraph.pl exit %s: %s" % (what, rc, err.strip())):
        return
    fail.check("Ignored" not in err, "%s: flamegraph.pl ignored lines: %s" % (what, err.strip()))
    ET.fromstring(out)
    m = re.search(r"<title>all \(([\d,]+) samples, 100%\)</title>", out.decode())
    fail.check(m is not None and int(m.group(1).replace(",", "")) == total,
               "%s: flamegraph.pl's total %s, folded sums to %d"
               % (what, m and m.group(1), total))


# ---------------------------------------------------------------------------
# the flame graph SVG


class Frame:
    def __init__(self, g):
        self.x, self.v, self.d = int(g.get("data-x")), int(g.get("data-v")), int(g.get("data-d"))
        self.classes = g.get("class").split()
        title = g.find(SVG + "title").text or ""
        self.name, _, self.info = title.partition("\n")
        if "i" in self.classes:
            self.name += "_[i]"
        self.y = float(g.find(SVG + "rect").get("y"))
        self.merged = "m" in self.classes
        self.children = []


def svg_frames(svg_bytes):
    root = ET.fromstring(svg_bytes)
    layer = root.find(".//%sg[@id='frames']" % SVG)
    return root, [Frame(g) for g in layer.findall(SVG + "g")]


class Stacks:
    """Folded stacks sorted, for sums and children by prefix."""

    def __init__(self, stacks):
        self.keys = sorted(stacks)
        self.prefix = [0]
        for _, c in self.keys:
            self.prefix.append(self.prefix[-1] + c)
        self.frames = [k for k, _ in self.keys]

    def span(self, path):
        lo = bisect.bisect_left(self.frames, path)
        hi = bisect.bisect_left(self.frames, path + (HIGH,))
        return lo, hi

    def value(self, path):
        lo, hi = self.span(path)
        return self.prefix[hi] - self.prefix[lo]

    def children(self, path):
        lo, hi = self.span(path)
        out = {}
        for i in range(lo, hi):
            f = self.frames[i]
            if len(f) > len(path):
                out[f[len(path)]] = out.get(f[len(path)], 0) + self.keys[i][1]
        return out


def check_tree(frames, stacks, minimum, fail, what):
    """Frames must be exactly the stacks' tree cut at `minimum`."""
    by_depth = {}
    for f in frames:
        by_depth.setdefault(f.d, []).append(f)
    for fs in by_depth.values():
        fs.sort(key=lambda f: f.x)
    roots = by_depth.get(0, [])
    if not fail.check(len(roots) == 1 and roots[0].name == "all", "%s: no single root" % what):
        return
    for f in frames:
        if f.d == 0:
            continue
        parents = by_depth.get(f.d - 1, [])
        i = bisect.bisect_right([p.x for p in parents], f.x) - 1
        ok = i >= 0 and parents[i].x <= f.x and f.x + f.v <= parents[i].x + parents[i].v
        if not fail.check(ok, "%s: frame %s at depth %d lies in no parent" % (what, f.name, f.d)):
            return
        parents[i].children.append(f)
    total = stacks.prefix[-1]
    fail.check(roots[0].v == total, "%s: root %d, folded total %d" % (what, roots[0].v, total))
    todo = [(roots[0], ())]
    count = 0
    while todo:
        f, path = todo.pop()
        count += 1
        if f.merged:
            continue
        want = stacks.children(path)
        big = {n: v for n, v in want.items() if v >= minimum}
        small = sum(v for v in want.values() if v < minimum)
        got = {c.name: c.v for c in f.children if not c.merged}
        merged = [c.v for c in f.children if c.merged]
        if not fail.check(got == big, "%s: children of %s: %s, want %s"
                          % (what, ";".join(path) or "all", sorted(got.items())[:5],
                             sorted(big.items())[:5])):
            return
        want_merged = [small] if small >= minimum and small > 0 else []
        if not fail.check(merged == want_merged, "%s: merged frame under %s: %s, want %s"
                          % (what, ";".join(path) or "all", merged, want_merged)):
            return
        x = f.x
        for c in sorted(f.children, key=lambda c: c.x):
            fail.check(c.x == x, "%s: gap or overlap before %s" % (what, c.name))
            x += c.v
            todo.append((c, path + (c.name,)))
    fail.check(count == len(frames), "%s: %d frames reachable of %d" % (what, count, len(frames)))


def check_svg(svg_bytes, stacks, fail, what, icicle, type_name=None, total_label=None):
    try:
        root, frames = svg_frames(svg_bytes)
    except ET.ParseError as e:
        fail.check(False, "%s: not well-formed XML: %s" % (what, e))
        return None
    minimum = int(root.get("data-min"))
    check_tree(frames, stacks, minimum, fail, what)
    title = " ".join(t.text or "" for t in root.iter(SVG + "text") if t.get("id") in ("title", "subtitle"))
    if type_name:
        fail.check("Type: %s" % type_name in title, "%s: title %r lacks the type" % (what, title))
    if total_label:
        fail.check("Total: %s" % total_label in title,
                   "%s: title %r lacks the total %s" % (what, title, total_label))
    ys = {f.d: f.y for f in frames}
    if len(ys) > 1:
        top_is_root = ys[0] == min(ys.values())
        fail.check(top_is_root == icicle, "%s: root drawn at the %s" % (what, "top" if top_is_root else "bottom"))
    return frames


# ---------------------------------------------------------------------------


def top_parts(text):
    """The 'Showing nodes' line and the table rows of a -top output."""
    lines = text.splitlines()
    showing = [l for l in lines if l.startswith("Showing nodes")]
    head = [i for i, l in enumerate(lines) if TOP_HEAD.match(l)]
    return showing, lines[head[0] + 1:] if head else []


def sample_type_names(path):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "diff"))
    import run_diff  # its minimal profile.proto reader
    return run_diff.sample_types(path)


def check_fixture(callviz, path, scratch, fail):
    name = os.path.basename(path)
    for flagname, flags in FLAG_SETS:
        what = "%s %s" % (name, flagname)
        rc, folded, err = run([callviz, "-folded"] + flags + [path])
        if not fail.check(rc == 0, "%s: -folded failed: %s" % (what, err.strip())):
            continue
        stacks = parse_folded(folded.decode("utf-8"), fail, what + " -folded")
        keys = [s for s, _ in stacks]
        fail.check(keys == sorted(keys, key=lambda k: [(f[:-4], 1) if f.endswith("_[i]") else (f, 0) for f in k]),
                   "%s: folded lines not sorted frame by frame" % what)
        folded_path = os.path.join(scratch, "stacks.folded")
        with open(folded_path, "wb") as f:
            f.write(folded)
        total = sum(c for _, c in stacks)
        if stacks:
            check_flamegraph_pl(folded_path, total, fail, what)
        rc, top, _ = run([callviz, "-top", "-unit=auto"] + flags + [path])
        m = re.search(r"of (\S+) total", top.decode())
        label = m.group(1) if m else None
        for fmt in ("flame", "icicle"):
            rc, svg, err = run([callviz, "-" + fmt] + flags + [path])
            if fail.check(rc == 0, "%s: -%s failed: %s" % (what, fmt, err.strip())):
                check_svg(svg, Stacks(stacks), fail, "%s -%s" % (what, fmt), fmt == "icicle",
                          total_label=label)
        check_readback(callviz, path, flags, folded_path, fail, what)


def check_readback(callviz, path, flags, folded_path, fail, what):
    """callviz -top on the folded text equals -top on the source. The text
    is already filtered and named at the granularity, so it is read with no
    flags; with filters, the totals (and the percentages and trimming that
    follow from them) differ, so only flat, cum and names are compared,
    untrimmed."""
    filtered = any(f.startswith(("-focus", "-hide", "-ignore", "-show")) for f in flags)
    trim = ["-nodefraction=0"] if filtered else []
    for index in sample_type_names(path):
        if index not in COUNT_TYPES:
            continue
        rc1, folded, _ = run([callviz, "-folded", "-sample_index=" + index] + flags + [path])
        if rc1 != 0 or not folded:
            continue
        with open(folded_path, "wb") as f:
            f.write(folded)
        rc2, a, _ = run([callviz, "-top", "-sample_index=" + index] + trim + flags + [path])
        rc3, b, err = run([callviz, "-top"] + trim + [folded_path])
        if not fail.check(rc2 == rc3 == 0, "%s si=%s: read back failed: %s" % (what, index, err)):
            continue
        sa, ra = top_parts(a.decode())
        sb, rb = top_parts(b.decode())
        if filtered:
            ra = [r.split()[0:1] + r.split()[3:4] + [r.split(None, 5)[5]] for r in ra]
            rb = [r.split()[0:1] + r.split()[3:4] + [r.split(None, 5)[5]] for r in rb]
            sa = sb = []
        fail.check(sa == sb and ra == rb, "%s si=%s: -top of the folded text differs:\n    %s\n    %s"
                   % (what, index, (sa, ra[:3]), (sb, rb[:3])))


# ---------------------------------------------------------------------------


def synthetic_folded(path, n_stacks=100000, samples=1000000, seed=7):
    """A made-up profile: a call tree with fan-out and recursion, `samples`
    samples spread unevenly over n_stacks distinct stacks, most of them
    narrow."""
    rng = random.Random(seed)
    names = ["pkg%d.(*T%d).Method%d" % (i % 97, i % 13, i) for i in range(6000)]
    stacks = set()
    while len(stacks) < n_stacks:
        node, frames = rng.randrange(8), []
        for _ in range(rng.randint(4, 48)):
            frames.append(names[node])
            node = (node * 31 + rng.randrange(1 + len(frames) // 3)) % len(names)
        stacks.add(";".join(frames))
    weights = [rng.expovariate(1.0) ** 3 for _ in range(n_stacks)]
    scale = (samples - n_stacks) / sum(weights)
    counts = [1 + int(w * scale) for w in weights]
    counts[0] += samples - sum(counts)
    with open(path, "w") as out:
        for key, count in zip(sorted(stacks), counts):
            out.write("%s %d\n" % (key, count))
    return samples


def check_big(callviz, scratch, fail):
    folded = os.path.join(scratch, "big.folded")
    total = synthetic_folded(folded)
    proto = os.path.join(scratch, "big.pb.gz")
    rc, _, err = run([callviz, "-proto", "-output", proto, folded])
    if not fail.check(rc == 0, "big: -proto of the folded text failed: " + err):
        return
    t0 = time.monotonic()
    rc, svg, err = run([callviz, "-flame", proto])
    secs = time.monotonic() - t0
    if not fail.check(rc == 0, "big: -flame failed: " + err):
        return
    with open(folded) as f:
        stacks = parse_folded(f.read(), fail, "big folded")
    frames = check_svg(svg, Stacks(stacks), fail, "big -flame", False)
    n = len(frames or [])
    print("big: %d samples in %d stacks -> %.2f MB SVG, %d frames, %.2fs"
          % (total, len(stacks), len(svg) / 1e6, n, secs))
    fail.check(len(svg) < 5 * 1000 * 1000, "big: SVG is %d bytes, over 5 MB" % len(svg))
    fail.check(0 < n <= 12000, "big: %d frames" % n)
    fail.check(any(f.merged for f in frames or []), "big: no frame was merged")
    with open(os.path.join(scratch, "big.svg"), "wb") as f:
        f.write(svg)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--callviz", required=True)
    ap.add_argument("--data", default=os.path.join(here, "..", "data"))
    ap.add_argument("--no-big", action="store_true", help="skip the million-sample profile")
    ap.add_argument("--keep", help="keep scratch files (the big SVG) in this directory")
    args = ap.parse_args()
    callviz = os.path.abspath(args.callviz)
    fail = Failures()
    scratch = args.keep or tempfile.mkdtemp(prefix="callviz-flame-")
    os.makedirs(scratch, exist_ok=True)
    try:
        fixtures = sorted(f for f in os.listdir(args.data) if f.endswith((".pb.gz", ".pb")))
        for name in fixtures:
            check_fixture(callviz, os.path.join(args.data, name), scratch, fail)
            print("checked %s" % name)
        if not args.no_big:
            check_big(callviz, scratch, fail)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print("%d failures" % len(fail.items))
    return 1 if fail.items else 0


if __name__ == "__main__":
    sys.exit(main())
