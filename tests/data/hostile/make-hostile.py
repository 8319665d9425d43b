#!/usr/bin/env python3
"""Write hostile.pb.gz: a profile whose names break output formats.

Function, file, mapping, label and sample type names carry quotes,
backslashes (a trailing one too), braces, <>&, newlines, tabs, semicolons,
invalid UTF-8 and a 10 kB name. Every report must stay valid in its own
format: tests/cli/test_hostile.sh renders them all and checks each with its
own reader (dot, an XML parser, callgrind_annotate, ...).
Run from this directory: python3 make-hostile.py
"""
import gzip
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "cli"))
from mkprofile import field, packed  # noqa: E402

NAMES = [
    b'main.main',
    b'quote"in"name',
    b'back\\slash\\',
    b'brace{}[]()|',
    b'html<b>&amp;</b>&<>',
    b'new\nline\r\nname',
    b'tab\there;semi;colon',
    b'bad utf8 \xff\xfe\xc3( \xe2\x82 end',
    b'\xe2\x80\xae right-to-left \xef\xbb\xbf bom',
    b'dot "label" \\l \\n \\" -> N1 [x=1]; }',
    b'xml ]]> <!-- --> <?xml?> \x01\x07\x1b[31m',
    b'percent %s %n %x {0} ${x}',
    b'long.' + b'x' * 10240,
]


class Strings:
    def __init__(self):
        self.table = [b""]

    def __call__(self, s):
        if s not in self.table:
            self.table.append(s)
        return self.table.index(s)


def profile():
    s = Strings()
    msg = b""
    msg += field(1, field(1, s(b'samp"les\\\n\x1b[0m')) + field(2, s(b"count")))
    msg += field(1, field(1, s(b"cpu<&>")) + field(2, s(b"nanoseconds")))
    msg += field(3, field(1, 1) + field(2, 0x400000) + field(3, 0x800000) +
                 field(5, s(b'/bin/"evil"\nmap<&>\\')) + field(6, s(b"build\nid")))
    for i, name in enumerate(NAMES, 1):
        msg += field(5, field(1, i) + field(2, s(name)) + field(3, s(name + b"_sys")) +
                     field(4, s(b"src/" + name[:40] + b'.go')))
        # Location i calls function i; every third one inlines the next name.
        lines = field(4, field(1, i) + field(2, i * 10))
        if i % 3 == 0 and i < len(NAMES):
            lines = field(4, field(1, i + 1) + field(2, 7)) + lines
        msg += field(4, field(1, i) + field(2, 1) + field(3, 0x400000 + 16 * i) + lines)
    n = len(NAMES)
    # Stacks (leaf first): chains through every name, with labels.
    for i in range(1, n + 1):
        stack = [i] + [j for j in range(i - 1, 0, -1)]
        labels = (field(3, field(1, s(b'key"\n{<&>}')) + field(2, s(NAMES[i - 1][:64]))) +
                  field(3, field(1, s(b"bytes")) + field(3, 1024 * i)) +
                  field(3, field(1, s(b'n\\"um')) + field(3, i) + field(4, s(b'u"nit\n'))))
        msg += field(2, packed(1, stack) + packed(2, [i * 100, i * 1000000]) + labels)
    msg += field(13, s(b'comment "with" <xml> &amp; \\ and\nnewline'))
    msg += field(9, 1700000000000000000) + field(10, 10_000_000_000)
    msg += field(11, field(1, s(b"cpu<&>")) + field(2, s(b"nanoseconds"))) + field(12, 10_000_000)
    for t in s.table:
        msg += field(6, t)
    return msg


here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "hostile.pb.gz"), "wb") as f:
    f.write(gzip.compress(profile(), mtime=0))
