"""A Chrome DevTools protocol client for the browser tests (tests/flame,
tests/html, tests/web): headless Chromium driven over
--remote-debugging-pipe (file descriptors 3 and 4, NUL-terminated JSON; no
websocket, no network, no extra packages). Python 3 standard library only.
"""

import argparse
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-default-apps", "--disable-extensions", "--mute-audio",
         "--remote-debugging-pipe", "--window-size=1400,1000"]


class BrowserError(Exception):
    pass


class Chrome:
    """One headless Chromium and a session on one page."""

    def __init__(self, exe, profile_dir, timeout):
        self.timeout = timeout
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        # Far above 3 and 4, so moving them there in the child clobbers nothing.
        keep_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD_CLOEXEC, 64)
        keep_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD_CLOEXEC, 64)
        os.close(to_chrome_r)
        os.close(from_chrome_w)

        def child():
            os.dup2(keep_r, 3)
            os.dup2(keep_w, 4)

        os.makedirs(profile_dir, exist_ok=True)
        self.log = open(os.path.join(profile_dir, "..", "chrome.log"), "wb")
        self.proc = subprocess.Popen([exe] + FLAGS + ["--user-data-dir=" + profile_dir, "about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                                     preexec_fn=child, close_fds=False)
        os.close(keep_r)
        os.close(keep_w)
        self.wfd, self.rfd = to_chrome_w, from_chrome_r
        self.events = []
        self.buf = b""
        self.next_id = 0
        self.session = None

    def close(self):
        try:
            if self.proc.poll() is None:
                try:
                    self.send("Browser.close", session=False)
                except BrowserError:
                    pass
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        finally:
            for fd in (self.wfd, self.rfd):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.log.close()

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("no answer from the browser in %.0fs" % self.timeout)
            ready, _, _ = select.select([self.rfd], [], [], left)
            if ready:
                chunk = os.read(self.rfd, 1 << 16)
                if not chunk:
                    raise BrowserError("the browser closed the pipe (exit %s)" % self.proc.poll())
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.wfd, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read_message(deadline)
            if "method" in reply:
                self.events.append(reply)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})

    def open(self, url, ready, network=False):
        """Load url in the page and wait until the JS expression `ready` holds.
        With network, the Network domain is on from the start and the
        events so far are dropped, so requests() lists this page's only."""
        targets = self.send("Target.getTargets", session=False)["targetInfos"]
        page = [t for t in targets if t["type"] == "page"]
        target = page[0]["targetId"] if page else \
            self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        self.send("Runtime.enable")
        if network:
            self.send("Network.enable")
            self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete' && " + ready)

    def exceptions(self):
        return [e["params"]["exceptionDetails"] for e in self.events
                if e["method"] == "Runtime.exceptionThrown"]

    def requests(self, allowed=()):
        """URLs the page asked for (open with network=True), but for those
        starting with one of the `allowed` prefixes."""
        urls = [e["params"]["request"]["url"] for e in self.events
                if e["method"] == "Network.requestWillBeSent"]
        return [u for u in urls if not u.startswith(tuple(allowed))]

    def eval(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                           "awaitPromise": True})
        if "exceptionDetails" in r:
            raise BrowserError("script error: %s" % json.dumps(r["exceptionDetails"])[:400])
        return r["result"].get("value")

    # What Runtime.evaluate answers while the page is being replaced: the
    # navigation wait_for is waiting across, not a failure.
    NAVIGATING = ("Inspected target navigated or closed", "Execution context was destroyed")

    def wait_for(self, expr, secs=None):
        deadline = time.monotonic() + (secs or self.timeout)
        while time.monotonic() < deadline:
            try:
                if self.eval("!!(%s)" % expr):
                    return
            except BrowserError as e:
                if not any(m in str(e) for m in self.NAVIGATING):
                    raise
            time.sleep(0.05)
        raise BrowserError("timed out waiting for: " + expr)

    def mouse(self, kind, x, y, clicks=0):
        self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                               "buttons": 1 if kind == "mousePressed" else 0,
                                               "clickCount": clicks})

    def click(self, x, y):
        self.mouse("mouseMoved", x, y)
        self.mouse("mousePressed", x, y, 1)
        self.mouse("mouseReleased", x, y, 1)


class Check:
    def __init__(self):
        self.failures = []

    def __call__(self, ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            self.failures.append(what)
        return ok


def find_chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def arguments(doc, here):
    """The options every browser test takes; the caller may add its own."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--callviz", required=True)
    ap.add_argument("--data", default=os.path.join(here, "..", "data"))
    ap.add_argument("--timeout", type=float, default=60, help="seconds per browser command")
    return ap


def run(args, prefix, test):
    """Start Chromium with a scratch directory, run test(chrome, scratch,
    check), report every check; the exit status, 1 on any failure."""
    exe = find_chromium()
    if not exe:
        print("browser_test: chromium not found (scripts/install-deps.sh installs it): skipped",
              file=sys.stderr)
        return 77  # ctest's SKIP_RETURN_CODE (label chromium)
    check = Check()
    scratch = tempfile.mkdtemp(prefix=prefix)
    chrome = None
    try:
        chrome = Chrome(exe, os.path.join(scratch, "profile"), args.timeout)
        test(chrome, scratch, check)
    except BrowserError as e:
        check(False, "browser: %s" % e)
    finally:
        if chrome:
            chrome.close()
        shutil.rmtree(scratch, ignore_errors=True)
    print("%d failures" % len(check.failures))
    return 1 if check.failures else 0
