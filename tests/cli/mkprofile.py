#!/usr/bin/env python3
"""Hostile and extreme profiles for the robustness tests, made at run time.

Big inputs (a gzip bomb, a million-frame stack) are generated here rather
than committed. The protobuf is encoded by hand, so this needs only Python.

  mkprofile.py bomb-zeros SIZE OUT        gzip of SIZE zero bytes (streamed)
  mkprofile.py bomb-samples SIZE OUT      gzip of SIZE bytes of empty samples
  mkprofile.py deep DEPTH FUNCS OUT       one sample DEPTH frames deep,
                                          cycling through FUNCS functions
  mkprofile.py inline-fanout LINES SAMPLES OUT
                                          one location of LINES inlined frames,
                                          named by SAMPLES samples
  mkprofile.py values V1,V2,... OUT       one sample per value
  mkprofile.py long-string BYTES OUT      a function name BYTES long
  mkprofile.py no-samples OUT             sample types, no samples
  mkprofile.py dangling-mapping OUT       a location whose mapping id is unknown
  mkprofile.py gzip-garbage OUT           valid gzip of random bytes
  mkprofile.py far-lines FILE OUT         samples on lines 10 and 2000000000
                                          of one function in FILE
"""
import gzip
import os
import random
import sys
import zlib

# The protobuf encoder the profile-writing scripts share.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from pbwire import field, packed  # noqa: E402


class Profile:
    """Just enough of profile.proto: strings, functions, locations, samples."""

    def __init__(self, sample_types=(("samples", "count"),)):
        self.strings = [""]
        self.index = {"": 0}
        self.parts = []
        for t, u in sample_types:
            self.parts.append(field(1, field(1, self.s(t)) + field(2, self.s(u))))

    def s(self, text):
        if text not in self.index:
            self.index[text] = len(self.strings)
            self.strings.append(text)
        return self.index[text]

    def function(self, fid, name, filename="x.go", raw_name=None):
        name_idx = self.s(name) if raw_name is None else self.raw_string(raw_name)
        self.parts.append(field(5, field(1, fid) + field(2, name_idx) +
                                field(4, self.s(filename))))

    def raw_string(self, data):
        self.strings.append(data)
        return len(self.strings) - 1

    def location(self, lid, fids, mapping=0, line=1):
        body = [field(1, lid)]
        if mapping:
            body.append(field(2, mapping))
        for f in fids:  # innermost (inlined) first
            body.append(field(4, field(1, f) + field(2, line)))
        self.parts.append(field(4, b"".join(body)))

    def sample(self, lids, values):
        self.parts.append(field(2, packed(1, lids) + packed(2, values)))

    def encode(self):
        table = b"".join(field(6, s if isinstance(s, bytes) else s.encode())
                         for s in self.strings)
        return b"".join(self.parts) + table


def stream_gzip(path, chunk, total):
    """gzip `total` bytes of repeated `chunk`, fast and in little memory.

    After a full flush the compressor forgets its history, so every 1 MiB
    block compresses to the same bytes: compress it twice and repeat the
    second copy. The trailer's CRC is still computed over every byte.
    """
    block = chunk * ((1 << 20) // len(chunk))
    assert total % len(block) == 0
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = z.compress(block) + z.flush(zlib.Z_FULL_FLUSH)
    again = z.compress(block) + z.flush(zlib.Z_FULL_FLUSH)
    assert z.compress(block) + z.flush(zlib.Z_FULL_FLUSH) == again
    crc = 0
    with open(path, "wb") as f:
        f.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff")
        for i in range(total // len(block)):
            f.write(first if i == 0 else again)
            crc = zlib.crc32(block, crc)
        f.write(z.flush())
        f.write(crc.to_bytes(4, "little") + (total & 0xFFFFFFFF).to_bytes(4, "little"))


def deep(depth, funcs):
    p = Profile()
    for i in range(1, funcs + 1):
        p.function(i, "main.f%d" % i)
        p.location(i, [i])
    p.sample([1 + i % funcs for i in range(depth)], [1])
    return p.encode()


def inline_fanout(lines, samples):
    p = Profile()
    for i in range(1, lines + 1):
        p.function(i, "main.inl%d" % i)
    p.location(1, list(range(1, lines + 1)))
    for _ in range(samples):
        p.sample([1], [1])
    return p.encode()


def values(vals):
    p = Profile()
    p.function(1, "main.f")
    p.location(1, [1])
    for v in vals:
        p.sample([1], [v])
    return p.encode()


def far_lines(filename):
    p = Profile()
    p.function(1, "main.f", filename)
    p.location(1, [1], line=10)
    p.location(2, [1], line=2000000000)
    p.sample([1], [5])
    p.sample([2], [7])
    return p.encode()


def main(argv):
    cmd, args = argv[1], argv[2:]
    out = args[-1]
    if cmd == "bomb-zeros":
        return stream_gzip(out, b"\0", int(args[0]))
    if cmd == "bomb-samples":
        return stream_gzip(out, field(2, b""), int(args[0]))
    if cmd == "deep":
        data = deep(int(args[0]), int(args[1]))
    elif cmd == "inline-fanout":
        data = inline_fanout(int(args[0]), int(args[1]))
    elif cmd == "far-lines":
        data = far_lines(args[0])
    elif cmd == "values":
        data = values([int(v) for v in args[0].split(",")])
    elif cmd == "long-string":
        p = Profile()
        p.function(1, "f" * int(args[0]))
        p.location(1, [1])
        p.sample([1], [1])
        data = p.encode()
    elif cmd == "no-samples":
        data = Profile().encode()
    elif cmd == "dangling-mapping":
        p = Profile()
        p.function(1, "main.f")
        p.location(1, [1], mapping=77)
        p.sample([1], [5])
        data = p.encode()
    elif cmd == "gzip-garbage":
        random.seed(8)
        data = gzip.compress(bytes(random.randrange(256) for _ in range(5000)), mtime=0)
    else:
        sys.exit(__doc__)
    with open(out, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main(sys.argv)
