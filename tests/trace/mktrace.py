#!/usr/bin/env python3
"""Write small synthetic execution traces (the generational format) for the
hostile-input tests: mktrace.py KIND OUT. Every KIND is a minimal trace of
goroutine 1 blocking on a channel and goroutine 2 waking it, bent in one way."""
import gzip, sys


def uv(x):
    out = bytearray()
    while True:
        b = x & 0x7f
        x >>= 7
        if x:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def batch(gen, m, ts, data):
    return bytes([1]) + uv(gen) + uv(m) + uv(ts) + uv(len(data)) + data


def ev(typ, *args):
    return bytes([typ]) + b"".join(uv(a) for a in args)


def strings(items):
    d = bytearray([4])
    for i, s in items:
        s = s.encode()
        d += bytes([5]) + uv(i) + uv(len(s)) + s
    return bytes(d)


def stacks(items):
    d = bytearray([2])
    for i, frames in items:
        d += bytes([3]) + uv(i) + uv(len(frames))
        for pc, fn, fl, line in frames:
            d += uv(pc) + uv(fn) + uv(fl) + uv(line)
    return bytes(d)


def generation(ver, gen, extra_events=b"", nframes=None, gen_stack=1):
    sync = bytes([50]) + ev(8, 1000000000) + ev(51, 0, 1, 2, 3) if ver >= 25 else ev(8, 1000000000)
    frames = [(0x1000, 1, 2, 10), (0x2000, 3, 2, 20)]
    if nframes is not None:
        frames = [(0x1000 + i, 1, 2, i) for i in range(nframes)]
    out = batch(gen, 0, 1, sync)
    out += batch(gen, 0, 1, strings([(1, "runtime.chanrecv1"), (2, "main.go"), (3, "main.main"),
                                     (4, "chan receive")]))
    out += batch(gen, 0, 1, stacks([(gen_stack, frames)]))
    evs = ev(13, 1, 0, 1)            # ProcStatus P0 running
    evs += ev(25, 1, 1, 1, 2)        # GoStatus g1 on m1 running
    evs += ev(14, 1, 2, 0, 1)        # GoCreate g2
    evs += ev(20, 5, 4, 1)           # GoBlock "chan receive", stack 1
    evs += ev(16, 5, 2, 1)           # GoStart g2 seq 1
    evs += ev(21, 100, 1, 1, 0)      # GoUnblock g1 seq 1
    evs += ev(17, 5)                 # GoDestroy g2
    evs += ev(16, 5, 1, 2)           # GoStart g1 seq 2
    evs += extra_events
    out += batch(gen, 1, 10, evs)
    if ver >= 26:
        out += bytes([52])
    return out


def header(ver):
    return b"go 1.%d trace\x00\x00\x00" % ver


def make(kind):
    if kind == "ok26":
        return header(26) + generation(26, 1)
    if kind == "ok22":
        return header(22) + generation(22, 1)
    if kind == "out-of-order":   # generation 3 before 2 (Go 1.22 rules)
        return header(22) + generation(22, 1) + generation(22, 3) + generation(22, 2)
    if kind == "interleaved":    # Go 1.26: no end of generation between two
        return header(26) + generation(26, 1)[:-1] + generation(26, 2)
    if kind == "unknown-g":      # unblocks a goroutine that never existed
        return header(26) + generation(26, 1, ev(21, 5, 99, 1, 0))
    if kind == "unknown-p":      # a syscall on a P that was never seen
        return header(26) + generation(26, 1, ev(12, 5, 77, 1, 1))
    if kind == "huge-stack":
        return header(26) + generation(26, 1, nframes=200)
    if kind == "absurd-count":   # a string that says it is 2^60 bytes long
        return header(26) + batch(1, 0, 1, bytes([4, 5, 1]) + uv(1 << 60) + b"x")
    if kind == "zero-stack-id":
        return header(26) + generation(26, 1, gen_stack=0)
    if kind == "truncated":
        return (header(26) + generation(26, 1))[:-7]
    if kind == "bomb":           # 64 MiB of one generation's batches, gzipped
        one = batch(1, 5, 1, ev(37, 1, 1) * 16000)
        return gzip.compress(header(26) + one * (64 * 1024 * 1024 // len(one)), 9)
    raise SystemExit("unknown kind " + kind)


open(sys.argv[2], "wb").write(make(sys.argv[1]))
