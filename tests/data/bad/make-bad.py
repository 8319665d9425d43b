#!/usr/bin/env python3
"""Write the broken inputs the CLI tests feed to callviz.

Each file is broken in one way that a real user meets: empty or truncated
downloads, HTML error pages, random bytes, and well-formed protobuf that
breaks profile.proto's rules (dangling ids, bad string indexes). The
protobuf is encoded by hand so this script needs nothing but Python.
Run from this directory: python3 make-bad.py
"""
import gzip
import os
import random
import sys

# The protobuf encoder the profile-writing scripts share.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib"))
from pbwire import field, packed  # noqa: E402


def profile(strings, sample_loc=1, sample_values=(10,), fn_name=2, line_fn=1,
            value_types=((1, 2),)):
    """A tiny CPU-like profile with one function, one location, one sample."""
    msg = b""
    for t, u in value_types:
        msg += field(1, field(1, t) + field(2, u))
    msg += field(2, packed(1, [sample_loc]) + packed(2, list(sample_values)))
    msg += field(4, field(1, 1) + field(4, field(1, line_fn) + field(2, 7)))
    msg += field(5, field(1, 1) + field(2, fn_name))
    for s in strings:
        msg += field(6, s.encode())
    return msg


STRINGS = ["", "samples", "count", "main.f"]
FILES = {
    "empty.pb": b"",
    "text.txt": b"this is not a profile\n",
    "html.pb.gz": gzip.compress(b"<html><body>404 page not found</body></html>\n", mtime=0),
    "badgzip.pb.gz": b"\x1f\x8b\x08\x00" + bytes(range(60)),
    "missing-location.pb": profile(STRINGS, sample_loc=99),
    "missing-function.pb": profile(STRINGS, line_fn=42),
    "bad-string-index.pb": profile(STRINGS, fn_name=500),
    "wrong-value-count.pb": profile(STRINGS, sample_values=(1, 2, 3)),
    "good-tiny.pb": profile(STRINGS),
}

random.seed(1)
FILES["random.bin"] = bytes(random.randrange(256) for _ in range(4096))
with open("../go-cpu.pb.gz", "rb") as f:
    whole = f.read()
FILES["truncated.pb.gz"] = whole[: len(whole) // 2]

for name, data in FILES.items():
    with open(name, "wb") as f:
        f.write(data)
