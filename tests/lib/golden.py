"""go tool pprof's outputs, recorded once and replayed (the golden files).

The differential suites (tests/diff/run_diff.py, run_roundtrip.py,
tests/hotspot/check_shares.py) compare callviz with go tool pprof. Running
pprof thousands of times on every test run is slow and needs Go, so each
suite keeps what pprof printed in tests/golden/<suite>.json.xz, together
with the `go version` that printed it. A pprof run is looked up by its
command line, with this checkout, the data directories, Go's GOROOT and the
scratch directory written as {repo}, {data}, {goroot} and {scratch}, and
with a digest of every input file it names (gunzipped first), so a changed
fixture or a changed -proto output from callviz is a missing entry, never
a stale one.

Modes (--pprof-mode, or $CALLVIZ_PPROF_MODE):

  golden  replay the recorded outputs; Go is not needed. A run with no
          recorded output fails its case ("no golden output").
  oracle  run pprof live and compare every output with the recorded one;
          any difference is a failure. The suite's comparison of callviz
          runs against the live output as well.
  record  run pprof live and write what it printed (tests/golden/record.sh).
  live    run pprof live, no golden files (the suites as they were).

Python 3 standard library only.
"""

import gzip
import hashlib
import json
import lzma
import os
import re
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
GOLDEN_DIR = os.path.join(REPO, "tests", "golden")
MODES = ("golden", "oracle", "record", "live")
MISSING = "golden-missing"
SKIP = 77  # ctest SKIP_RETURN_CODE: the tool a test needs is missing


def add_arguments(ap):
    ap.add_argument("--pprof-mode", choices=MODES,
                    default=os.environ.get("CALLVIZ_PPROF_MODE") or "golden",
                    help="golden: replay tests/golden (no Go needed); oracle: run pprof live "
                         "and fail on any difference from tests/golden; record: rewrite "
                         "tests/golden; live: run pprof only (default: golden, or "
                         "$CALLVIZ_PPROF_MODE)")
    ap.add_argument("--sample", type=int, default=1, metavar="N",
                    help="with --pprof-mode=oracle: only every Nth case (default 1: all); "
                         "$CALLVIZ_ORACLE_SAMPLE, when set, overrides it")


def parse(ap):
    """ap.parse_args(), with $CALLVIZ_ORACLE_SAMPLE over --sample (so that
    CALLVIZ_ORACLE_SAMPLE=1 ctest -L oracle runs every case)."""
    args = ap.parse_args()
    if os.environ.get("CALLVIZ_ORACLE_SAMPLE"):
        args.sample = int(os.environ["CALLVIZ_ORACLE_SAMPLE"])
    return args


def go_version():
    try:
        return subprocess.run(["go", "version"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              check=True).stdout.decode().strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def goroot():
    try:
        return subprocess.run(["go", "env", "GOROOT"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, check=True).stdout.decode().strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


_DIGESTS = {}


def _digest(path):
    st = os.stat(path)
    memo = (path, st.st_size, st.st_mtime_ns, st.st_ino)
    if memo not in _DIGESTS:
        _DIGESTS[memo] = _digest_file(path)
    return _DIGESTS[memo]


def _digest_file(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError):
            pass
    return hashlib.sha256(data).hexdigest()[:16]


class Golden:
    """One suite's store. run(steps, runner) runs (or replays) pprof on each
    step's arguments in turn; runner(argv) -> (rc, stdout, stderr) is the
    suite's own way to run a command."""

    def __init__(self, suite, mode, pprof_cmd, roots, scratch):
        self.suite, self.mode, self.pprof_cmd = suite, mode, pprof_cmd
        self.path = os.path.join(GOLDEN_DIR, suite + ".json.xz")
        self.scratch = scratch
        roots = dict(roots, scratch=scratch)
        # Longest first, so a data directory inside the checkout is {data}.
        self.roots = sorted(((k, v) for k, v in roots.items() if v),
                            key=lambda kv: -len(kv[1]))
        # Go's GOROOT is a placeholder in command lines only: in outputs a
        # path under it is one the profile recorded, the same everywhere.
        self.out_roots = [(k, v) for k, v in self.roots if k != "goroot"]
        self.lock = threading.Lock()
        self.meta, self.entries = {}, {}
        self.used = {}
        self.missing = []
        self.differ = []
        if mode != "live" and os.path.exists(self.path):
            with lzma.open(self.path, "rt", encoding="utf-8") as f:
                doc = json.load(f)
            self.meta, self.entries = doc.get("meta", {}), doc.get("entries", {})

    def needs_pprof(self):
        return self.mode != "golden"

    def reads_goroot(self, steps):
        """Whether the recorded output shows lines of Go's own sources
        (-list), which this machine cannot print if its Go is not the
        recording one's."""
        rec = self.entries.get(self.key(steps)[0])
        root = self.meta.get("goroot")
        return bool(rec and root and any(root + "/" in r[1] for r in rec))

    def recorded(self, steps):
        """The recorded [(rc, stdout, stderr)] for these steps, or None."""
        k, files = self.key(steps)
        with self.lock:
            rec = self.entries.get(k)
            self.used[k] = True
            if rec is None:
                self.missing.append(k)
        if rec is None:
            return None
        return [(r[0], self._expand(r[1], files), self._expand(r[2], files)) for r in rec]

    # -- keys ---------------------------------------------------------------

    def _norm(self, s, files):
        if self.scratch:
            def scratch_file(m):
                p = m.group(0)
                if p not in files:
                    files[p] = "{scratch}/f%d" % len(files)
                return files[p]
            s = re.sub(re.escape(self.scratch) + r"/[^\s:'\"]*", scratch_file, s)
        for name, root in self.roots:
            s = s.replace(root, "{%s}" % name)
        return s

    def _expand(self, s, files):
        for p, ph in sorted(files.items(), key=lambda kv: -len(kv[1])):
            s = s.replace(ph, p)
        for name, root in self.out_roots:
            s = s.replace("{%s}" % name, root)
        return s

    def key(self, steps):
        """The store's key for these steps, and the scratch-path map."""
        files, parts, seen = {}, [], set()
        for step in steps:
            words = []
            for a in step:
                w = self._norm(a, files)
                value = a.split("=", 1)[1] if a.startswith("-") and "=" in a else a
                # A file the steps did not write themselves: name its content.
                if value not in seen and os.path.isfile(value):
                    w += "#" + _digest(value)
                words.append(w)
            for a in step:
                seen.add(a)
            parts.append(" ".join(words))
        return " ; ".join(parts), files

    # -- running --------------------------------------------------------------

    def run(self, steps, runner):
        """[(rc, stdout, stderr)] for each step of pprof arguments."""
        if self.mode == "golden":
            rec = self.recorded(steps)
            if rec is None:
                return [(MISSING, "", "no golden output for pprof %s" % self.key(steps)[0])] * len(steps)
            return rec
        k, files = self.key(steps)
        live = [runner(list(self.pprof_cmd) + list(s)) for s in steps]
        if self.mode == "live":
            return live
        norm = [[rc, self._norm_out(out, files), self._norm_out(err, files)]
                for rc, out, err in live]
        with self.lock:
            self.used[k] = True
            if self.mode == "record":
                self.entries[k] = norm
            else:
                rec = self.entries.get(k)
                if rec is None:
                    self.missing.append(k)
                elif [r[:2] for r in rec] != [r[:2] for r in norm]:
                    self.differ.append((k, rec, norm))
        return live

    def _norm_out(self, s, files):
        for p, ph in files.items():
            s = s.replace(p, ph)
        for name, root in self.out_roots:
            s = s.replace(root, "{%s}" % name)
        return s

    # -- reporting --------------------------------------------------------------

    def finish(self, out=sys.stdout, prune=False):
        """Write the store (record mode) or report missing and differing
        entries; returns the number of failures to add to the suite's."""
        if self.mode == "record":
            entries = {k: self.entries[k] for k in self.used} if prune else self.entries
            doc = {"meta": {"suite": self.suite, "go_version": go_version(), "goroot": goroot(),
                            "pprof": " ".join(os.path.basename(a) for a in self.pprof_cmd),
                            "note": "written by tests/golden/record.sh; do not edit"},
                   "entries": dict(sorted(entries.items()))}
            os.makedirs(GOLDEN_DIR, exist_ok=True)
            data = json.dumps(doc, indent=0, sort_keys=True, ensure_ascii=False).encode()
            with open(self.path + ".tmp", "wb") as f:
                f.write(lzma.compress(data, preset=9 | lzma.PRESET_EXTREME))
            os.replace(self.path + ".tmp", self.path)
            print("golden: wrote %d pprof outputs to %s (%s)"
                  % (len(entries), os.path.relpath(self.path, REPO), doc["meta"]["go_version"]),
                  file=out)
            return 0
        if self.mode == "live":
            return 0
        failures = 0
        if self.missing:
            print("golden: %d pprof runs have no recorded output in %s, e.g. pprof %s\n"
                  "golden: record them with tests/golden/record.sh (needs go)"
                  % (len(self.missing), os.path.relpath(self.path, REPO), self.missing[0]), file=out)
            failures += len(self.missing)
        for k, rec, norm in self.differ[:20]:
            print("ORACLE pprof %s: live output differs from the golden file" % k, file=out)
            for i, (a, b) in enumerate(zip(rec, norm)):
                if a[:2] != b[:2]:
                    import difflib
                    if a[0] != b[0]:
                        print("    step %d: exit status %s recorded, %s now" % (i, a[0], b[0]), file=out)
                    for line in list(difflib.unified_diff(a[1].splitlines(), b[1].splitlines(),
                                                          "golden", "live", lineterm="", n=1))[:40]:
                        print("    " + line, file=out)
        failures += len(self.differ)
        if self.mode == "oracle":
            print("oracle: %d pprof outputs checked live against %s (recorded with %s; now %s), "
                  "%d differ" % (len(self.used), os.path.relpath(self.path, REPO),
                                 self.meta.get("go_version"), go_version(), len(self.differ)),
                  file=out)
        return failures


def sampled(items, n):
    """Every nth item (all when n <= 1), the same ones on every run."""
    return list(items) if n <= 1 else [x for i, x in enumerate(items) if i % n == 0]
