#!/usr/bin/env bash
# callviz batch: the sources x sample indexes x formats matrix with
# predictable names and an index.html naming every render; a corrupt
# source fails alone (named, the others produced, exit 1); -jobs=1 and
# -jobs=2 give the same bytes; renders equal the one-shot command's;
# -compare pages; the HTML pages are well-formed and load nothing remote.
. "$(dirname "$0")/lib.sh" "$@"
HEAP=$DATA/go-heap.pb.gz
HEAP2=$DATA/go-heap-2.pb.gz
HERE=$(dirname "$0")

# The 6 files of heap x {inuse_space, alloc_space} x {svg, pdf, top}.
"$CALLVIZ" batch -sample_index=inuse_space,alloc_space -formats=svg,pdf,top \
	-outdir="$TMP/one" "$HEAP" 2>"$TMP/err"
[ $? = 0 ] && [ ! -s "$TMP/err" ] && ok || bad "batch of one heap profile: $(cat "$TMP/err")"
want="go-heap.alloc_space.pdf go-heap.alloc_space.svg go-heap.alloc_space.top.txt go-heap.inuse_space.pdf go-heap.inuse_space.svg go-heap.inuse_space.top.txt index.html"
got=$(cd "$TMP/one" && ls | tr '\n' ' ' | sed 's/ $//')
[ "$got" = "$want" ] && ok || bad "batch files: got '$got', want '$want'"
for f in go-heap.alloc_space.pdf go-heap.alloc_space.svg go-heap.alloc_space.top.txt \
	go-heap.inuse_space.pdf go-heap.inuse_space.svg go-heap.inuse_space.top.txt; do
	grep -q "href=\"$f\"" "$TMP/one/index.html" && ok || bad "index.html does not link $f"
done
head -c 4 "$TMP/one/go-heap.inuse_space.pdf" | grep -q '%PDF' && ok || bad "the pdf is no PDF"
# inuse and alloc side by side: one row for the source, a column each.
python3 - "$TMP/one/index.html" <<'PY' && ok || bad "index.html layout"
import re, sys
s = open(sys.argv[1]).read()
rows = re.findall(r'<tr><th>(.*?)</th>(.*?)</tr>', s.split('<tbody>')[1], re.S)
assert len(rows) == 1, rows
cells = re.findall(r'<td>(.*?)</td>', rows[0][1], re.S)
assert len(cells) == 2 and 'inuse_space.svg' in cells[0] and 'alloc_space.svg' in cells[1], cells
assert '<img src="go-heap.inuse_space.svg"' in cells[0]
PY

# Each render is what the one-shot command writes.
for si in inuse_space alloc_space; do
	"$CALLVIZ" -top -sample_index=$si "$HEAP" | cmp -s - "$TMP/one/go-heap.$si.top.txt" &&
		ok || bad "batch -top $si differs from callviz -top"
	"$CALLVIZ" -svg -sample_index=$si "$HEAP" | cmp -s - "$TMP/one/go-heap.$si.svg" &&
		ok || bad "batch -svg $si differs from callviz -svg"
done

# A nested output directory is made; a huge -jobs is fine.
"$CALLVIZ" batch -jobs=100000 -formats=top -outdir="$TMP/a/b/c" "$HEAP" 2>"$TMP/err" &&
	[ -s "$TMP/a/b/c/go-heap.inuse_space.top.txt" ] && ok || bad "nested -outdir: $(cat "$TMP/err")"
: >"$TMP/file"
expect 1 "^callviz: $TMP/file/x: cannot create the output directory" -- batch -formats=top -outdir="$TMP/file/x" "$HEAP"

# Report flags apply to every render.
"$CALLVIZ" batch -sample_index=alloc_space -formats=top -nodecount=3 -focus=main \
	-outdir="$TMP/flags" "$HEAP" 2>/dev/null
"$CALLVIZ" -top -sample_index=alloc_space -nodecount=3 -focus=main "$HEAP" |
	cmp -s - "$TMP/flags/go-heap.alloc_space.top.txt" && ok || bad "report flags in batch"

# A corrupt source fails alone: named, the others produced, exit 1.
printf 'not a profile at all' >"$TMP/corrupt.pb.gz"
"$CALLVIZ" batch -sample_index=inuse_space,alloc_space -formats=svg,top \
	-outdir="$TMP/bad" "$HEAP" "$TMP/corrupt.pb.gz" "$HEAP2" 2>"$TMP/err"
st=$?
[ $st = 1 ] && ok || bad "batch with a corrupt source: exit $st, want 1"
grep -q "^callviz: .*corrupt.pb.gz: " "$TMP/err" && ok || bad "the corrupt source is not named: $(cat "$TMP/err")"
[ "$(grep -c . "$TMP/err")" = 1 ] && ok || bad "want one error line: $(cat "$TMP/err")"
n=$(ls "$TMP/bad" | grep -c '^go-heap')
[ "$n" = 8 ] && ok || bad "good sources next to a corrupt one: $n renders, want 8"
ls "$TMP/bad" | grep -q corrupt && bad "renders of the corrupt source exist" || ok
grep -q 'corrupt.inuse_space.svg (failed)' "$TMP/bad/index.html" && ok || bad "index.html does not mark the failed renders"

# A render that fails (no such sample index in a CPU profile) fails alone too.
"$CALLVIZ" batch -sample_index=alloc_space -formats=top -outdir="$TMP/si" \
	"$DATA/go-cpu.pb.gz" "$HEAP" 2>"$TMP/err"
[ $? = 1 ] && [ -s "$TMP/si/go-heap.alloc_space.top.txt" ] && grep -q 'go-cpu.pb.gz: ' "$TMP/err" &&
	ok || bad "a missing sample index: $(cat "$TMP/err")"

# -jobs=1 and -jobs=2 (and the default) give the same bytes, -compare and -html included.
for j in 1 2 0; do
	"$CALLVIZ" batch -jobs=$j -compare -sample_index=inuse_space,alloc_space \
		-formats=svg,top,html,flame -outdir="$TMP/j$j" "$HEAP" "$HEAP2" 2>"$TMP/err" ||
		bad "batch -jobs=$j: $(cat "$TMP/err")"
done
diff -r "$TMP/j1" "$TMP/j2" >/dev/null && diff -r "$TMP/j1" "$TMP/j0" >/dev/null && ok ||
	bad "-jobs=1, -jobs=2 and the default differ"
for f in go-heap.inuse_space-vs-alloc_space.html go-heap-2.inuse_space-vs-alloc_space.html \
	go-heap-vs-go-heap-2.inuse_space.html go-heap-vs-go-heap-2.alloc_space.html; do
	[ -s "$TMP/j1/$f" ] && grep -q "href=\"$f\"" "$TMP/j1/index.html" && ok || bad "-compare page $f"
done
"$CALLVIZ" -html -sample_index=alloc_space "$HEAP" | cmp -s - "$TMP/j1/go-heap.alloc_space.html" &&
	ok || bad "batch html differs from callviz -html"

# Every page: well-formed, nothing loaded from the network.
python3 "$HERE/../html/check_html.py" "$TMP/j1"/*.html && ok || bad "HTML checks"

# Hostile names are escaped: the page stays well-formed, the name reads back.
"$CALLVIZ" -html -o "$TMP/hostile.html" "$DATA/hostile/hostile.pb.gz" 2>/dev/null &&
	python3 "$HERE/../html/check_html.py" "$TMP/hostile.html" >/dev/null &&
	grep -q '<td>html&lt;b&gt;&amp;amp;&lt;/b&gt;&amp;&lt;&gt;</td>' "$TMP/hostile.html" &&
	ok || bad "-html of hostile names"
# The same input gives the same bytes.
"$CALLVIZ" -html -o "$TMP/again.html" "$DATA/hostile/hostile.pb.gz" 2>/dev/null
cmp -s "$TMP/hostile.html" "$TMP/again.html" && ok || bad "-html is not deterministic"

# Usage errors.
expect 2 '^callviz: batch: give -formats' -- batch "$HEAP"
expect 2 '^callviz: batch: unknown -formats entry "nope"' -- batch -formats=svg,nope "$HEAP"
expect 2 '^callviz: batch: no profile given' -- batch -formats=svg
expect 2 '^callviz: batch: give the formats with -formats' -- batch -svg "$HEAP"
finish
