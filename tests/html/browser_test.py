#!/usr/bin/env python3
"""The -html report and a -compare page in a real browser: headless Chromium
through tests/lib/cdp.py's DevTools client (no other packages).

For callviz -html on fixtures, opened offline from file://, it checks that:
  - the page loads nothing but itself (no network request) and throws nothing;
  - the legend, the hotspot table, the top table (one row per -top row),
    the call graph SVG (its nodes) and the flame graph (its frames) are
    there and visible, in that order;
  - the call graph keeps its own text sizes (the flame graph's stylesheet
    stays inside the flame graph);
  - the wheel zooms the call graph around the pointer, dragging pans it,
    the reset button restores it;
  - the inlined flame graph's own script works: a click on a frame zooms it.
Then it opens a batch -compare page and finds its table and both graphs.
Exit status 1 on any failure.
"""

import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import cdp  # noqa: E402


# What an offline page may load: itself and inline data.
LOCAL = ("file:", "data:", "about:")


VISIBLE_JS = """
((sel) => { const el = document.querySelector(sel); if (!el) return null;
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return {w: r.width, h: r.height, top: r.top + scrollY,
          shown: s.display !== 'none' && s.visibility !== 'hidden' && +s.opacity > 0}; })(%r)
"""


def visible(chrome, sel):
    return chrome.eval(VISIBLE_JS % sel)


def viewbox(chrome):
    return chrome.eval("document.querySelector('#cv-graph svg').getAttribute('viewBox')")


def graph_centre(chrome):
    chrome.eval("document.getElementById('cv-graph').scrollIntoView()")
    return chrome.eval("(() => { const r = document.querySelector('#cv-graph svg')"
                       ".getBoundingClientRect(); return [r.left + r.width / 2, "
                       "r.top + r.height / 2]; })()")


def test_panzoom(chrome, check):
    home = viewbox(chrome)
    x, y = graph_centre(chrome)
    chrome.send("Input.dispatchMouseEvent", {"type": "mouseWheel", "x": x, "y": y,
                                             "deltaX": 0, "deltaY": -120})
    chrome.wait_for("document.querySelector('#cv-graph svg').getAttribute('viewBox') !== %r"
                    % home, 10)
    zoomed = [float(v) for v in viewbox(chrome).split()]
    h = [float(v) for v in home.split()]
    check(zoomed[2] < h[2] and zoomed[3] < h[3], "wheel zooms in: viewBox %s -> %s"
          % (home, viewbox(chrome)))
    before = zoomed
    chrome.mouse("mouseMoved", x, y)
    chrome.mouse("mousePressed", x, y, 1)
    chrome.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x + 80, "y": y + 40,
                                             "button": "left", "buttons": 1})
    chrome.mouse("mouseReleased", x + 80, y + 40, 1)
    after = [float(v) for v in viewbox(chrome).split()]
    check(after[0] < before[0] and after[1] < before[1] and after[2] == before[2],
          "drag pans: viewBox %s -> %s" % (before, after))
    chrome.eval("document.querySelector('#cv-graph .cv-reset').click()")
    got = [float(v) for v in viewbox(chrome).split()]
    check(got == h, "reset restores the viewBox (%s)" % got)


def test_report(chrome, callviz, data, scratch, check, profile, flags, top_flags):
    page = os.path.join(scratch, os.path.basename(profile) + ".html")
    subprocess.run([callviz, "-html", "-o", page] + flags + [profile], check=True)
    top = subprocess.run([callviz, "-top"] + top_flags + flags + [profile], check=True,
                         stdout=subprocess.PIPE).stdout.decode()
    rows = top.split("\n      flat  flat%", 1)[1].strip().count("\n")
    name = os.path.basename(profile)
    chrome.open("file://" + page, "document.getElementById('frames') !== null", network=True)
    check(not chrome.exceptions(), "%s: no script errors %s" % (name, chrome.exceptions()[:1]))
    check(not chrome.requests(LOCAL), "%s: nothing fetched over the network %s"
          % (name, chrome.requests(LOCAL)))
    where = {}
    for what, sel in (("legend", "ul.legend"), ("hotspots", "table.hotspots"),
                      ("top table", "table.top"), ("call graph", "#cv-graph svg"),
                      ("flame graph", "#cv-flame svg")):
        v = visible(chrome, sel)
        check(v is not None and v["shown"] and v["w"] > 50 and v["h"] > 10,
              "%s: the %s is there and visible (%s)" % (name, what, v))
        where[what] = v["top"] if v else -1
    order = [where[k] for k in ("legend", "top table", "call graph", "flame graph")]
    check(order == sorted(order), "%s: legend, table, graph, flame graph in order" % name)
    n = chrome.eval("document.querySelectorAll('table.top tbody tr').length")
    check(n == rows, "%s: the top table has -top's %d rows (%d)" % (name, rows, n))
    nodes = chrome.eval("document.querySelectorAll('#cv-graph svg g.node').length")
    check(nodes > 3, "%s: the call graph has %d nodes" % (name, nodes))
    frames = chrome.eval("document.querySelectorAll('#cv-flame #frames > g').length")
    check(frames > 3, "%s: the flame graph has %d frames" % (name, frames))
    size = chrome.eval("(() => { const t = document.querySelector('#cv-graph svg g.node text');"
                       " return [getComputedStyle(t).fontSize, t.getAttribute('font-size')]; })()")
    check(abs(float(size[0].rstrip("px")) - float(size[1]) * 4 / 3) < 0.5 or
          abs(float(size[0].rstrip("px")) - float(size[1])) < 0.01,
          "%s: graph text keeps its size (%s), untouched by the flame graph's CSS" % (name, size))
    test_panzoom(chrome, check)
    # The flame graph's own script, inlined: a click on the first child frame zooms it.
    chrome.eval("document.getElementById('cv-flame').scrollIntoView()")
    pos = chrome.eval("(() => { const g = [...document.querySelectorAll('#cv-flame #frames > g')]"
                      ".find(g => +g.getAttribute('data-d') === 1); const r = g.querySelector('rect')"
                      ".getBoundingClientRect(); return [r.left + 2, r.top + r.height / 2]; })()")
    chrome.click(pos[0], pos[1])
    time.sleep(0.2)
    check(chrome.eval("document.getElementById('reset').getAttribute('visibility')") == "visible",
          "%s: clicking a flame graph frame zooms it" % name)


def test_compare(chrome, callviz, data, scratch, check):
    out = os.path.join(scratch, "batch")
    subprocess.run([callviz, "batch", "-compare", "-sample_index=inuse_space,alloc_space",
                    "-formats=svg", "-outdir=" + out, os.path.join(data, "go-heap.pb.gz")],
                   check=True)
    page = os.path.join(out, "go-heap.inuse_space-vs-alloc_space.html")
    chrome.open("file://" + page, "document.querySelector('table.compare') !== null", network=True)
    check(not chrome.exceptions() and not chrome.requests(LOCAL),
          "compare page: no errors, no network")
    rows = chrome.eval("document.querySelectorAll('table.compare tbody tr').length")
    check(rows > 3, "compare page: %d rows in the table" % rows)
    for sel in ("#cv-graph-a svg", "#cv-graph-b svg"):
        v = visible(chrome, sel)
        check(v is not None and v["shown"] and v["w"] > 50, "compare page: %s visible" % sel)
    a = visible(chrome, "#cv-graph-a svg")
    b = visible(chrome, "#cv-graph-b svg")
    check(a and b and abs(a["top"] - b["top"]) < 1, "compare page: the graphs side by side")
    chrome.open("file://" + os.path.join(out, "index.html"), "true", network=True)
    imgs = chrome.eval("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
    check(len(imgs) == 2 and all(imgs), "index.html: both SVG renders shown inline (%s)" % imgs)


def main():
    args = cdp.arguments(__doc__, HERE).parse_args()
    callviz = os.path.abspath(args.callviz)
    data = os.path.abspath(args.data)

    def test(chrome, scratch, check):
        test_report(chrome, callviz, data, scratch, check, os.path.join(data, "go-cpu.pb.gz"),
                    [], [])
        test_report(chrome, callviz, data, scratch, check, os.path.join(data, "go-heap.pb.gz"),
                    ["-sample_index=alloc_space"], [])
        test_compare(chrome, callviz, data, scratch, check)

    return cdp.run(args, "callviz-html-", test)


if __name__ == "__main__":
    sys.exit(main())
