#!/usr/bin/env python3
"""Round trips through callviz's -proto and -folded, judged by go tool pprof.

proto   For every fixture and every flag set of run_diff.py (FLAG_SETS and
        the -sample_index sets):

            callviz       -proto FLAGS SRC > P
            go tool pprof -proto FLAGS SRC > Q
            A = go tool pprof -top FLAGS' P          R = the same on Q
            V = go tool pprof -top VIEW P
            C = go tool pprof -top -relative_percentages FLAGS SRC
            B = callviz       -top -relative_percentages FLAGS SRC

        A must equal R byte for byte: pprof reads callviz's profile as it
        reads its own. V must equal C without its "Active filters" lines:
        the re-encoded profile is exactly the filtered profile (VIEW is
        FLAGS' without the filters, whose work is in P; re-applying them is
        not always a no-op in pprof, see FILTER_FLAGS). B must equal C
        (callviz's own -top). -relative_percentages because P holds only the
        samples the filters kept, so its total is theirs. FLAGS' leaves out
        what acts once on a profile and is in P already: -tagroot/-tagleaf
        frames, -add_comment, -divide_by. With -divide_by only A = R is
        required: every value is truncated as it is written. Both tools
        must agree on refusing FLAGS.

folded  For every fixture and a few flag sets, the values of callviz -folded
        summed per stack equal go tool pprof -traces summed per stack (pprof
        prints every sample; its "(inline)" frames are folded's "_[i]").

pprof's outputs are replayed from tests/golden/roundtrip.json.xz unless
--pprof-mode says otherwise (tests/lib/golden.py): the steps "pprof -proto
-output Q; pprof -top Q" are recorded as one entry, and a file callviz wrote
is named in the key by its content, so a changed -proto output needs the
golden file recorded again (tests/golden/record.sh).

Python 3 standard library only; shares run_diff.py's flag table and helpers.
The last line is "N passed, M failed"; the exit status is 1 on any failure.
"""

import argparse
import concurrent.futures
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_diff  # noqa: E402  (the flag table, fixtures, pprof, top parsing)
import golden  # noqa: E402  (tests/lib: pprof's recorded outputs)

# Flags whose effect is already in the re-encoded profile (see above).
ONCE_FLAGS = ("-tagroot", "-tagleaf", "-add_comment", "-divide_by")

FOLDED_SETS = [
    ("defaults", []),
    ("lines", ["-lines"]),
    ("filefunctions", ["-filefunctions"]),
    ("noinlines", ["-noinlines"]),
    ("focus", [r"-focus=main\.|json"]),
    ("hide", [r"-hide=runtime\."]),
    ("ignore", [r"-ignore=runtime\.gc|sync\."]),
    ("addresses", ["-addresses"]),
    ("files", ["-files"]),
    ("tagroot", ["-tagroot=worker"]),
    ("show_from", [r"-show_from=main\."]),
    ("prune_from", [r"-prune_from=runtime\.mallocgc"]),
]


# Filters: their work is in the re-encoded profile too, but applying them
# again is not always a no-op in pprof (a numeric tag filter takes the key's
# unit from the samples present, and the ones that set it may be gone).
FILTER_FLAGS = ("-focus", "-f", "-ignore", "-i", "-hide", "-show", "-show_from",
                "-prune_from", "-tagfocus", "-tagignore", "-tagshow", "-taghide")


def is_filter(flag):
    return "-" + flag.split("=", 1)[0].lstrip("-") in FILTER_FLAGS


def once_only(flag):
    name = flag.split("=", 1)[0].lstrip("-")
    return "-" + name in ONCE_FLAGS


class Tools:
    def __init__(self, pprof, callviz, scratch, timeout, store):
        self.pprof, self.callviz, self.scratch = pprof, callviz, scratch
        self.store = store
        self.timeout = timeout
        self.env = dict(os.environ, HOME=scratch, PPROF_TMPDIR=scratch,
                        PPROF_BINARY_PATH=scratch, TZ="UTC", LC_ALL="C")
        self.env.pop("PPROF_TOOLS", None)

    def run(self, argv):
        try:
            p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, env=self.env, cwd=golden.REPO, timeout=self.timeout)
            return p.returncode, p.stdout.decode("utf-8", "replace"), \
                p.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            return "timeout", "", "(timed out)"

    def pprof_steps(self, *steps):
        """pprof on each list of arguments in turn: [(rc, stdout, stderr)]."""
        return self.store.run([list(s) for s in steps], self.run)

    def pprof_run(self, args):
        return self.pprof_steps(args)[0]


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:  # replayed from the golden file: never written
        pass


def _first(text):
    lines = [l for l in text.splitlines() if l.strip()]
    return " | ".join(lines[:2]) or "(empty)"


def without_hotspots(text):
    """callviz's -top may add a "Hotspots:" legend line pprof has no
    counterpart for; it is not about the profile's content."""
    return "".join(l for l in text.splitlines(True) if not l.startswith("Hotspots:"))


def strip_filters(text):
    """The report without its "Active filters:" block."""
    out, skipping = [], False
    for line in text.splitlines(True):
        if line.startswith("Active filters:"):
            skipping = True
            continue
        if skipping and line.startswith("   "):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def proto_case(tools, fixture, path, flags):
    fd, out = tempfile.mkstemp(dir=tools.scratch, suffix=".pb.gz")
    os.close(fd)
    theirs = out[:-len(".pb.gz")] + "-pprof.pb.gz"
    rc, _, err = tools.run(tools.callviz + ["-proto"] + flags + ["-output", out, path])
    again = [f for f in flags if not once_only(f)]
    view = [f for f in again if not is_filter(f)]
    # pprof's own -proto and its reading back: one golden entry.
    (prc, _, perr), (rrc, r, rerr) = tools.pprof_steps(
        ["-proto"] + flags + ["-output", theirs, path], ["-top"] + again + [theirs])
    if rc != 0 or prc != 0:
        _unlink(out)
        _unlink(theirs)
        if rc != 0 and prc != 0:
            return []
        return ["exit status of -proto: pprof %s (%s), callviz %s (%s)"
                % (prc, _first(perr), rc, _first(err))]
    arc, a, aerr = tools.pprof_run(["-top"] + again + [out])
    vrc, v, verr = tools.pprof_run(["-top"] + view + [out])
    _unlink(out)
    _unlink(theirs)
    if arc != 0 or rrc != 0 or vrc != 0:
        return ["pprof -top failed: on callviz's profile %s (%s) / %s (%s); on its own %s (%s)"
                % (arc, _first(aerr), vrc, _first(verr), rrc, _first(rerr))]
    diffs = []
    if a != r:
        diffs.append("pprof -top on callviz -proto output differs from pprof -top "
                     "on pprof -proto output:")
        diffs += run_diff._udiff(r.splitlines(), a.splitlines())
    # -divide_by truncates every value as it is written (both tools do), so
    # the sums no longer equal the scaled sums a report on the source shows.
    if any(f.startswith("-divide_by") for f in flags):
        return diffs
    crc, c, cerr = tools.pprof_run(["-top", "-relative_percentages"] + flags + [path])
    brc, b, berr = tools.run(tools.callviz + ["-top", "-relative_percentages"] + flags + [path])
    if crc != 0:
        diffs.append("pprof -top -relative_percentages failed on the source: " + _first(cerr))
        return diffs
    if v != strip_filters(c):
        diffs.append("pprof -top (no filters) on callviz -proto output differs from pprof -top "
                     "-relative_percentages FLAGS on the source, active filters aside:")
        diffs += run_diff._udiff(strip_filters(c).splitlines(), v.splitlines())
    if brc != 0:
        diffs.append("callviz -top -relative_percentages failed: " + _first(berr))
    else:
        d = run_diff.diff_top(c, without_hotspots(b))
        if d:
            diffs.append("callviz -top -relative_percentages differs from pprof's on the source:")
            diffs += d
    return diffs


# ---------------------------------------------------------------------------
# folded against -traces

SEPARATOR = "-----------+-------------------------------------------------------"
LABEL_LINE = re.compile(r"^\s*\S+:  ")
FIRST_FRAME = re.compile(r"^\s*(-?\d+)\S*   (.*)$")


def raw_unit(path, flags):
    """-unit that makes pprof print plain integers for the chosen value."""
    names = run_diff.sample_types(path)
    units = sample_units(path)
    spec = None
    for f in flags:
        if f.startswith("-sample_index="):
            spec = f.split("=", 1)[1]
    idx = len(names) - 1
    default = default_type(path)
    if spec is not None:
        idx = int(spec) if spec.isdigit() else names.index(spec)
    elif default in names:
        idx = names.index(default)
    unit = units[idx]
    # Each unit printed in itself, so values come out as the raw integers.
    same_unit = {"nanoseconds": "ns", "microseconds": "us", "milliseconds": "ms",
                 "seconds": "s", "bytes": "B"}
    return ["-unit=" + same_unit[unit]] if unit in same_unit else []


def _profile_strings(path):
    import gzip
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    strings, types, default = [], [], 0
    for num, wt, val in run_diff._fields(data):
        if num == 1 and wt == 2:
            t = u = 0
            for n2, w2, v2 in run_diff._fields(val):
                if n2 == 1 and w2 == 0:
                    t = v2
                if n2 == 2 and w2 == 0:
                    u = v2
            types.append((t, u))
        elif num == 6 and wt == 2:
            strings.append(val.decode("utf-8", "replace"))
        elif num == 14 and wt == 0:
            default = val
    return strings, types, default


def sample_units(path):
    strings, types, _ = _profile_strings(path)
    return [strings[u] for _, u in types]


def default_type(path):
    strings, _, default = _profile_strings(path)
    return strings[default] if default else ""


def traces_stacks(text):
    """{root-first stack with "_[i]" marks: summed value} from -traces."""
    stacks = {}
    blocks = text.split(SEPARATOR + "\n")[1:]
    for block in blocks:
        frames, value = [], None
        for line in block.splitlines():
            if line.startswith(" " * 13) and value is not None:
                frames.append(line[13:])
            elif LABEL_LINE.match(line) and value is None:
                continue
            else:
                m = FIRST_FRAME.match(line)
                if not m or value is not None:
                    raise ValueError("unexpected -traces line: %r" % line)
                value = int(m.group(1))
                frames.append(m.group(2))
        if value is None:
            continue
        names = [f[:-len(" (inline)")] + "_[i]" if f.endswith(" (inline)") else f
                 for f in frames]
        key = ";".join(reversed(names))
        stacks[key] = stacks.get(key, 0) + value
    return {k: v for k, v in stacks.items() if v > 0}


def folded_stacks(text):
    stacks = {}
    for line in text.splitlines():
        stack, _, value = line.rpartition(" ")
        if not stack or not value.isdigit():
            raise ValueError("not a folded line: %r" % line)
        if stack in stacks:
            raise ValueError("stack printed twice: %r" % stack)
        stacks[stack] = int(value)
    return stacks


def folded_case(tools, fixture, path, flags):
    crc, folded, cerr = tools.run(tools.callviz + ["-folded"] + flags + [path])
    prc, traces, perr = tools.pprof_run(["-traces"] + raw_unit(path, flags) + flags + [path])
    if crc != 0 or prc != 0:
        if crc != 0 and prc != 0:
            return []
        return ["exit status: pprof %s (%s), callviz %s (%s)"
                % (prc, _first(perr), crc, _first(cerr))]
    try:
        want, got = traces_stacks(traces), folded_stacks(folded)
    except ValueError as e:
        return [str(e)]
    if want == got:
        return []
    diffs = ["stacks differ (%d from -traces, %d in -folded):" % (len(want), len(got))]
    for k in sorted(set(want) | set(got)):
        if want.get(k) != got.get(k):
            diffs.append("    traces %s, folded %s: %s" % (want.get(k), got.get(k), k))
            if len(diffs) > 12:
                diffs.append("    ...")
                break
    return diffs


def build_cases(data, modes, filt):
    cases = []
    for fixture, path in run_diff.find_fixtures(data):
        if "proto" in modes:
            for name, flags in run_diff.FLAG_SETS + run_diff.sample_index_sets(path):
                cases.append(("proto", fixture, path, name, flags))
        if "folded" in modes:
            sets = list(FOLDED_SETS)
            for name in run_diff.sample_types(path):
                sets.append(("si=" + name, ["-sample_index=" + name]))
            for name, flags in sets:
                cases.append(("folded", fixture, path, name, flags))
    if filt:
        cases = [c for c in cases
                 if any(f in "%s %s %s" % (c[1], c[0], c[3]) or f in " ".join(c[4]) for f in filt)]
    return cases


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--callviz", required=True)
    ap.add_argument("--data", default=os.path.join(here, "..", "data"))
    ap.add_argument("--pprof", help="oracle command (default: $(go env GOTOOLDIR)/pprof)")
    ap.add_argument("--mode", action="append", choices=["proto", "folded"],
                    help="which round trip (default: both)")
    ap.add_argument("--filter", action="append", default=[], metavar="SUBSTRING",
                    help="only cases whose 'FIXTURE MODE FLAGNAME' or flags contain it")
    ap.add_argument("--jobs", "-j", type=int, default=min(4, max(2, os.cpu_count() or 2)))
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--verbose", "-v", action="store_true")
    golden.add_arguments(ap)
    args = golden.parse(ap)

    pprof = shlex.split(args.pprof) if args.pprof else run_diff.default_pprof()
    if not pprof:
        if args.pprof_mode != "golden":
            print("run_roundtrip: go not found; the oracle is `go tool pprof`", file=sys.stderr)
            return golden.SKIP
        pprof = ["pprof"]  # replayed only
    callviz = [os.path.abspath(args.callviz)]
    data = os.path.abspath(args.data)
    cases = build_cases(data, args.mode or ["proto", "folded"], args.filter)
    if args.pprof_mode == "oracle":
        cases = golden.sampled(cases, args.sample)
    if not cases:
        print("run_roundtrip: no cases", file=sys.stderr)
        return 2
    scratch = tempfile.mkdtemp(prefix="callviz-roundtrip-")
    store = golden.Golden("roundtrip", args.pprof_mode, pprof,
                          {"repo": golden.REPO, "data": data}, scratch)
    t0 = time.monotonic()
    passed = failed = 0
    try:
        tools = Tools(pprof, callviz, scratch, args.timeout, store)

        def one(case):
            mode, fixture, path, name, flags = case
            fn = proto_case if mode == "proto" else folded_case
            return case, fn(tools, fixture, path, flags)

        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for (mode, fixture, path, name, flags), diffs in pool.map(one, cases):
                what = "%s %s %s  %s" % (fixture, mode, name, " ".join(shlex.quote(f) for f in flags))
                if diffs:
                    failed += 1
                    print("FAIL " + what)
                    for d in diffs[:60]:
                        print("    " + d)
                else:
                    passed += 1
                    if args.verbose:
                        print("ok   " + what)
                sys.stdout.flush()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("(%d cases in %.1fs)" % (len(cases), time.monotonic() - t0))
    failed += store.finish(prune=not (args.filter or args.mode))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
