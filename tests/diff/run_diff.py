#!/usr/bin/env python3
"""Differential test: callviz against `go tool pprof`, the oracle.

For every profile in the data directory and every flag set in FLAG_SETS
(plus -sample_index cases derived from the profile's sample types), run

    go tool pprof -top|-dot <flags> FILE
    callviz       -top|-dot <flags> FILE

and compare the outputs semantically:

  top  every header line (everything above the table) exactly, then the table
       rows split on whitespace: flat, flat%, sum%, cum, cum%, name.
  dot  the graph name; the legend lines; nodes keyed by name (from the
       tooltip) with label, tooltip and shape; edges keyed by (source name,
       destination name) with label (weight and "(inline)" mark), tooltip
       and style (dotted = residual); nodelets (box3d tag nodes) keyed by
       (parent name, kind, label) with tooltip and the label of their edge.

Both tools run with TZ=UTC and HOME/PPROF_TMPDIR/PPROF_BINARY_PATH in a
scratch directory. If both exit non-zero the case passes (they agree it is an
error); if only one does, it fails. Stderr is not compared (pprof's warnings
such as "Focus expression matched no samples" go there).

Each fixture x flag set x format is one case; the last line printed is
"N passed, M failed" and the exit status is 1 if anything failed.

pprof's side is replayed from tests/golden/diff.json.xz by default, so Go
is not needed; --pprof-mode=oracle instead runs pprof live and compares it
with the golden file, as strictly as --strict compares callviz (see
tests/lib/golden.py and HACKING.md).

Python 3 standard library only.
"""

import argparse
import concurrent.futures
import difflib
import gzip
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from pbwire import read_varint  # noqa: E402
import golden  # noqa: E402

# ---------------------------------------------------------------------------
# The flag table. Each entry: (short name, argument list). Regexes are chosen
# to match something in most fixtures; where they match nothing (e.g.
# runtime.mallocgc in a mutex profile) both tools must agree on the empty
# report.

FLAG_SETS = [
    ("defaults", []),
    ("nodecount10", ["-nodecount=10"]),
    ("nodecount25", ["-nodecount", "25"]),  # the "-flag value" form
    ("fractions", ["-nodefraction=0.05", "-edgefraction=0.02"]),
    ("nofractions", ["-nodefraction=0", "-edgefraction=0"]),
    ("focus-alloc", [r"-focus=runtime\.mallocgc|json"]),
    ("focus-main", [r"-focus=main\.|sync\."]),
    ("focus-nomatch", ["-focus=no_such_function_xyz"]),
    ("ignore", [r"-ignore=runtime\.gc|sync\."]),
    ("hide", [r"-hide=runtime\."]),
    ("show", [r"-show=main\.|json|sort|sync"]),
    ("focus-hide", [r"-focus=main\.", r"-hide=runtime\.", "-nodecount=15"]),
    ("cum", ["-cum"]),
    ("cum-nodecount", ["-cum", "-nodecount=10"]),
    # Errors: both tools must exit non-zero.
    ("si-bad", ["-sample_index=no_such_type"]),
    ("focus-badre", ["-focus=("]),
    # Stack cuts (show_from, prune_from) and label filters, alone and in
    # pprof's order of application. The CPU fixtures carry string labels
    # worker=<name>; the heap ones numeric "bytes" labels (no unit written).
    ("show_from", [r"-show_from=main\.|json"]),
    ("show_from-nomatch", ["-show_from=no_such_function_xyz"]),
    ("prune_from", [r"-prune_from=runtime\.mallocgc|Syscall|sync\.\(\*Mutex\)\.Lock"]),
    ("focus-show_from", [r"-focus=main\.", r"-show_from=main\.main", "-nodecount=20"]),
    ("tagfocus-re", ["-tagfocus=worker=json|hash"]),
    ("tagfocus-keyvalue", ["-tagfocus=worker:sort,worker:so"]),
    ("tagignore-re", ["-tagignore=worker=lock,write"]),
    ("tagfocus-range", ["-tagfocus=1kb:64kb"]),
    ("tagfocus-min", ["-tagfocus=bytes=64kb:"]),
    ("tagfocus-max", ["-tagfocus=:128b"]),
    ("tagfocus-equal", ["-tagfocus=48b"]),
    ("tagfocus-nounit", ["-tagfocus=bytes=48"]),  # "" is not "B": no match
    ("tagignore-range", ["-tagignore=bytes=:1kb"]),
    ("tagshow", ["-tagshow=work"]),
    ("taghide", ["-taghide=bytes|worker"]),
    ("tagroot", ["-tagroot=worker"]),
    ("tagleaf", ["-tagleaf=worker"]),
    ("tagroot-leaf-bytes", ["-tagroot=bytes,worker", "-tagleaf=bytes", "-unit=kb"]),
    ("tag-all", ["-tagfocus=worker=json|sort|alloc", "-tagignore=worker=sort",
                 r"-show_from=main\.", r"-prune_from=runtime\.", "-taghide=nothing"]),
    ("tagroot-focus", ["-tagroot=worker", "-focus=^hash$|^json$"]),
    # Numeric labels with units (synth-labels.pb.gz): ranges in other units,
    # labels of one key with and without a unit, several values per key.
    ("tagfocus-latency", ["-tagfocus=latency=100ms:1s"]),
    ("tagignore-latency", ["-tagignore=latency=:100ms", "-tagfocus=handler=api"]),
    ("tagfocus-implied-unit", ["-tagfocus=request=1kb:"]),
    ("tagroot-leaf-units", ["-tagroot=latency,handler", "-tagleaf=bytes,request,retries"]),
    ("tagfocus-multivalue", ["-tagfocus=region=eu", "-tagignore=handler=/static"]),
    ("tagfocus-badre", ["-tagfocus=worker=("]),
    ("show_from-badre", ["-show_from=("]),
    # Granularities, alone, without inlined frames, and with trimming.
    ("files", ["-files"]),
    ("filefunctions", ["-filefunctions"]),
    ("lines", ["-lines"]),
    ("addresses", ["-addresses"]),
    ("functions-noinlines", ["-functions", "-noinlines"]),
    ("files-noinlines", ["-files", "-noinlines"]),
    ("filefunctions-noinlines", ["-filefunctions", "-noinlines"]),
    ("lines-noinlines", ["-lines", "-noinlines"]),
    ("addresses-noinlines", ["-addresses", "-noinlines"]),
    ("lines-cum-nodecount", ["-lines", "-cum", "-nodecount=20"]),
    ("addresses-focus", ["-addresses", r"-focus=main\.|json"]),
    ("granularity-conflict", ["-lines", "-files"]),  # both tools refuse
    # Value transforms. -mean divides by value 0 (the count); the shortcuts
    # pick a sample type (an error where the profile has none of that name),
    # an explicit -sample_index first, then in pprof's fixed order.
    ("mean", ["-mean"]),
    ("mean-si0", ["-mean", "-sample_index=0"]),
    ("mean-nodecount", ["-mean", "-nodecount=12"]),
    ("mean_delay", ["-mean_delay"]),
    ("mean_delay-si", ["-sample_index=0", "-mean_delay"]),
    ("total_delay", ["-total_delay"]),
    ("contentions", ["-contentions"]),
    ("inuse_space", ["-inuse_space"]),
    ("inuse_objects", ["-inuse_objects"]),
    ("alloc_space", ["-alloc_space"]),
    ("alloc_objects", ["-alloc_objects"]),
    ("shortcuts-order", ["-alloc_space", "-inuse_objects"]),
    ("shortcuts-order2", ["-inuse_objects", "-alloc_space"]),
    ("si-beats-shortcut", ["-sample_index=0", "-inuse_space"]),
    ("divide_by", ["-divide_by=1000"]),
    ("divide_by-fraction", ["-divide_by=0.25", "-nodecount=15"]),
    ("divide_by-negative", ["-divide_by=-4"]),  # pprof ignores a negative ratio
    ("divide_by-unit", ["-divide_by=3", "-unit=ms"]),
    ("divide_by-zero", ["-divide_by=0"]),  # both tools refuse
    ("drop_negative", ["-drop_negative"]),
    ("unit-ms", ["-unit=ms"]),
    ("unit-MB", ["-unit=MB"]),
    ("unit-auto", ["-unit=auto"]),
    ("unit-s-mean", ["-unit=s", "-mean"]),
    # Presentation: call trees (graphs only; text ignores them), relative
    # percentages, untrimmed graphs, compact text headers, comments.
    # pprof orders equal tree nodes (same name, score, flat) randomly, so a
    # node count that cuts among them picks differently from run to run:
    # these cases keep -nodecount small (cuts among distinct scores) or 0.
    ("call_tree", ["-call_tree", "-nodecount=0"]),
    ("call_tree-nodecount", ["-call_tree", "-nodecount=10"]),
    ("call_tree-fractions", ["-call_tree", "-nodecount=0", "-nodefraction=0.02",
                             "-edgefraction=0.01"]),
    ("call_tree-focus", ["-call_tree", "-nodecount=0", r"-focus=main\.|json"]),
    ("call_tree-lines", ["-call_tree", "-lines", "-nodecount=8"]),
    ("call_tree-mean", ["-call_tree", "-nodecount=0", "-mean", "-drop_negative"]),
    ("relative", ["-relative_percentages"]),
    ("relative-focus", ["-relative_percentages", r"-focus=main\.|json"]),
    ("relative-hide", ["-relative_percentages", r"-hide=runtime\.", "-ignore=sync"]),
    ("notrim", ["-trim=false"]),
    ("notrim-nodecount", ["-trim=false", "-nodecount=5"]),  # trim=false wins
    ("compact_labels", ["-compact_labels"]),
    ("compact_labels-focus", ["-compact_labels", r"-focus=main\."]),
    ("add_comment", ["-add_comment=reviewed: looks fine"]),
    ("add_comment-hash", ["-add_comment=#hidden from legends"]),
]

# Text reports compared byte for byte, each with its own flag sets, on
# every fixture: (format, short name, arguments).
TEXT_CASES = [
    ("tags", "defaults", []),
    ("tags", "sample_index0", ["-sample_index=0"]),
    ("tags", "unit", ["-unit=kb"]),
    ("tags", "tagignore", ["-tagignore=worker=lock", "-tagfocus=bytes=:1mb"]),
    ("tags", "tagshow", ["-tagshow=^w"]),
    ("tags", "taghide", ["-taghide=worker"]),
    ("tags", "focus", [r"-focus=main\.|sync"]),
    ("tags", "tagfocus-units", ["-tagfocus=latency=:100ms"]),
    ("tags", "tagroot", ["-tagroot=latency", "-unit=s"]),
    ("comments", "defaults", []),
    ("comments", "add_comment", ["-add_comment=one more comment"]),
    ("comments", "add_comment-hash", ["-add_comment=#kept by -comments"]),
    ("comments", "divide_by-zero", ["-divide_by=0"]),  # both refuse
    # Reports of lib/report. -peek and -list take their regex as the first
    # argument; {repo} and {goroot} stand for this checkout and Go's GOROOT
    # (the workload's sources are in tests/fixtures/workload, std-json's
    # are Go's own). Where a file is not found both tools print the error.
    ("traces", "defaults", []),
    ("traces", "focus", [r"-focus=main\.|json"]),
    ("traces", "hide-show", [r"-hide=runtime\.", r"-show=main\.|json|sort|sync"]),
    ("traces", "lines", ["-lines"]),
    ("traces", "addresses-noinlines", ["-addresses", "-noinlines"]),
    ("traces", "files", ["-files"]),
    ("traces", "si0-mean", ["-sample_index=0", "-mean"]),
    ("traces", "tagfocus-unit", ["-tagfocus=worker=hash|json|write", "-unit=ms"]),
    ("tree", "defaults", []),
    ("tree", "cum-nodecount", ["-cum", "-nodecount=15"]),
    ("tree", "focus-hide-lines", [r"-focus=main\.", r"-hide=runtime\.", "-lines"]),
    ("tree", "notrim-noinlines", ["-trim=false", "-noinlines"]),
    ("tree", "fractions-divide_by", ["-nodefraction=0.05", "-edgefraction=0.02", "-divide_by=10"]),
    ("peek", "main", [r"main\.(hash|write|sort)Work$|mallocgc$"]),
    ("peek", "lines", [r"json|sync", "-lines", "-nodefraction=0.1"]),
    ("peek", "focus-cum", [r"runtime\.", r"-focus=main\.", "-cum"]),
    ("peek", "nomatch", ["no_such_function_xyz"]),  # both refuse
    ("peek", "badre", ["("]),  # both refuse
    ("list", "workload", [r"main\.(hashWork|partition|build)$"]),
    ("list", "workload-source_path", [r"^main\.", "-source_path={repo}/tests/fixtures/workload"]),
    ("list", "workload-trim_path", [r"main\.(lockWork|jsonWork)", "-trim_path=/work/main",
                                    "-source_path=/nonexistent:{repo}"]),
    ("list", "workload-noinlines", [r"sort|main\.mix|main\.clamp", "-noinlines"]),
    ("list", "std", [r"encoding/json\.\(\*decodeState\)\.(object|literalStore)$"]),
    ("list", "std-goroot", [r"json\.Unmarshal$|json\.checkValid$|mallocgc$",
                            "-trim_path=/usr/lib/go-1.19/src", "-source_path={goroot}/src"]),
    ("list", "notfound", [r"runtime\.mallocgc$|main\.build$", "-trim_path=/usr/lib:/work",
                          "-source_path=/nonexistent"]),
    ("list", "mean-unit", [r"json\.|main\.", "-mean", "-unit=ms"]),
    ("list", "nomatch", ["no_such_function_xyz"]),  # both refuse
    ("callgrind", "defaults", []),
    ("callgrind", "focus-hide", [r"-focus=main\.|json", r"-hide=runtime\.mallocgc"]),
    ("callgrind", "mean-unit", ["-mean", "-unit=ms"]),
    ("callgrind", "si0-noinlines", ["-sample_index=0", "-noinlines"]),  # inlines stay on
    ("raw", "defaults", []),
    ("raw", "filters", [r"-focus=main\.", r"-hide=runtime\.", "-show=main|sync|json"]),
    ("raw", "tagfocus", ["-tagfocus=worker=hash"]),
]

# Several sources and base profiles (tests/data/go-*-2.pb.gz are a second,
# shorter run of the workload: other binary, other numbers): (formats, short
# name, arguments, sources). {data} stands for the data directory. pprof
# merges the sources, subtracts -base, compares with -diff_base.
_CPU2 = ["go-cpu.pb.gz", "go-cpu-2.pb.gz"]
_HEAP2 = ["go-heap.pb.gz", "go-heap-2.pb.gz"]
_D = "{data}/"
MULTI_CASES = [
    (("top", "dot"), "merge-cpu", [], _CPU2),
    (("top", "dot"), "merge-cpu-focus", [r"-focus=main\.|json", "-nodecount=20"], _CPU2),
    (("top", "traces", "raw"), "merge-cpu-self", [], ["go-cpu.pb.gz", "go-cpu.pb.gz"]),
    (("top",), "merge-cpu-three", ["-cum"], _CPU2 + ["go-cpu.pb.gz"]),
    (("top", "dot", "raw"), "merge-heap", ["-sample_index=alloc_space"], _HEAP2),
    (("top",), "merge-heap-allocs", [], ["go-heap.pb.gz", "go-allocs.pb.gz"]),
    (("top",), "merge-allocs-heap", [], ["go-allocs.pb.gz", "go-heap.pb.gz"]),
    (("top", "dot"), "merge-mutex-block", [], ["go-mutex.pb.gz", "go-block.pb.gz"]),
    (("top",), "merge-bad-source", [], ["go-cpu.pb.gz", "bad/empty.pb"]),  # pprof goes on
    (("top",), "merge-cpu-heap", [], ["go-cpu.pb.gz", "go-heap.pb.gz"]),  # both refuse
    (("top",), "merge-cpu-nomap", [], ["go-cpu.pb.gz", "synth-buildid.pb.gz"]),
    # go-cpu-2-us.pb.gz is go-cpu-2.pb.gz in microseconds: scaled to ns first.
    (("top", "dot", "raw"), "merge-units", [], ["go-cpu.pb.gz", "go-cpu-2-us.pb.gz"]),
    (("top", "raw"), "merge-units-reverse", ["-unit=ms"], ["go-cpu-2-us.pb.gz", "go-cpu.pb.gz"]),
    (("top", "dot"), "diff_base-units", ["-diff_base=" + _D + "go-cpu-2-us.pb.gz"],
     ["go-cpu.pb.gz"]),
    (("top",), "normalize-units", ["-diff_base=" + _D + "go-cpu-2-us.pb.gz", "-normalize"],
     ["go-cpu.pb.gz"]),  # both refuse: -normalize wants identical units
    (("top", "dot"), "base-cpu", ["-base=" + _D + "go-cpu.pb.gz"], ["go-cpu-2.pb.gz"]),
    (("top", "dot", "traces"), "diff_base-cpu", ["-diff_base=" + _D + "go-cpu.pb.gz"],
     ["go-cpu-2.pb.gz"]),
    (("top", "dot"), "diff_base-cpu-normalize",
     ["-diff_base=" + _D + "go-cpu.pb.gz", "-normalize"], ["go-cpu-2.pb.gz"]),
    (("top", "dot"), "base-cpu-normalize", ["-base=" + _D + "go-cpu.pb.gz", "-normalize"],
     ["go-cpu-2.pb.gz"]),
    (("top", "dot"), "diff_base-cpu-drop_negative",
     ["-diff_base=" + _D + "go-cpu.pb.gz", "-drop_negative"], ["go-cpu-2.pb.gz"]),
    (("top", "dot"), "diff_base-cpu-si0", ["-diff_base=" + _D + "go-cpu-2.pb.gz",
                                           "-sample_index=0", "-nodecount=15"], ["go-cpu.pb.gz"]),
    (("top",), "base-self", ["-base=" + _D + "go-cpu.pb.gz"], ["go-cpu.pb.gz"]),  # all cancels
    (("top", "dot"), "base-heap", ["-base=" + _D + "go-heap.pb.gz"], ["go-heap-2.pb.gz"]),
    (("top", "dot", "tags"), "diff_base-heap", ["-diff_base=" + _D + "go-heap.pb.gz"],
     ["go-heap-2.pb.gz"]),
    (("top", "dot"), "diff_base-heap-alloc_space",
     ["-diff_base=" + _D + "go-heap.pb.gz", "-sample_index=alloc_space"], ["go-heap-2.pb.gz"]),
    (("top", "dot"), "diff_base-heap-inuse_objects",
     ["-diff_base=" + _D + "go-heap.pb.gz", "-inuse_objects"], ["go-heap-2.pb.gz"]),
    (("top", "dot"), "diff_base-heap-alloc_objects-normalize",
     ["-diff_base=" + _D + "go-heap.pb.gz", "-alloc_objects", "-normalize"], ["go-heap-2.pb.gz"]),
    (("top", "dot"), "diff_base-heap-normalize", ["-diff_base=" + _D + "go-heap.pb.gz",
                                                  "-normalize"], ["go-heap-2.pb.gz"]),
    (("top", "dot"), "diff_base-heap-drop_negative",
     ["-diff_base=" + _D + "go-heap.pb.gz", "-drop_negative", "-sample_index=alloc_space"],
     ["go-heap-2.pb.gz"]),
    (("top", "dot"), "base-heap-reverse", ["-base=" + _D + "go-heap-2.pb.gz", "-cum"],
     ["go-heap.pb.gz"]),
    # Go's flag package keeps the last -base / -diff_base; an empty one is none.
    (("top",), "base-two", ["-base=" + _D + "go-heap-2.pb.gz", "-base=" + _D + "go-allocs.pb.gz"],
     ["go-heap.pb.gz"]),
    (("top",), "base-two-si0", ["-base=" + _D + "go-allocs.pb.gz", "-sample_index=0",
                                "-base=" + _D + "go-heap-2.pb.gz"], ["go-heap.pb.gz"]),
    (("top",), "base-empty-flag", ["-base="], ["go-cpu.pb.gz"]),
    (("top",), "base-last-empty", ["-base=" + _D + "go-cpu.pb.gz", "-base="], ["go-cpu-2.pb.gz"]),
    (("top",), "diff_base-empty-base", ["-diff_base=" + _D + "go-cpu.pb.gz", "-base="],
     ["go-cpu-2.pb.gz"]),
    (("top", "dot"), "diff_base-merged", ["-diff_base=" + _D + "go-cpu.pb.gz"], _CPU2),
    # Other reports of a diff: text reports print negative values too.
    # (not -tree: pprof orders a caller of +10ms and one of -10ms by Go's map
    # order, edgeList.Less comparing |weights| only; the heap case has no such tie)
    (("callgrind",), "diff_base-cpu-text", ["-diff_base=" + _D + "go-cpu.pb.gz"],
     ["go-cpu-2.pb.gz"]),
    (("peek",), "diff_base-cpu-peek", [r"main\.(hash|json|sort)Work$", "-diff_base=" + _D + "go-cpu.pb.gz"],
     ["go-cpu-2.pb.gz"]),
    (("tree", "traces", "raw"), "base-heap-text", ["-base=" + _D + "go-heap.pb.gz", "-alloc_space"],
     ["go-heap-2.pb.gz"]),
    (("list",), "diff_base-heap-list", [r"main\.(allocWork|build)$", "-diff_base=" + _D + "go-heap.pb.gz"],
     ["go-heap-2.pb.gz"]),
    (("dot",), "diff_base-cpu-call_tree", ["-diff_base=" + _D + "go-cpu.pb.gz", "-call_tree",
                                           "-nodecount=0"], ["go-cpu-2.pb.gz"]),
    (("top", "dot"), "diff_base-cpu-filters", ["-diff_base=" + _D + "go-cpu.pb.gz", r"-focus=main\.",
                                               r"-hide=runtime\.", "-tagfocus=worker=json|hash"],
     ["go-cpu-2.pb.gz"]),
    (("top", "dot"), "diff_base-cpu-relative", ["-diff_base=" + _D + "go-cpu.pb.gz", "-focus=json",
                                                "-relative_percentages"], ["go-cpu-2.pb.gz"]),
    (("top", "dot"), "diff_base-cpu-lines-mean", ["-diff_base=" + _D + "go-cpu.pb.gz", "-lines",
                                                  "-mean", "-nodecount=25"], ["go-cpu-2.pb.gz"]),
    (("top", "dot"), "diff_base-tagroot", ["-diff_base=" + _D + "go-cpu.pb.gz", "-tagroot=worker",
                                           "-nodecount=30"], ["go-cpu-2.pb.gz"]),
    (("top",), "base-and-diff_base", ["-base=" + _D + "go-cpu.pb.gz",
                                      "-diff_base=" + _D + "go-cpu.pb.gz"], ["go-cpu-2.pb.gz"]),
    (("top",), "normalize-nobase", ["-normalize"], ["go-cpu.pb.gz"]),  # both refuse
    (("top",), "base-incompatible", ["-base=" + _D + "go-heap.pb.gz"], ["go-cpu.pb.gz"]),
    (("top",), "base-missing", ["-base=" + _D + "no-such-file.pb.gz"], ["go-cpu.pb.gz"]),
]

FORMATS = ["top", "dot"]
PROFILE_SUFFIXES = (".pb.gz", ".pb")

# ---------------------------------------------------------------------------
# Minimal profile.proto reader: only what is needed to list sample types.


def _fields(buf):
    """Yield (field number, wire type, value) for one message."""
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = read_varint(buf, pos)
        num, wt = key >> 3, key & 7
        if wt == 0:
            val, pos = read_varint(buf, pos)
        elif wt == 1:
            val, pos = buf[pos:pos + 8], pos + 8
        elif wt == 2:
            n, pos = read_varint(buf, pos)
            val, pos = buf[pos:pos + n], pos + n
        elif wt == 5:
            val, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError("unsupported wire type %d" % wt)
        yield num, wt, val


def sample_types(path):
    """Return the profile's sample type names, in order."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    types, strings = [], []
    for num, wt, val in _fields(data):
        if num == 1 and wt == 2:
            t = 0
            for n2, w2, v2 in _fields(val):
                if n2 == 1 and w2 == 0:
                    t = v2
            types.append(t)
        elif num == 6 and wt == 2:
            strings.append(val.decode("utf-8", "replace"))
    return [strings[t] if t < len(strings) else "?" for t in types]


def sample_index_sets(path):
    """-sample_index cases: every type by name and by number, if >1 type."""
    names = sample_types(path)
    if len(names) < 2:
        return []
    sets = [("si=%s" % n, ["-sample_index=%s" % n]) for n in names]
    sets += [("si=%d" % i, ["-sample_index", str(i)]) for i in range(len(names))]
    return sets


# ---------------------------------------------------------------------------
# top: header lines and table rows.

TABLE_HEAD = re.compile(r"^\s*flat\s+flat%\s+sum%\s+cum\s+cum%\s*$")


def parse_top(text):
    header, rows, bad = [], [], []
    lines = text.splitlines()
    i = 0
    while i < len(lines) and not TABLE_HEAD.match(lines[i]):
        header.append(lines[i].rstrip())
        i += 1
    if i == len(lines):
        bad.append("no table heading line")
    for line in lines[i + 1:]:
        parts = line.split(None, 5)
        if len(parts) < 6:
            if line.strip():
                bad.append("unparseable row: %r" % line)
            continue
        rows.append(tuple(parts[:5]) + (parts[5].rstrip(),))
    return {"header": header, "rows": rows, "bad": bad}


def fmt_row(r):
    return "%10s %6s %6s %10s %6s  %s" % r


def diff_top(want, got, strict_text=None):
    """Return a list of difference lines (empty if equal)."""
    a, b = parse_top(want), parse_top(got)
    out = []
    for x in b["bad"]:
        out.append("callviz: " + x)
    for x in a["bad"]:
        out.append("pprof: " + x)
    if a["header"] != b["header"]:
        out.append("header differs:")
        out += _udiff(a["header"], b["header"])
    if a["rows"] != b["rows"]:
        out.append("table differs (%d rows in pprof, %d in callviz):"
                   % (len(a["rows"]), len(b["rows"])))
        out += _udiff([fmt_row(r) for r in a["rows"]],
                      [fmt_row(r) for r in b["rows"]])
    if not out and strict_text and want != got:
        out.append("output equal field by field but not byte for byte:")
        out += _udiff(want.splitlines(), got.splitlines())
    return out


def diff_text(want, got):
    """Other text reports (TEXT_CASES): byte for byte."""
    if want == got:
        return []
    return ["output differs:"] + _udiff(want.splitlines(), got.splitlines())


# -tree/-peek: pprof sorts a node's callers and callees with a comparison
# that finds w and -w equal yet orders equal weights by name, so in diff
# profiles (-base, -diff_base) lines of equal |weight| and opposite signs
# come out in Go's map order, differently from run to run. Runs of such
# lines are compared as sets; every other order is compared as it is.
_TREE_EDGE = re.compile(r"^ {30,}(-?)(\S+) +\S+% \|   ")


def tree_sign_ties(text):
    out, run = [], []

    def flush():
        if len({m.group(1) for m, _ in run}) > 1:
            run.sort(key=lambda x: x[1])
        out.extend(line for _, line in run)
        del run[:]

    for line in text.split("\n"):
        m = _TREE_EDGE.match(line)
        if run and not (m and m.group(2) == run[0][0].group(2)):
            flush()
        if m:
            run.append((m, line))
        else:
            out.append(line)
    flush()
    return "\n".join(out)


def callgrind_annotate(text):
    """callgrind_annotate's report on a callgrind file, or None if it is not
    installed; raises ValueError if it rejects the file."""
    exe = shutil.which("callgrind_annotate")
    if not exe:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".callgrind") as f:
        f.write(text)
        f.flush()
        # --auto=no: auto-annotated sources come in a random (Perl hash) order.
        p = subprocess.run([exe, "--inclusive=yes", "--auto=no", f.name], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        if p.returncode != 0:
            raise ValueError(p.stderr.decode("utf-8", "replace").strip())
        # The report names the file it read; that line is not the data's.
        return [l for l in p.stdout.decode("utf-8", "replace").splitlines()
                if not l.startswith("Profile data file")]


def diff_annotated(want, got):
    """callgrind: callgrind_annotate must read callviz's file and summarize it
    as it summarizes pprof's (Debian's valgrind package provides it)."""
    try:
        b = callgrind_annotate(got)
    except ValueError as e:
        return ["callgrind_annotate rejects callviz's output: %s" % e]
    try:
        a = callgrind_annotate(want)
    except ValueError:
        return []  # pprof's own output does not pass: nothing to compare with
    if a is None or a == b:
        return []
    return ["callgrind_annotate reports differ:"] + _udiff(a, b)


def _udiff(a, b, limit=40):
    d = list(difflib.unified_diff(a, b, "pprof", "callviz", lineterm="", n=1))
    if len(d) > limit:
        d = d[:limit] + ["... (%d more diff lines)" % (len(d) - limit)]
    return ["    " + x for x in d]


# ---------------------------------------------------------------------------
# dot: a tolerant parser for the DOT pprof writes.

ATTR = re.compile(r'(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s\]]+)')
NODE_LINE = re.compile(r'^\s*(\w+)\s*\[(.*)\]\s*;?\s*$')
EDGE_LINE = re.compile(r'^\s*(\w+)\s*->\s*(\w+)\s*\[(.*)\]\s*;?\s*$')
GRAPH_LINE = re.compile(r'^\s*digraph\s+("(?:[^"\\]|\\.)*"|\w+)\s*\{\s*$')
LEGEND_LINE = re.compile(r'^\s*subgraph\s+cluster_L\s*\{\s*("(?:[^"\\]|\\.)*")\s*\[(.*)\]\s*\}\s*$')
NODELET_ID = re.compile(r'^(N+)(\d+)_(\d+)$')

# Attributes compared by default; --strict compares every attribute.
NODE_KEYS = ("label", "tooltip", "shape")
EDGE_KEYS = ("label", "tooltip", "style")
NODELET_KEYS = ("tooltip",)


def _attrs(s):
    d = {}
    for k, v in ATTR.findall(s):
        if v.startswith('"'):
            v = v[1:-1]
        d[k] = v
    return d


def _name_from_tooltip(tip):
    # "os.(*File).Write (1.12s)" -> "os.(*File).Write"
    if tip.endswith(")") and " (" in tip:
        return tip.rsplit(" (", 1)[0]
    return tip


def parse_dot(text):
    g = {"graph": None, "legend": None, "legend_attrs": {}, "nodes": {},
         "edges": {}, "nodelets": {}, "other": [], "bad": []}
    raw_nodes = {}  # id -> attrs, in file order
    raw_edges = []  # (src id, dst id, attrs)
    for line in text.splitlines():
        if not line.strip():
            continue
        m = GRAPH_LINE.match(line)
        if m:
            g["graph"] = m.group(1)
            continue
        m = LEGEND_LINE.match(line)
        if m:
            a = _attrs(m.group(2))
            label = a.pop("label", "")
            g["legend"] = [x for x in label.split("\\l")]
            while g["legend"] and g["legend"][-1] == "":
                g["legend"].pop()
            a["_name"] = m.group(1)
            g["legend_attrs"] = a
            continue
        m = EDGE_LINE.match(line)
        if m:
            raw_edges.append((m.group(1), m.group(2), _attrs(m.group(3))))
            continue
        m = NODE_LINE.match(line)
        if m and m.group(1) not in ("node", "edge", "graph"):
            if m.group(1) in raw_nodes:
                g["bad"].append("node id %s defined twice" % m.group(1))
            raw_nodes[m.group(1)] = _attrs(m.group(2))
            continue
        g["other"].append(line.strip())

    # Names for the ordinary nodes, from their tooltips; duplicates get #k.
    names, seen = {}, {}
    for nid, a in raw_nodes.items():
        if a.get("shape") == "box3d" or NODELET_ID.match(nid):
            continue
        name = _name_from_tooltip(a.get("tooltip", nid))
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = "%s#%d" % (name, seen[name])
        names[nid] = name
        g["nodes"][name] = a

    nodelet_parent = {}
    for src, dst, a in raw_edges:
        if dst in raw_nodes and dst not in names:
            nodelet_parent[dst] = (src, a)
            continue
        for end in (src, dst):
            # N0: pprof's id for an edge's end outside the graph (a node
            # -drop_negative removed); both tools must print it alike.
            if end not in names and end != "N0":
                g["bad"].append("edge %s -> %s: unknown node %s" % (src, dst, end))
        key = (names.get(src, src), names.get(dst, dst))
        if dst == "N0":  # several may share a source: tell them by tooltip
            key = (key[0], "N0 " + a.get("tooltip", ""))
            while key in g["edges"]:
                key = (key[0], key[1] + "#")
        if key in g["edges"]:
            g["bad"].append("edge %s -> %s twice" % key)
        g["edges"][key] = a

    for nid, a in raw_nodes.items():
        if nid in names:
            continue
        m = NODELET_ID.match(nid)
        kind = "numeric" if (m and len(m.group(1)) == 2) else "label"
        src, ea = nodelet_parent.get(nid, (None, {}))
        if src is None and m:
            src = "N" + m.group(2)
        parent = names.get(src, src)
        key = (parent, kind, a.get("label", ""))
        b = dict(a)
        for k, v in ea.items():
            b["edge_" + k] = v
        if key in g["nodelets"]:
            g["bad"].append("nodelet %r twice" % (key,))
        g["nodelets"][key] = b
    return g


def _cmp_attrs(what, a, b, keys, out):
    ks = keys if keys is not None else sorted(set(a) | set(b))
    for k in ks:
        if a.get(k) != b.get(k):
            out.append("%s: %s: pprof=%s callviz=%s" % (what, k, _q(a.get(k)), _q(b.get(k))))


def _cmp_maps(kind, a, b, keys, out, fmtkey):
    for k in sorted(set(a) - set(b), key=repr):
        out.append("%s only in pprof: %s %s" % (kind, fmtkey(k), _brief(a[k])))
    for k in sorted(set(b) - set(a), key=repr):
        out.append("%s only in callviz: %s %s" % (kind, fmtkey(k), _brief(b[k])))
    for k in sorted(set(a) & set(b), key=repr):
        _cmp_attrs("%s %s" % (kind, fmtkey(k)), a[k], b[k], keys, out)


def _q(v):
    return "(none)" if v is None else '"%s"' % v


def _brief(a):
    return "[" + " ".join('%s="%s"' % (k, a[k]) for k in ("label", "tooltip", "style", "edge_label")
                          if k in a) + "]"


def diff_dot(want, got, strict=False):
    a, b = parse_dot(want), parse_dot(got)
    out = []
    for x in b["bad"]:
        out.append("callviz: " + x)
    for x in a["bad"]:
        out.append("pprof: " + x)
    if a["graph"] != b["graph"]:
        out.append("graph name: pprof=%r callviz=%r" % (a["graph"], b["graph"]))
    if a["legend"] != b["legend"]:
        out.append("legend differs:")
        out += _udiff(a["legend"] or [], b["legend"] or [])
    if strict:
        _cmp_attrs("legend", a["legend_attrs"], b["legend_attrs"], None, out)
    ident = lambda k: k
    _cmp_maps("node", a["nodes"], b["nodes"], None if strict else NODE_KEYS, out, ident)
    _cmp_maps("edge", a["edges"], b["edges"], None if strict else EDGE_KEYS, out,
              lambda k: "%s -> %s" % k)
    _cmp_maps("nodelet", a["nodelets"], b["nodelets"],
              None if strict else NODELET_KEYS + ("edge_label",), out,
              lambda k: "%s [%s] %r" % k)
    if sorted(a["other"]) != sorted(b["other"]):
        out.append("other DOT lines differ:")
        out += _udiff(sorted(a["other"]), sorted(b["other"]))
    if strict and not out:
        # Same graph; also the same node order (ids follow pprof's ordering).
        ids = lambda g: [n.get("id") for n in g["nodes"].values()]
        if ids(a) != ids(b):
            out.append("node ids/order differ")
    return out


# ---------------------------------------------------------------------------
# dot with -call_tree: one node per calling context, so many nodes share a
# name, and pprof orders equal nodes (same name, score and flat value) by
# Go's map iteration: their ids change from run to run. Compare the forest
# instead: every node with its nodelets and, recursively, its children
# through their edges, siblings sorted.

TREE_SKIP = ("id",)  # attributes that follow node ids


def is_call_tree(flags):
    on = False
    for f in flags:
        name, _, value = f.lstrip("-").partition("=")
        if name == "call_tree":
            on = value.lower() not in ("false", "0", "f")
    return on


def _tree_parts(text):
    nodes, nodelets, edges = {}, {}, []
    for line in text.splitlines():
        m = EDGE_LINE.match(line)
        if m:
            edges.append((m.group(1), m.group(2), _attrs(m.group(3))))
            continue
        m = NODE_LINE.match(line)
        if m and m.group(1) not in ("node", "edge", "graph"):
            a = _attrs(m.group(2))
            if a.get("shape") == "box3d" or NODELET_ID.match(m.group(1)):
                nodelets[m.group(1)] = a
            else:
                nodes[m.group(1)] = a
    return nodes, nodelets, edges


def _tree_lines(text, strict):
    """The forest as indented lines, in a canonical order."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
    nodes, nodelets, edges = _tree_parts(text)
    keys = None if strict else NODE_KEYS
    pick = lambda a, ks: tuple(sorted((k, v) for k, v in a.items()
                                      if k not in TREE_SKIP and (ks is None or k in ks)))
    children, boxes, has_parent = {}, {}, set()
    for src, dst, a in edges:
        if dst in nodelets:
            box = pick(nodelets[dst], None if strict else NODELET_KEYS + ("label",))
            ea = pick(a, None if strict else ("label",))
            boxes.setdefault(src, []).append(repr((box, ea)))
            continue
        children.setdefault(src, []).append((pick(a, None if strict else EDGE_KEYS), dst))
        has_parent.add(dst)

    def render(nid, depth, seen):
        if nid in seen:  # a cycle: not a tree, say so rather than loop
            return ["%s(cycle at %s)" % ("  " * depth, nid)]
        seen = seen | {nid}
        head = "%s%s" % ("  " * depth, pick(nodes.get(nid, {"label": nid}), keys))
        out = [head] + ["%s  box %s" % ("  " * depth, b) for b in sorted(boxes.get(nid, []))]
        subs = []
        for ea, dst in children.get(nid, []):
            sub = render(dst, depth + 2, seen)
            subs.append(["%s  -> %s" % ("  " * depth, ea)] + sub)
        for sub in sorted(subs):
            out += sub
        return out

    roots = [render(n, 0, set()) for n in nodes if n not in has_parent]
    # Edges from a node outside the graph (none in a tree) still count.
    roots += [render(n, 0, set()) for n in children if n not in nodes and n not in has_parent]
    return [l for r in sorted(roots) for l in r]


def diff_tree(want, got, strict=False):
    a, b = parse_dot(want), parse_dot(got)
    out = []
    if a["graph"] != b["graph"]:
        out.append("graph name: pprof=%r callviz=%r" % (a["graph"], b["graph"]))
    if a["legend"] != b["legend"]:
        out.append("legend differs:")
        out += _udiff(a["legend"] or [], b["legend"] or [])
    if strict:
        _cmp_attrs("legend", a["legend_attrs"], b["legend_attrs"], None, out)
    ta, tb = _tree_lines(want, strict), _tree_lines(got, strict)
    if ta != tb:
        out.append("call tree differs (%d lines in pprof, %d in callviz):" % (len(ta), len(tb)))
        out += _udiff(ta, tb)
    if sorted(a["other"]) != sorted(b["other"]):
        out.append("other DOT lines differ:")
        out += _udiff(sorted(a["other"]), sorted(b["other"]))
    return out


# ---------------------------------------------------------------------------
# Running the tools.


class Runner:
    def __init__(self, pprof_cmd, callviz_cmd, scratch, timeout, golden=None):
        self.pprof_cmd = pprof_cmd
        self.golden = golden  # pprof's side goes through it (tests/lib/golden.py)
        self.callviz_cmd = callviz_cmd
        self.timeout = timeout
        self.env = dict(os.environ)
        self.env.update({
            "HOME": scratch,
            "PPROF_TMPDIR": scratch,
            "PPROF_BINARY_PATH": scratch,
            "TZ": "UTC",
            "LC_ALL": "C",
        })
        self.env.pop("PPROF_TOOLS", None)

    def run(self, cmd, fmt, flags, path):
        paths = path if isinstance(path, list) else [path]
        argv = list(cmd) + ["-" + fmt] + list(flags) + paths
        t0 = time.monotonic()
        if cmd is self.pprof_cmd and self.golden:
            (rc, so, se), = self.golden.run([argv[len(cmd):]], self._exec)
            return {"argv": argv, "rc": rc, "stdout": so, "stderr": se,
                    "secs": time.monotonic() - t0}
        rc, so, se = self._exec(argv)
        return {"argv": argv, "rc": rc, "stdout": so, "stderr": se, "secs": time.monotonic() - t0}

    def _exec(self, argv):
        try:
            # In the checkout, wherever the suite is started: -list without
            # -source_path looks in the working directory, and the golden
            # outputs must not depend on it.
            p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL, env=self.env, timeout=self.timeout,
                               cwd=golden.REPO)
            rc, so, se = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            rc, so, se = "timeout", e.stdout or b"", (e.stderr or b"") + b"\n(timed out)"
        except OSError as e:
            rc, so, se = "exec-error", b"", str(e).encode()
        return rc, so.decode("utf-8", "replace"), se.decode("utf-8", "replace")


class Case:
    def __init__(self, fixture, path, flagname, flags, fmt):
        self.fixture, self.path, self.flagname = fixture, path, flagname
        self.flags, self.fmt = flags, fmt
        self.needs_goroot = False  # -list on Go's own sources: needs go installed

    @property
    def id(self):
        return "%s %s %s" % (self.fixture, self.fmt, self.flagname)

    def describe(self):
        flags = " ".join(shlex.quote(f) for f in self.flags)
        if isinstance(self.path, list):  # several sources: name them after the flags
            return "-%s %s %s" % (self.fmt, flags, " ".join(os.path.basename(x) for x in self.path))
        return "%s  -%s %s" % (self.fixture, self.fmt, flags)


# ---------------------------------------------------------------------------
# callviz's own additions: hotspot classes (doc/hotspots.md).
# They are removed from callviz's output before comparing, and only when
# they have exactly the shape callviz writes, so every line and attribute
# pprof writes is still compared:
#   top  one "Hotspots: NAME P%, ..." line right above the table heading;
#   dot  a "Hotspots" box in the legend cluster right after pprof's legend
#        (or the default node line), and a restatement of a node right after
#        the node's own line, whose label is that node's label plus
#        "\n[NAME]".

_HS_NAME = r"[A-Za-z][A-Za-z0-9_-]{0,31}"
_HS_PCT = r"-?[0-9][0-9.e+-]*%"
HOTSPOT_TOP = re.compile(r"^Hotspots: %s %s(, %s %s)*$" % (_HS_NAME, _HS_PCT, _HS_NAME, _HS_PCT))
HOTSPOT_LEGEND = re.compile(r'^subgraph cluster_L \{ "Hotspots" \[shape=box fontsize=16 '
                            r'id="hotspots" class="hotspot-legend" tooltip="[^"]*" '
                            r'label=<<TABLE [^\n]*</TABLE>>\] \}$')
HOTSPOT_NODE = re.compile(r'^(N\d+) \[class="hotspot hs-(%s)" color="#[0-9a-f]{6}" '
                          r'penwidth=\d+ label="((?:[^"\\]|\\.)*)"\]$' % _HS_NAME)
_NODE_LABEL = re.compile(r'^(N\d+) \[label="((?:[^"\\]|\\.)*)"')


def strip_hotspots(fmt, text):
    """callviz's output without its hotspot additions (see above)."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        prev = out[-1] if out else ""
        if fmt == "top" and HOTSPOT_TOP.match(line) and i + 1 < len(lines) \
                and TABLE_HEAD.match(lines[i + 1]):
            continue
        if fmt == "dot" and HOTSPOT_LEGEND.match(line) and \
                (LEGEND_LINE.match(prev) or prev.startswith("node [")):
            continue
        m = HOTSPOT_NODE.match(line) if fmt == "dot" else None
        n = _NODE_LABEL.match(prev) if m else None
        if m and n and n.group(1) == m.group(1) and \
                m.group(3) == n.group(2) + "\\n[%s]" % m.group(2):
            continue
        out.append(line)
    return "\n".join(out)


def compare(case, want, got, strict):
    """Return a list of difference lines for one case; empty means pass."""
    if want["rc"] != 0 or got["rc"] != 0:
        if want["rc"] != 0 and got["rc"] != 0 and isinstance(got["rc"], int) and got["rc"] > 0:
            return []
        return ["exit status: pprof=%s callviz=%s" % (want["rc"], got["rc"]),
                "    pprof stderr:   " + _first(want["stderr"]),
                "    callviz stderr: " + _first(got["stderr"])]
    got = dict(got, stdout=strip_hotspots(case.fmt, got["stdout"]))
    if case.fmt == "top":
        return diff_top(want["stdout"], got["stdout"], strict_text=strict)
    if case.fmt in ("tree", "peek"):
        return diff_text(tree_sign_ties(want["stdout"]), tree_sign_ties(got["stdout"]))
    if case.fmt == "callgrind":
        return diff_text(want["stdout"], got["stdout"]) or \
            diff_annotated(want["stdout"], got["stdout"])
    if case.fmt != "dot":
        return diff_text(want["stdout"], got["stdout"])
    if is_call_tree(case.flags):
        return diff_tree(want["stdout"], got["stdout"], strict=strict)
    return diff_dot(want["stdout"], got["stdout"], strict=strict)


def _first(s, n=3):
    lines = [l for l in s.splitlines() if l.strip()]
    return " | ".join(lines[:n]) or "(empty)"


def find_fixtures(data):
    out = []
    for name in sorted(os.listdir(data)):
        if name.endswith(PROFILE_SUFFIXES):
            out.append((name, os.path.join(data, name)))
    return out


_DIRS = {}


def _expand_dirs(flag):
    """A flag with {repo} (this checkout) and {goroot} (Go's) filled in."""
    if "{" not in flag:
        return flag
    if not _DIRS:
        _DIRS["repo"] = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
        try:
            _DIRS["goroot"] = subprocess.run(
                ["go", "env", "GOROOT"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                check=True).stdout.decode().strip()
        except (subprocess.CalledProcessError, OSError):
            _DIRS["goroot"] = "/nonexistent-goroot"
    return flag.replace("{repo}", _DIRS["repo"]).replace("{goroot}", _DIRS["goroot"])


def build_cases(data, filt):
    cases = []
    for name, path in find_fixtures(data):
        try:
            extra = sample_index_sets(path)
        except Exception as e:  # a fixture we cannot read: still run the rest
            print("warning: %s: cannot read sample types: %s" % (name, e), file=sys.stderr)
            extra = []
        for flagname, flags in FLAG_SETS + extra:
            for fmt in FORMATS:
                c = Case(name, path, flagname, flags, fmt)
                if not filt or any(f in c.id or f in c.describe() for f in filt):
                    cases.append(c)
        for fmt, flagname, flags in TEXT_CASES:
            c = Case(name, path, flagname, [_expand_dirs(f) for f in flags], fmt)
            c.needs_goroot = any("{goroot}" in f for f in flags)
            if not filt or any(f in c.id or f in c.describe() for f in filt):
                cases.append(c)
    for fmts, flagname, flags, sources in MULTI_CASES:
        paths = [os.path.join(data, x) for x in sources]
        flags = [f.replace("{data}", data) for f in flags]
        for fmt in fmts:
            c = Case("+".join(sources), paths, flagname, flags, fmt)
            if not filt or any(f in c.id or f in c.describe() for f in filt):
                cases.append(c)
    return cases


def run_suite(cases, runner, jobs, strict, verbose, show, mutate=None):
    """Run all cases; return (passed, failed). mutate(case, got) may alter
    callviz's result (used by the self-test to check mismatches are seen)."""
    passed = failed = 0
    loose_ids = []

    def one(case):
        want = runner.run(runner.pprof_cmd, case.fmt, case.flags, case.path)
        got = runner.run(runner.callviz_cmd, case.fmt, case.flags, case.path)
        if mutate:
            got = mutate(case, got)
        diffs = compare(case, want, got, strict)
        # Equal as compared, but not byte for byte / attribute for attribute?
        loose = not diffs and not strict and bool(compare(case, want, got, True))
        return case, want, got, diffs, loose

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        # Results come back in submission order, so the report is stable.
        for case, want, got, diffs, loose in pool.map(one, cases):
            if loose:
                loose_ids.append(case.describe())
            if show:
                _show(case, want, got)
            if diffs:
                failed += 1
                print("FAIL %s" % case.describe())
                for d in diffs:
                    print("    " + d)
            else:
                passed += 1
                if verbose:
                    print("ok   %s  (pprof %.2fs, callviz %.2fs)"
                          % (case.describe(), want["secs"], got["secs"]))
            sys.stdout.flush()
    if loose_ids:
        print("note: %d passing cases differ only in whitespace or in DOT attributes "
              "not compared by default (fontsize, colors, weight, penwidth, ids); "
              "--strict shows them, e.g. %s" % (len(loose_ids), loose_ids[0]))
    return passed, failed


def _show(case, want, got):
    for who, r in (("pprof", want), ("callviz", got)):
        print("===== %s: %s  (exit %s)" % (who, " ".join(shlex.quote(a) for a in r["argv"]), r["rc"]))
        sys.stdout.write(r["stdout"])
        if r["stderr"].strip():
            print("----- stderr:")
            sys.stdout.write(r["stderr"])
    print("=====")


# ---------------------------------------------------------------------------
# Self-test: pprof against itself must pass; doctored outputs must fail.


ROW_RE = r"^\s*\S+\s+\d+(\.\d+)?%\s"


def _mutations():
    """(name, format, function str->str) that must each make a case fail."""

    def sub_line(pattern, fn):
        def f(text):
            lines = text.splitlines(True)
            for i, l in enumerate(lines):
                if re.search(pattern, l):
                    lines[i] = fn(l)
                    return "".join(lines)
            raise LookupError(pattern)
        return f

    def drop_line(pattern):
        return sub_line(pattern, lambda l: "")

    return [
        ("top: a flat value", "top",
         sub_line(r"^\s+\d", lambda l: re.sub(r"^(\s*)(\S+)", lambda m: m.group(1) + m.group(2) + "1", l, 1))),
        ("top: a cum% value", "top",
         sub_line(r"^\s+\d", lambda l: re.sub(r"(\d+(\.\d+)?%)(\s+\S+\s*)$", r"9.99%\3", l))),
        ("top: a row dropped", "top", drop_line(ROW_RE)),
        ("top: two rows swapped", "top", _swap_rows),
        ("top: a function name", "top",
         sub_line(ROW_RE, lambda l: l.rstrip("\n") + "x\n")),
        ("top: the Dropped line", "top",
         sub_line(r"^Dropped \d+ nodes", lambda l: l.replace("Dropped ", "Dropped 1"))),
        ("top: the Showing line", "top",
         sub_line(r"^Showing nodes accounting", lambda l: l.replace("of ", "of  1"))),
        ("dot: a node's cum in its label", "dot",
         sub_line(r'^N\d+ \[label=.*\\nof ', lambda l: l.replace("\\nof ", "\\nof 1", 1))),
        ("dot: an edge dropped", "dot", drop_line(r"^N\d+ -> N\d+ \[")),
        ("dot: an edge weight label", "dot",
         sub_line(r'^N\d+ -> N\d+ \[label=" ', lambda l: l.replace('label=" ', 'label=" 1', 1))),
        ("dot: dotted style removed", "dot",
         sub_line(r'style="dotted"', lambda l: l.replace(' style="dotted"', ""))),
        ("dot: inline mark removed", "dot",
         sub_line(r"\(inline\)", lambda l: l.replace("\\n (inline)", ""))),
        ("dot: a node dropped", "dot", drop_line(r'^N\d+ \[label=.*shape=box ')),
        ("dot: a legend line", "dot",
         sub_line(r"cluster_L", lambda l: l.replace("Showing nodes", "Showing  nodes"))),
        ("dot: a nodelet label", "dot",
         sub_line(r"shape=box3d", lambda l: l.replace('label = "', 'label = "x', 1))),
        # Hotspot stripping must remove callviz's additions and nothing else.
        ("top: a header line replaced by a Hotspots line", "top",
         sub_line(r"^Showing nodes accounting", lambda l: "Hotspots: alloc 1.00%\n")),
        ("top: a Hotspots line below the table heading", "top",
         sub_line(TABLE_HEAD.pattern, lambda l: l + "Hotspots: alloc 1.00%\n")),
        ("dot: a hotspot restatement that changes the label", "dot",
         sub_line(r'^N\d+ \[label=', lambda l: l + _restate(l, "alloc", "x"))),
    ]


def _restate(node_line, cls, extra=""):
    """callviz's hotspot restatement of a DOT node line (extra: doctor its label)."""
    m = _NODE_LABEL.match(node_line)
    return '%s [class="hotspot hs-%s" color="#1f77b4" penwidth=4 label="%s%s\\n[%s]"]\n' % (
        m.group(1), cls, m.group(2), extra, cls)


def _with_hotspots(fmt, text):
    """pprof's output with well-formed hotspot additions, as callviz writes them."""
    lines = text.splitlines(True)
    for i, l in enumerate(lines):
        if fmt == "top" and TABLE_HEAD.match(l):
            lines.insert(i, "Hotspots: alloc 13.91%, syscall 0.5%, x-1 1e-05%\n")
            break
        if fmt == "dot" and LEGEND_LINE.match(l.rstrip("\n")):
            lines.insert(i + 1, 'subgraph cluster_L { "Hotspots" [shape=box fontsize=16 '
                         'id="hotspots" class="hotspot-legend" tooltip="t" label=<<TABLE '
                         'BORDER="0"><TR><TD>alloc</TD></TR></TABLE>>] }\n')
            break
    for i, l in enumerate(lines):
        if fmt == "dot" and _NODE_LABEL.match(l):
            lines.insert(i + 1, _restate(l, "alloc"))
            break
    return "".join(lines)


def _swap_rows(text):
    lines = text.splitlines(True)
    idx = [i for i, l in enumerate(lines) if re.match(ROW_RE, l)]
    for i, j in zip(idx, idx[1:]):
        if lines[i].split()[5:] != lines[j].split()[5:] and lines[i].split()[:5] != lines[j].split()[:5]:
            lines[i], lines[j] = lines[j], lines[i]
            return "".join(lines)
    raise LookupError("two different rows")


def self_test_mutations(runner, fixtures):
    """Run each mutation on the first case where it applies; all must fail."""
    problems = []
    tried = {}
    candidates = []
    for name, path in fixtures:
        for flagname, flags in FLAG_SETS[:2]:
            candidates.append((name, path, flagname, flags))
    for mname, fmt, fn in _mutations():
        ok = False
        for name, path, flagname, flags in candidates:
            key = (path, tuple(flags), fmt)
            if key not in tried:
                tried[key] = runner.run(runner.pprof_cmd, fmt, flags, path)
            want = tried[key]
            if want["rc"] != 0:
                continue
            try:
                bad = fn(want["stdout"])
            except LookupError:
                continue
            if bad == want["stdout"]:
                continue
            case = Case(name, path, flagname, flags, fmt)
            diffs = compare(case, want, dict(want, stdout=bad), False)
            if diffs:
                print("ok   mutation detected: %s (%s)" % (mname, case.describe()))
                if os.environ.get("RUN_DIFF_SHOW_MUTATIONS"):
                    for d in diffs[:10]:
                        print("        " + d)
                ok = True
            else:
                print("FAIL mutation NOT detected: %s (%s)" % (mname, case.describe()))
                problems.append(mname)
                ok = True
            break
        if not ok:
            print("FAIL mutation had nothing to apply to: %s" % mname)
            problems.append(mname)
    # Exit status disagreement must be detected too.
    name, path = fixtures[0]
    case = Case(name, path, "defaults", [], "top")
    want = tried.get((path, (), "top")) or runner.run(runner.pprof_cmd, "top", [], path)
    if compare(case, want, dict(want, rc=1, stdout=""), False):
        print("ok   mutation detected: callviz exits 1 where pprof succeeds")
    else:
        print("FAIL mutation NOT detected: exit status")
        problems.append("exit status")
    # callviz's hotspot additions alone make no difference, even strictly.
    for fmt in FORMATS:
        want = tried.get((path, (), fmt)) or runner.run(runner.pprof_cmd, fmt, [], path)
        got = dict(want, stdout=_with_hotspots(fmt, want["stdout"]))
        case = Case(name, path, "defaults", [], fmt)
        if got["stdout"] != want["stdout"] and not compare(case, want, got, True):
            print("ok   hotspot additions ignored (%s)" % case.describe())
        else:
            print("FAIL hotspot additions not ignored (%s)" % case.describe())
            problems.append("hotspot additions, " + fmt)
    return problems


# ---------------------------------------------------------------------------


def default_pprof():
    go = shutil.which("go")
    if not go:
        return None
    try:
        tooldir = subprocess.run([go, "env", "GOTOOLDIR"], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, check=True).stdout.decode().strip()
        exe = os.path.join(tooldir, "pprof")
        if os.access(exe, os.X_OK):
            return [exe]  # what `go tool pprof` execs, without the go command's startup
    except (subprocess.CalledProcessError, OSError):
        pass
    return [go, "tool", "pprof"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--callviz", help="callviz binary (or a command, split like a shell would)")
    ap.add_argument("--data", default=os.path.join(here, "..", "data"),
                    help="directory with the *.pb.gz / *.pb fixtures")
    ap.add_argument("--pprof", help="oracle command (default: $(go env GOTOOLDIR)/pprof)")
    ap.add_argument("--filter", action="append", default=[], metavar="SUBSTRING",
                    help="run only cases whose id ('FIXTURE FORMAT FLAGNAME') or command "
                         "line contains SUBSTRING (repeatable: any matches)")
    ap.add_argument("--jobs", "-j", type=int, default=min(4, max(2, os.cpu_count() or 2)))
    ap.add_argument("--timeout", type=float, default=120, help="seconds per tool run")
    ap.add_argument("--strict", action="store_true",
                    help="also require byte-identical top output and all DOT attributes "
                         "(fontsize, colors, weight, penwidth, ids)")
    ap.add_argument("--show", action="store_true",
                    help="print both tools' outputs for every selected case (use with --filter)")
    ap.add_argument("--pprof-only", action="store_true",
                    help="only print pprof's output for the selected cases")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--verbose", "-v", action="store_true", help="print passing cases too")
    ap.add_argument("--self-test", action="store_true",
                    help="run the suite with pprof as callviz (all must pass) and check that "
                         "doctored outputs are reported as mismatches")
    golden.add_arguments(ap)
    args = golden.parse(ap)

    mode = args.pprof_mode
    pprof_cmd = shlex.split(args.pprof) if args.pprof else default_pprof()
    if not pprof_cmd:
        if mode != "golden" or args.pprof_only:
            print("run_diff: go not found in PATH; the oracle is `go tool pprof`", file=sys.stderr)
            return golden.SKIP
        pprof_cmd = ["pprof"]  # replayed only
    if mode == "oracle":
        # Live pprof takes callviz's place; its outputs are judged against
        # the golden ones as strictly as callviz's are.
        callviz_cmd = list(pprof_cmd)
        args.strict = True
    elif args.self_test:
        # Replayed on both sides in golden mode: the mutation checks are the point.
        callviz_cmd = pprof_cmd if mode == "golden" else list(pprof_cmd)
    elif args.callviz:
        callviz_cmd = ([os.path.abspath(args.callviz)] if os.path.exists(args.callviz)
                       else shlex.split(args.callviz))
    elif not (args.list or args.pprof_only):
        ap.error("--callviz is required (or --self-test)")
    else:
        callviz_cmd = None

    if callviz_cmd and not (os.path.exists(callviz_cmd[0]) or shutil.which(callviz_cmd[0])):
        print("run_diff: callviz not found: %s" % callviz_cmd[0], file=sys.stderr)
        return 2

    data = os.path.abspath(args.data)
    fixtures = find_fixtures(data)
    if not fixtures:
        print("run_diff: no *.pb.gz / *.pb fixtures in %s" % data, file=sys.stderr)
        return 2
    cases = build_cases(data, args.filter)
    scratch = tempfile.mkdtemp(prefix="callviz-diff-")
    store = golden.Golden("diff", "golden" if mode == "oracle" else mode, pprof_cmd,
                          {"repo": golden.REPO, "data": data, "goroot": golden.goroot()}, scratch)
    skipped = []
    if mode == "golden" and golden.goroot() != store.meta.get("goroot"):
        # -list on Go's own sources needs the Go that recorded them.
        def needs_go(c):
            paths = c.path if isinstance(c.path, list) else [c.path]
            return c.needs_goroot or (c.fmt == "list" and store.reads_goroot(
                [["-" + c.fmt] + list(c.flags) + paths]))
        skipped = [c for c in cases if needs_go(c)]
        cases = [c for c in cases if not needs_go(c)]
    if mode == "oracle":
        cases = golden.sampled(cases, args.sample)

    if args.list:
        shutil.rmtree(scratch, ignore_errors=True)
        for c in cases:
            print("%-45s %s" % (c.id, c.describe()))
        print("%d cases" % len(cases))
        return 0

    try:
        runner = Runner(pprof_cmd, callviz_cmd, scratch, args.timeout,
                        None if args.pprof_only else store)
        if args.pprof_only:
            for c in cases:
                r = runner.run(pprof_cmd, c.fmt, c.flags, c.path)
                print("===== %s  (exit %s)" % (c.describe(), r["rc"]))
                sys.stdout.write(r["stdout"])
                if r["stderr"].strip():
                    print("----- stderr:")
                    sys.stdout.write(r["stderr"])
            return 0

        t0 = time.monotonic()
        problems = []
        if args.self_test:
            print("self-test: checking that doctored outputs are reported")
            problems = self_test_mutations(runner, fixtures)
            if mode == "golden":
                # Both sides would replay the same recording; pprof against
                # itself, live, is the oracle tier (oracle/pprof).
                cases = []
            else:
                print("self-test: running the suite with pprof against itself")
        passed, failed = run_suite(cases, runner, args.jobs, args.strict,
                                   args.verbose, args.show)
        print("(%d cases in %.1fs, %d jobs)" % (len(cases), time.monotonic() - t0, args.jobs))
        if problems:
            print("self-test: %d mutation checks failed: %s" % (len(problems), ", ".join(problems)))
            failed += len(problems)
        failed += store.finish(prune=not args.filter)
        if mode == "oracle":
            print("oracle: %d cases: go tool pprof run live against %s (recorded with %s; now %s)"
                  % (len(cases), os.path.relpath(store.path, golden.REPO),
                     store.meta.get("go_version"), golden.go_version()))
        if skipped:
            print("skipped %d cases that read Go's own sources (%s is not installed), e.g. %s"
                  % (len(skipped), store.meta.get("go_version"), skipped[0].describe()))
        print("%d passed, %d failed" % (passed, failed))
        return 1 if failed else 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
