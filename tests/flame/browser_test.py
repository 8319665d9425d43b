#!/usr/bin/env python3
"""The flame graph in a real browser: headless Chromium, driven through the
Chrome DevTools protocol by tests/lib/cdp.py (no extra packages).

On callviz -flame of a fixture it checks that:
  - the script ran (no exception) and every frame is drawn;
  - hovering a frame shows its name in the details line;
  - a mouse click on a frame zooms: the frame spans the full width, its
    children scale with it, its callers stay as full-width faded bars,
    everything else is hidden, and the reset button appears;
  - typing a regex into the search box highlights the matching frames and
    shows the matched share, which equals the share of the samples whose
    folded stack has a matching frame (each sample once, however many of
    its frames match); an invalid regex says so;
  - the reset button restores the original layout.
Then it opens the million-sample synthetic flame graph and searches it,
reporting how long the browser took.

Python 3 standard library only. Exit status 1 on any failure.
"""

import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import cdp  # noqa: E402

# The flame graph's script sits at the end of the document and has run once
# the document is "complete" and its frames group exists.
FRAMES_READY = "document.getElementById('frames') !== null"

# What the page says about its frames, in document order.
FRAMES_JS = """
(() => [...document.querySelectorAll('#frames > g')].map((g, i) => {
    const r = g.querySelector('rect'), b = r.getBoundingClientRect();
    return {i: i, x: +g.getAttribute('data-x'), v: +g.getAttribute('data-v'),
            d: +g.getAttribute('data-d'), cls: g.getAttribute('class'),
            name: g.querySelector('title').textContent.split('\\n')[0],
            rx: +r.getAttribute('x'), rw: +r.getAttribute('width'),
            shown: getComputedStyle(g).display !== 'none',
            cx: b.left + b.width / 2, cy: b.top + b.height / 2};
}))()
"""


def folded_stacks(callviz, flags, path):
    out = subprocess.run([callviz, "-folded"] + flags + [path], check=True,
                         stdout=subprocess.PIPE).stdout.decode()
    stacks = []
    for line in out.splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [f[:-4] if f.endswith("_[i]") else f for f in stack.split(";")]
        stacks.append((frames, int(count)))
    return stacks


def expected_share(stacks, pattern, total):
    """Samples with at least one matching frame, each counted once."""
    rx = re.compile(pattern)
    hit = sum(c for frames, c in stacks if any(rx.search(f) for f in frames))
    return 100.0 * hit / total


def matched_percent(chrome):
    text = chrome.eval("document.getElementById('matched').textContent")
    m = re.match(r"Matched: ([\d.]+)%", text or "")
    return (float(m.group(1)) if m else None), text


def type_search(chrome, text):
    """Click into the search box, select what is there, type text."""
    box = chrome.eval("(() => { const b = document.getElementById('search')"
                      ".getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2]; })()")
    chrome.click(box[0], box[1])
    chrome.wait_for("document.activeElement === document.getElementById('search')", 5)
    chrome.eval("document.getElementById('search').select()")
    chrome.send("Input.insertText", {"text": text})


def test_fixture(chrome, callviz, data, scratch, check):
    path = os.path.join(data, "go-cpu.pb.gz")
    svg = os.path.join(scratch, "cpu.svg")
    subprocess.run([callviz, "-flame", "-output", svg, path], check=True)
    chrome.open("file://" + svg, FRAMES_READY)
    W, PAD = chrome.eval("[+document.documentElement.getAttribute('data-w'), "
                         "+document.documentElement.getAttribute('data-pad')]")
    total = chrome.eval("+document.documentElement.getAttribute('data-total')")
    frames = chrome.eval(FRAMES_JS)
    stacks = folded_stacks(callviz, [], path)
    check(not chrome.exceptions(), "the script ran without exceptions %s" % chrome.exceptions()[:1])
    check(len(frames) > 100 and all(f["shown"] for f in frames),
          "all %d frames drawn after load" % len(frames))
    check(total == sum(c for _, c in stacks), "data-total %d equals the folded total" % total)

    # Hover.
    target = max((f for f in frames if f["d"] == 4 and "m" not in f["cls"].split()),
                 key=lambda f: f["v"])
    chrome.mouse("mouseMoved", target["cx"], target["cy"])
    details = chrome.eval("document.getElementById('details').textContent")
    check(details.startswith(target["name"] + " ("), "hover shows %r" % details)

    # Click to zoom.
    chrome.click(target["cx"], target["cy"])
    after = chrome.eval(FRAMES_JS)
    t = after[target["i"]]
    check(abs(t["rx"] - PAD) < 0.01 and abs(t["rw"] - W) < 0.01,
          "clicked frame %s fills the width (x=%.2f w=%.2f)" % (t["name"], t["rx"], t["rw"]))
    inside = [f for f in after if f["d"] > t["d"] and t["x"] <= f["x"] < t["x"] + t["v"]]
    scaled = all(f["shown"] and abs(f["rw"] - W * f["v"] / t["v"]) < 0.02 and
                 abs(f["rx"] - (PAD + (f["x"] - t["x"]) * W / t["v"])) < 0.02 for f in inside)
    check(inside and scaled, "its %d descendants grow %.1f times with it"
          % (len(inside), W / target["rw"]))
    callers = [f for f in after if f["d"] < t["d"] and f["x"] <= t["x"] < f["x"] + f["v"]]
    check(len(callers) == t["d"] and all(f["shown"] and abs(f["rw"] - W) < 0.01 and
                                          "anc" in f["cls"].split() for f in callers),
          "its %d callers are full-width faded bars" % len(callers))
    others = [f for f in after if f not in inside and f not in callers and f["i"] != t["i"]]
    check(others and not any(f["shown"] for f in others), "the other %d frames are hidden" % len(others))
    check(chrome.eval("document.getElementById('reset').getAttribute('visibility')") == "visible",
          "the reset button appears")

    # Search: single frames, then a pattern whose matches nest.
    for pattern in (r"sha256\.block", r"main\.|sha256", r"runtime\.(mallocgc|memmove)"):
        type_search(chrome, pattern)
        got, text = matched_percent(chrome)
        want = expected_share(stacks, pattern, total)
        check(got is not None and abs(got - want) < 0.006,
              "search %r: %s, folded stacks give %.2f%%" % (pattern, text, want))
        n = chrome.eval("document.querySelectorAll('#frames > g.match').length")
        rx = re.compile(pattern)
        want_n = sum(1 for f in frames if f["d"] > 0 and "m" not in f["cls"].split() and rx.search(f["name"]))
        check(n == want_n, "search %r highlights %d frames (want %d)" % (pattern, n, want_n))
    type_search(chrome, "(")
    check(chrome.eval("document.getElementById('matched').textContent") == "invalid regex",
          "an invalid regex is reported")

    # Reset.
    box = chrome.eval("(() => { const b = document.getElementById('reset').getBoundingClientRect();"
                      " return [b.left + b.width / 2, b.top + b.height / 2]; })()")
    chrome.click(box[0], box[1])
    back = chrome.eval(FRAMES_JS)
    same = all(a["shown"] and abs(a["rx"] - b["rx"]) < 0.01 and abs(a["rw"] - b["rw"]) < 0.01
               for a, b in zip(back, frames))
    check(same, "reset restores the initial layout")


def test_big(chrome, callviz, scratch, check):
    sys.path.insert(0, HERE)
    import check_flame
    folded = os.path.join(scratch, "big.folded")
    check_flame.synthetic_folded(folded)
    svg = os.path.join(scratch, "big.svg")
    subprocess.run([callviz, "-flame", "-output", svg, folded], check=True)
    t0 = time.monotonic()
    chrome.open("file://" + svg, FRAMES_READY)
    n = chrome.eval("document.querySelectorAll('#frames > g').length")
    secs = time.monotonic() - t0
    check(n > 1000, "big flame graph (%.2f MB, %d frames) loaded in %.2fs"
          % (os.path.getsize(svg) / 1e6, n, secs))
    t0 = time.monotonic()
    type_search(chrome, r"Method1\d\b")
    got, text = matched_percent(chrome)
    check(got is not None and 0 < got <= 100, "big: search gives %s in %.2fs"
          % (text, time.monotonic() - t0))


def main():
    ap = cdp.arguments(__doc__, HERE)
    ap.add_argument("--no-big", action="store_true")
    args = ap.parse_args()
    callviz = os.path.abspath(args.callviz)

    def test(chrome, scratch, check):
        test_fixture(chrome, callviz, os.path.abspath(args.data), scratch, check)
        if not args.no_big:
            test_big(chrome, callviz, scratch, check)

    return cdp.run(args, "callviz-browser-", test)


if __name__ == "__main__":
    sys.exit(main())
