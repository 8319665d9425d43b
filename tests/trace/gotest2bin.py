#!/usr/bin/env python3
"""Turn one of Go's internal/trace test files (go-testdata/*.test, the text
form of internal/trace/raw) into the binary trace it describes:
gotest2bin.py FILE.test OUT. Prints the file's expectation ("SUCCESS" or
FAILURE "regex") on standard output."""
import re, sys

EVENTS = {
    "EventBatch": 1, "Stacks": 2, "Stack": 3, "Strings": 4, "String": 5,
    "CPUSamples": 6, "CPUSample": 7, "Frequency": 8, "ProcsChange": 9,
    "ProcStart": 10, "ProcStop": 11, "ProcSteal": 12, "ProcStatus": 13,
    "GoCreate": 14, "GoCreateSyscall": 15, "GoStart": 16, "GoDestroy": 17,
    "GoDestroySyscall": 18, "GoStop": 19, "GoBlock": 20, "GoUnblock": 21,
    "GoSyscallBegin": 22, "GoSyscallEnd": 23, "GoSyscallEndBlocked": 24,
    "GoStatus": 25, "STWBegin": 26, "STWEnd": 27, "GCActive": 28, "GCBegin": 29,
    "GCEnd": 30, "GCSweepActive": 31, "GCSweepBegin": 32, "GCSweepEnd": 33,
    "GCMarkAssistActive": 34, "GCMarkAssistBegin": 35, "GCMarkAssistEnd": 36,
    "HeapAlloc": 37, "HeapGoal": 38, "GoLabel": 39, "UserTaskBegin": 40,
    "UserTaskEnd": 41, "UserRegionBegin": 42, "UserRegionEnd": 43, "UserLog": 44,
    "GoSwitch": 45, "GoSwitchDestroy": 46, "GoCreateBlocked": 47,
    "GoStatusStack": 48, "ExperimentalBatch": 49, "Sync": 50,
    "ClockSnapshot": 51, "EndOfGeneration": 52,
}


def uv(x):
    out = bytearray()
    while True:
        b = x & 0x7f
        x >>= 7
        out.append(b | (0x80 if x else 0))
        if not x:
            return bytes(out)


def go_unquote(s):
    """A Go %q string literal to bytes."""
    assert s[0] == '"' and s[-1] == '"'
    return s[1:-1].encode("latin-1").decode("unicode_escape").encode("latin-1")


def convert(text):
    expect = text.split("-- expect --\n", 1)[1].split("-- trace --\n", 1)[0].strip()
    body = text.split("-- trace --\n", 1)[1].splitlines()
    ver = int(re.match(r"Trace Go1\.(\d+)", body[0]).group(1))
    out = bytearray(b"go 1.%d trace\x00\x00\x00" % ver)
    batch = None   # (header fields, data)
    batches = []
    for line in body[1:]:
        if not line.strip():
            continue
        if line.startswith("\t"):
            kv = dict(re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', line))
            if "data" in kv:
                d = go_unquote(kv["data"])
                batch[1].extend(uv(len(d)) + d)
            else:
                for k in ("pc", "func", "file", "line"):
                    batch[1].extend(uv(int(kv[k])))
            continue
        name, *rest = line.split()
        args = [int(a.split("=", 1)[1]) for a in rest]
        if name == "EventBatch":
            batch = (args[:3], bytearray())
            batches.append(batch)
            continue
        if name == "EndOfGeneration":
            batches.append((None, bytearray([52])))
            continue
        batch[1].append(EVENTS[name])
        for a in args:
            batch[1].extend(uv(a))
    for hdr, data in batches:
        if hdr is None:
            out += data
            continue
        out += bytes([1]) + uv(hdr[0]) + uv(hdr[1]) + uv(hdr[2]) + uv(len(data)) + data
    return expect, bytes(out)


expect, data = convert(open(sys.argv[1]).read())
open(sys.argv[2], "wb").write(data)
print(expect)
