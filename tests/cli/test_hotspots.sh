#!/bin/bash
# Hotspot classes on the command line: marks in -dot/-svg/-top, the
# -hotspots report, -highlight, -hotspots=FILE|none, and their errors.
# (tests/hotspot/check_shares.py checks every share against pprof -focus.)
. "$(dirname "$0")/lib.sh" "$@"
CPU=$DATA/go-cpu.pb.gz
GPERF=$DATA/../hotspot/data/gperf-libc-cpu.pb.gz

# is_marked FILE.dot CLASS FUNCTION: the node whose tooltip names FUNCTION
# is restated with class="hotspot hs-CLASS" on the very next line.
is_marked() {
	awk -v cls="$2" -v fn="$3" '
		prev != "" && index($0, prev " [class=\"hotspot hs-" cls "\"") == 1 { found = 1 }
		{ prev = "" }
		/^N[0-9]+ \[label=/ && index($0, "tooltip=\"" fn " (") { prev = $1 }
		END { exit !found }' "$1"
}

# Graph marks: mallocgc is alloc, the syscall path is syscall.
"$CALLVIZ" -dot "$CPU" >"$TMP/d.dot" || bad "-dot failed"
is_marked "$TMP/d.dot" alloc runtime.mallocgc && ok || bad "runtime.mallocgc not marked alloc"
is_marked "$TMP/d.dot" syscall runtime/internal/syscall.Syscall6 && ok || bad "Syscall6 not marked syscall"
"$CALLVIZ" -dot -nodecount=200 -focus=Syscall "$CPU" >"$TMP/s.dot"
for fn in syscall.Syscall syscall.RawSyscall6 'internal/poll.(*FD).Write' internal/poll.ignoringEINTRIO; do
	is_marked "$TMP/s.dot" syscall "$fn" && ok || bad "$fn not marked syscall"
done
grep -q 'tooltip="os.(\*File).Write (' "$TMP/s.dot" && ok || bad "os.(*File).Write not in the graph"
is_marked "$TMP/s.dot" syscall 'os.(*File).Write' && bad "os.(*File).Write marked" || ok
grep -q '^subgraph cluster_L { "Hotspots" .*>alloc<.*>syscall<' "$TMP/d.dot" && ok || bad "no hotspot legend"
grep -q 'class="hotspot hs-alloc" color="#1f77b4" penwidth=4 label="runtime\\nmallocgc\\n.*\\n\[alloc\]"' "$TMP/d.dot" \
	&& ok || bad "mallocgc's mark lacks colour, border or label line"

# -hotspots=none: exactly pprof's output, i.e. the default minus the marks.
"$CALLVIZ" -dot -hotspots=none "$CPU" >"$TMP/n.dot"
grep -v -e '^N[0-9]* \[class="hotspot hs-' -e '^subgraph cluster_L { "Hotspots"' "$TMP/d.dot" | cmp -s - "$TMP/n.dot" \
	&& ok || bad "-dot -hotspots=none is not the default without its marks"
grep -q hotspot "$TMP/n.dot" && bad "-hotspots=none still marks" || ok
"$CALLVIZ" -top "$CPU" >"$TMP/t.txt"
"$CALLVIZ" -top -hotspots=none "$CPU" >"$TMP/tn.txt"
grep -v '^Hotspots: ' "$TMP/t.txt" | cmp -s - "$TMP/tn.txt" && ok || bad "-top differs beyond its Hotspots line"
grep -Eq '^Hotspots: alloc [0-9.]+%, gc [0-9.]+%, syscall [0-9.]+%' "$TMP/t.txt" && ok || bad "-top Hotspots line: $(grep Hotspots "$TMP/t.txt")"
[ "$(grep -n '^Hotspots: ' "$TMP/t.txt" | cut -d: -f1)" -eq "$(($(grep -n '^ *flat  *flat%' "$TMP/t.txt" | cut -d: -f1) - 1))" ] \
	&& ok || bad "the Hotspots line is not right above the table"

# SVG: valid XML, and the classes sit on the right <g class="node ..."> elements.
"$CALLVIZ" -svg -o "$TMP/g.svg" "$CPU" || bad "-svg failed"
python3 - "$TMP/g.svg" <<'EOF' && ok || bad "SVG hotspot classes"
import sys
import xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg", "x": "http://www.w3.org/1999/xlink"}
root = ET.parse(sys.argv[1]).getroot()
marks = {}
for g in root.iter("{http://www.w3.org/2000/svg}g"):
    cls = g.get("class", "").split()
    if "node" not in cls:
        continue
    a = g.find(".//s:a", ns)
    tip = a.get("{http://www.w3.org/1999/xlink}title", "") if a is not None else ""
    name = tip.rsplit(" (", 1)[0]
    hs = [c[3:] for c in cls if c.startswith("hs-")]
    if hs:
        assert "hotspot" in cls, cls
        marks[name] = hs[0]
want = {"runtime.mallocgc": "alloc", "runtime/internal/syscall.Syscall6": "syscall"}
for name, c in want.items():
    assert marks.get(name) == c, (name, marks.get(name), marks)
assert "crypto/sha256.block" not in marks
legend = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("id") == "hotspots"]
assert legend and "hotspot-legend" in legend[0].get("class"), "legend"
EOF
for fmt in pdf png; do
	"$CALLVIZ" -$fmt -o "$TMP/g.$fmt" "$CPU" && [ -s "$TMP/g.$fmt" ] && ok || bad "-$fmt with hotspot marks"
done

# -highlight: a named class, an anonymous one (custom), both first in the table.
"$CALLVIZ" -dot -highlight='hash=sha256' -highlight='^main\.lockWork' "$CPU" >"$TMP/h.dot"
is_marked "$TMP/h.dot" hash crypto/sha256.block && ok || bad "-highlight=hash=... not marked"
is_marked "$TMP/h.dot" custom main.lockWork.func1 && ok || bad "-highlight=REGEX not marked custom"
"$CALLVIZ" -top -highlight='hash=sha256' "$CPU" | grep -Eq '^Hotspots: hash 14\.68%, alloc ' && ok || bad "-top with -highlight"
"$CALLVIZ" -top -hotspots=none -highlight='hash=sha256' "$CPU" | grep -Eq '^Hotspots: hash 14\.68%$' && ok || bad "-hotspots=none -highlight"

# -hotspots=FILE: the documented format.
cat >"$TMP/classes.txt" <<'EOF'
# hashing and compression
crypto #ff0000 ^crypto/
crypto         ^hash/
flate   ^compress/flate\.
EOF
"$CALLVIZ" -top -hotspots="$TMP/classes.txt" "$CPU" | grep -Eq '^Hotspots: crypto [0-9.]+%, flate [0-9.]+%$' && ok || bad "-hotspots=FILE"
"$CALLVIZ" -dot -hotspots="$TMP/classes.txt" "$CPU" | grep -q 'class="hotspot hs-crypto" color="#ff0000"' && ok || bad "file colour"
printf 'builtin\nmine ^main\\.\n' >"$TMP/more.txt"
"$CALLVIZ" -top -hotspots="$TMP/more.txt" "$CPU" | grep -Eq '^Hotspots: alloc .*, mine [0-9.]+%$' && ok || bad "builtin line in a file"

# The -hotspots report.
"$CALLVIZ" -hotspots "$CPU" >"$TMP/r.txt" || bad "-hotspots report failed"
grep -q '^Hotspots: share of the' "$TMP/r.txt" && grep -q '^alloc: ' "$TMP/r.txt" &&
	grep -Eq '^ +[0-9.]+s +[0-9.]+% +[0-9.]+s +[0-9.]+%  runtime\.mallocgc$' "$TMP/r.txt" && ok || bad "-hotspots report content"
"$CALLVIZ" -hotspots -nodecount=2 "$CPU" | grep -Eq '^ +\.\.\. [0-9]+ more functions$' && ok || bad "-hotspots -nodecount"
"$CALLVIZ" -hotspots -o "$TMP/r2.txt" "$CPU" && cmp -s "$TMP/r.txt" "$TMP/r2.txt" && ok || bad "-hotspots -o"

# The gperftools C profile with libc symbolized: glibc's malloc is alloc.
if [ -r "$GPERF" ]; then
	"$CALLVIZ" -dot "$GPERF" >"$TMP/c.dot"
	for fn in _int_malloc __libc_malloc; do
		is_marked "$TMP/c.dot" alloc "$fn" && ok || bad "$fn not marked alloc in the C profile"
	done
	"$CALLVIZ" -top "$GPERF" | grep -Eq '^Hotspots: alloc [0-9.]+%' && ok || bad "C profile Hotspots line"
fi

# Errors: one line, exit 1; usage errors exit 2; nothing written.
expect 1 "^callviz: -highlight: invalid regex for hotspot class custom" -- -top -highlight='(' "$CPU"
expect 1 "^callviz: -highlight: invalid hotspot class name|^callviz: -highlight: empty pattern" -- -top -highlight='x=' "$CPU"
expect 1 "^callviz: $TMP/nope.txt: cannot open hotspots file" -- -top -hotspots="$TMP/nope.txt" "$CPU"
printf 'ok ^a\nbad #12 x\n' >"$TMP/bad.txt"
expect 1 "^callviz: $TMP/bad.txt: line 2: invalid colour" -- -top -hotspots="$TMP/bad.txt" "$CPU"
expect 1 "^callviz: $TMP: cannot read hotspots file" -- -top -hotspots="$TMP" "$CPU"
expect 1 "no hotspot classes" -- -hotspots -hotspots=none "$CPU"
expect 2 "only one output format" -- -hotspots -top "$CPU"
expect 2 "needs a value" -- -top "$CPU" -highlight
rm -f "$TMP/out.svg"
"$CALLVIZ" -svg -highlight='(' -o "$TMP/out.svg" "$CPU" 2>/dev/null
[ ! -e "$TMP/out.svg" ] && ok || bad "a bad -highlight left an output file"
"$CALLVIZ" -h | grep -q -- '-highlight' && "$CALLVIZ" -h | grep -q -- '-hotspots' && ok || bad "-h lists -highlight and -hotspots"

finish
