#!/usr/bin/env python3
"""Print `-traces` output with its samples sorted, so that two reports whose
samples tie in value (and so come in input order) compare equal."""
import sys

blocks, cur, head = [], [], []
sep = "-----------+-------------------------------------------------------"
for line in sys.stdin.read().splitlines():
    if line.startswith(("File:", "Type:", "Time:", "Build ID:", "Hotspots:")):
        continue
    if line.startswith("-----------+"):
        if cur:
            blocks.append("\n".join(cur))
        cur = []
        continue
    cur.append(line)
if cur:
    blocks.append("\n".join(cur))
for b in sorted(blocks):
    print(b)
    print(sep)
