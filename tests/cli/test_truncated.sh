#!/bin/bash
# Files cut short anywhere: every prefix of a tiny profile (raw and gzipped),
# and a sample of prefixes of a real one, many at its field boundaries. Each
# gets a report (a prefix can be a valid smaller profile) or a one-line
# error, in bounded time, and never a crash.
. "$(dirname "$0")/lib.sh" "$@"

mkdir -p "$TMP/cut"
python3 - "$DATA" "$TMP/cut" <<'EOF'
import gzip, random, sys
data, out = sys.argv[1], sys.argv[2]

def varint(b, i):
    x = s = 0
    while i < len(b):
        x |= (b[i] & 0x7F) << s
        s += 7
        i += 1
        if not b[i - 1] & 0x80:
            return x, i
    return None, len(b)

def boundaries(b):
    """Offsets where top-level fields start, and where their payloads start."""
    i, out = 0, []
    while i < len(b):
        out.append(i)
        key, i = varint(b, i)
        if key is None:
            break
        wt = key & 7
        if wt == 0:
            _, i = varint(b, i)
        elif wt == 1:
            i += 8
        elif wt == 5:
            i += 4
        elif wt == 2:
            n, i = varint(b, i)
            out.append(i)
            i += n or 0
        else:
            break
    return out

def write(name, b):
    with open(f"{out}/{name}", "wb") as f:
        f.write(b)

tiny = open(f"{data}/bad/good-tiny.pb", "rb").read()
tiny_gz = gzip.compress(tiny, mtime=0)
for n in range(len(tiny)):
    write(f"tiny-{n}.pb", tiny[:n])
for n in range(len(tiny_gz)):
    write(f"tinygz-{n}.pb.gz", tiny_gz[:n])

random.seed(7)
real = open(f"{data}/go-cpu-raw.pb", "rb").read()
cuts = set(random.sample(range(1, len(real)), 60))
b = boundaries(real)
cuts |= set(b[:: max(1, len(b) // 60)])
cuts |= {x + 1 for x in b[:: max(1, len(b) // 20)]}
for n in sorted(cuts):
    if n < len(real):
        write(f"real-{n}.pb", real[:n])
real_gz = open(f"{data}/go-cpu.pb.gz", "rb").read()
for n in random.sample(range(1, len(real_gz)), 30):
    write(f"realgz-{n}.pb.gz", real_gz[:n])
EOF

for f in "$TMP"/cut/*; do
	fmts="top"
	case $f in */tiny*) fmts="top dot" ;; esac
	for fmt in $fmts; do
		timeout -s KILL 30 "$CALLVIZ" "-$fmt" "$f" >"$TMP/out" 2>"$TMP/err"
		rc=$?
		if [ $rc -ge 124 ]; then
			bad "$(basename "$f") -$fmt: killed or timed out (exit $rc)"
		elif [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
			bad "$(basename "$f") -$fmt: exit $rc: $(head -3 "$TMP/err")"
		elif [ $rc -eq 1 ] && { [ "$(wc -l <"$TMP/err")" -ne 1 ] ||
			! grep -q "^callviz: $f: " "$TMP/err"; }; then
			bad "$(basename "$f") -$fmt: want a one-line error: $(head -3 "$TMP/err")"
		else
			ok
		fi
	done
done
# The empty prefix is the classic: an empty download.
timeout 30 "$CALLVIZ" -top "$TMP/cut/tiny-0.pb" 2>&1 | grep -q "empty input file" && ok ||
	bad "empty prefix: no 'empty input file' error"

finish
