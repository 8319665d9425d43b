#!/usr/bin/env python3
"""callviz -http in a real browser: headless Chromium through
tests/lib/cdp.py's DevTools client (no other packages).

Starts the web UI on a free loopback port with a fixture, then checks that:
  - the Graph view loads without script errors or requests to other hosts;
  - the wheel zooms the call graph;
  - clicking a node selects it (the selection line names it) and the Peek
    link of the view switcher follows the selection;
  - the focus button navigates to the same view with f= the node, and the
    Top view reached through the view switcher keeps the focus: its table
    differs from the unrefined one and equals `callviz -top -focus=...`.
The server is stopped whatever happens. Exit status 1 on any failure.
"""

import os
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import cdp  # noqa: E402


def start_server(callviz, profile, scratch):
    out = open(os.path.join(scratch, "server.out"), "w+")
    proc = subprocess.Popen([callviz, "-http=127.0.0.1:0", "-no_browser", profile],
                            stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        out.seek(0)
        for line in out.read().splitlines():
            if line.startswith("Serving web UI on "):
                return proc, line.split()[-1]
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise cdp.BrowserError("server did not start")


def foreign_requests(chrome, base):
    return chrome.requests((base, "data:", "about:"))


TABLE_JS = ("[...document.querySelectorAll('#wv-top tbody tr')].map(tr => "
            "[...tr.cells].map(td => td.textContent).join(' '))")


def cli_rows(callviz, flags, profile):
    top = subprocess.run([callviz, "-top"] + flags + [profile], check=True,
                         stdout=subprocess.PIPE).stdout.decode()
    body = top.split("flat%", 1)[1].split("\n", 1)[1]
    return [" ".join(line.split(None, 5)) for line in body.splitlines() if line.strip()]


def test_web(chrome, callviz, base, profile, check):
    chrome.open(base + "/", "document.querySelector('#cv-graph svg g.node') !== null", network=True)
    check(not chrome.exceptions(), "graph view: no script errors %s" % chrome.exceptions()[:1])
    check(not foreign_requests(chrome, base), "graph view: nothing fetched elsewhere %s"
          % foreign_requests(chrome, base))
    svg = "document.querySelector('#cv-graph svg')"
    home = chrome.eval(svg + ".getAttribute('viewBox')")
    chrome.eval("document.getElementById('cv-graph').scrollIntoView()")
    x, y = chrome.eval("(() => { const r = %s.getBoundingClientRect(); "
                       "return [r.left + r.width / 2, r.top + r.height / 2]; })()" % svg)
    chrome.send("Input.dispatchMouseEvent", {"type": "mouseWheel", "x": x, "y": y,
                                             "deltaX": 0, "deltaY": -120})
    chrome.wait_for(svg + ".getAttribute('viewBox') !== %r" % home, 10)
    check(True, "graph view: the wheel zooms (viewBox %s -> %s)"
          % (home, chrome.eval(svg + ".getAttribute('viewBox')")))
    chrome.eval(svg + ".dispatchEvent(new Event('dblclick'))")
    # A node with a function name, not the first (the root keeps everything).
    pick = chrome.eval("""(() => {
        const nodes = [...document.querySelectorAll('#cv-graph g.node')].filter(g => {
            const a = g.querySelector('a');
            return a && / \\([^()]*\\)$/.test(a.getAttribute('xlink:title') || ''); });
        const g = nodes[Math.min(4, nodes.length - 1)];
        g.scrollIntoView();
        const r = g.querySelector('polygon,path,ellipse').getBoundingClientRect();
        const t = g.querySelector('a').getAttribute('xlink:title');
        return {x: r.left + r.width / 2, y: r.top + r.height / 2,
                name: t.replace(/ \\([^()]*\\)$/, '')}; })()""")
    chrome.click(pick["x"], pick["y"])
    shown = chrome.eval("document.getElementById('wv-selected').textContent")
    check(shown == pick["name"], "clicking a node selects it (%r, want %r)"
          % (shown, pick["name"]))
    peek = urllib.parse.urlparse(chrome.eval("document.getElementById('wv-view-peek')"
                                             ".getAttribute('href')"))
    sym = urllib.parse.parse_qs(peek.query).get("sym", [""])[0]
    check(sym.startswith("^") and sym.endswith("$") and peek.path == "/peek",
          "the Peek link follows the selection (%r)" % sym)
    chrome.eval("document.getElementById('wv-focus').click()")
    chrome.wait_for("location.search.indexOf('f=') >= 0 && document.readyState === 'complete'"
                    " && document.querySelector('#cv-graph svg') !== null")
    query = urllib.parse.parse_qs(chrome.eval("location.search")[1:])
    focus = query.get("f", [""])[0]
    check(focus.startswith("^") and focus.endswith("$"), "focus puts the node in f= (%r)" % focus)
    check(not chrome.exceptions(), "focused graph: no script errors")
    chrome.eval("document.getElementById('wv-view-top').click()")
    chrome.wait_for("location.pathname === '/top' && document.readyState === 'complete' && "
                    "document.getElementById('wv-top') !== null")
    focused = chrome.eval(TABLE_JS)
    chrome.open(base + "/top", "document.getElementById('wv-top') !== null", network=True)
    whole = chrome.eval(TABLE_JS)
    check(focused and focused != whole, "the focus changes the top table (%d rows -> %d)"
          % (len(whole), len(focused)))
    want = cli_rows(callviz, ["-focus=" + focus], profile)
    check(focused == want, "the focused table is callviz -top -focus=%s's%s" % (
        focus, "" if focused == want else ": %s vs %s" % (focused[:2], want[:2])))


def main():
    args = cdp.arguments(__doc__, HERE).parse_args()
    callviz = os.path.abspath(args.callviz)
    profile = os.path.join(os.path.abspath(args.data), "go-cpu.pb.gz")

    def test(chrome, scratch, check):
        server, base = start_server(callviz, profile, scratch)
        try:
            test_web(chrome, callviz, base, profile, check)
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()

    return cdp.run(args, "callviz-web-", test)


if __name__ == "__main__":
    sys.exit(main())
