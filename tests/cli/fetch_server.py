#!/usr/bin/env python3
"""A misbehaving profile server for test_fetch.sh's error paths.

Listens on 127.0.0.1 on a port the kernel picks, prints the port as its
first line, and answers:
  /404      404 with Go's plain-text "404 page not found"
  /500      500 with a net/http/pprof style text/plain explanation
  /html     200 with an HTML page
  /text     200 with a text/plain goroutine dump (as ?debug=1 gives)
  /folded   200 with collapsed stacks (text callviz reads as a profile)
  /garbage  200 with bytes that are no profile
  /stall    200 promising a body, sending a few bytes, then stalling
  /file     200 with the bytes of --file, as a profile endpoint sends them
It exits by itself after --max seconds so it can never outlive the test.
"""
import argparse
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


FILE = None


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, ctype, body, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/404":
            self.reply(404, "text/plain; charset=utf-8", b"404 page not found\n")
        elif path == "/500":
            self.reply(500, "text/plain; charset=utf-8",
                       b"Could not enable CPU profiling: cpu profiling already in use\n",
                       [("X-Go-Pprof", "1")])
        elif path == "/html":
            self.reply(200, "text/html; charset=utf-8",
                       b"<!DOCTYPE html>\n<html><body><h1>Welcome</h1></body></html>\n")
        elif path == "/text":
            self.reply(200, "text/plain; charset=utf-8",
                       b"goroutine profile: total 3\n1 @ 0x43a8d6 0x46b6e1\n")
        elif path == "/folded":
            self.reply(200, "text/plain; charset=utf-8",
                       b"main;compute;hash 30\nmain;compute;sort 20\nmain;io 5\n")
        elif path == "/garbage":
            self.reply(200, "application/octet-stream", bytes((i * 37 + 11) % 256 for i in range(4096)))
        elif path == "/file" and FILE:
            with open(FILE, "rb") as f:
                self.reply(200, "application/octet-stream", f.read())
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"\x1f\x8b\x08\x00")
            self.wfile.flush()
            time.sleep(20)
        else:
            self.reply(404, "text/plain", b"no such test path\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max", type=float, default=60)
    ap.add_argument("--file", help="what /file serves")
    args = ap.parse_args()
    global FILE
    FILE = args.file
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print(srv.server_address[1], flush=True)
    # The watchdog: whatever happens to the test, this process ends.
    threading.Timer(args.max, lambda: os._exit(0)).start()
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
