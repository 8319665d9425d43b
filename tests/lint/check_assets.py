#!/usr/bin/env python3
"""The embedded scripts and stylesheets: built from their files, and valid.

Each argument is SOURCE=GENERATED, a .js or .css file and the C file
cmake/embed.cmake made from it (CMake passes every callviz_embed()). Checks:
  - the C file's array holds exactly the source's bytes, then one NUL;
  - every .js and .css file in the sources' directories is embedded;
  - `node --check` accepts every .js file.
Exits 77 (ctest's skip) when node is not installed and all else passed.
"""
import os
import re
import shutil
import subprocess
import sys

SKIP = 77


def embedded_bytes(path):
    """The initializer of the one array in a generated C file."""
    text = open(path, encoding="ascii").read()
    body = text[text.index("{") + 1:text.rindex("}")]
    return bytes(int(h, 16) for h in re.findall(r"0x([0-9a-f]{2})", body))


def main(argv):
    if not argv:
        print("usage: check_assets.py SOURCE=GENERATED...", file=sys.stderr)
        return 2
    failures = []
    pairs = [a.split("=", 1) for a in argv]
    for src, gen in pairs:
        want = open(src, "rb").read() + b"\0"
        try:
            got = embedded_bytes(gen)
        except (OSError, ValueError) as e:
            failures.append("%s: cannot read %s: %s" % (src, gen, e))
            continue
        if got != want:
            at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b),
                      min(len(got), len(want)))
            failures.append("%s: %s embeds other bytes (%d, want %d; first difference at %d);"
                            " rebuild" % (src, gen, len(got), len(want), at))
        else:
            print("ok   %s = %s" % (src, os.path.basename(gen)))

    known = {os.path.realpath(s) for s, _ in pairs}
    for d in sorted({os.path.dirname(os.path.realpath(s)) for s, _ in pairs}):
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if name.endswith((".js", ".css")) and path not in known:
                failures.append("%s: not embedded (add a callviz_embed() line to"
                                " CMakeLists.txt, or remove it)" % path)

    node = shutil.which("node") or shutil.which("nodejs")
    scripts = [s for s, _ in pairs if s.endswith(".js")]
    if node:
        for src in scripts:
            r = subprocess.run([node, "--check", src], capture_output=True, text=True)
            if r.returncode != 0:
                failures.append("%s: node --check failed:\n%s" % (src, (r.stderr or r.stdout).strip()))
            else:
                print("ok   node --check %s" % src)

    for f in failures:
        print("FAIL " + f)
    if failures:
        return 1
    if not node:
        print("node not installed (scripts/install-deps.sh installs nodejs):"
              " syntax checks skipped")
        return SKIP
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
