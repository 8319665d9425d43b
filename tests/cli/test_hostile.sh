#!/bin/bash
# Names that break formats (tests/data/hostile/make-hostile.py: quotes,
# backslashes, braces, <>&, newlines, invalid UTF-8, a 10 kB name), rendered
# to every format this build has, each checked by a reader of that format:
# dot for DOT, an XML parser for SVG and HTML, callgrind_annotate for
# callgrind, the line shape for folded, callviz itself for proto.
. "$(dirname "$0")/lib.sh" "$@"
P=$DATA/hostile/hostile.pb.gz

has_format() { "$CALLVIZ" -h | grep -q -- "^  -$1 "; }

# render FORMAT [FLAGS...]: into $TMP/out.FORMAT, exit 0 and no errors.
render() {
	local fmt=$1
	shift
	rm -f "$TMP/out.$fmt"
	if ! timeout 120 "$CALLVIZ" "-$fmt" "$@" -output "$TMP/out.$fmt" "$P" 2>"$TMP/err.$fmt"; then
		bad "-$fmt $*: failed: $(head -3 "$TMP/err.$fmt")"
		return 1
	fi
	if grep -Eq "runtime error|Sanitizer|callviz:" "$TMP/err.$fmt"; then
		bad "-$fmt $*: $(head -3 "$TMP/err.$fmt")"
		return 1
	fi
	ok
}

# utf8_ok FILE WHAT: FILE decodes strictly as UTF-8 (issue 25: graphviz,
# flamegraph.pl and KCachegrind read these outputs as UTF-8).
utf8_ok() {
	python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$1" 2>"$TMP/utferr" &&
		ok || bad "$2: not valid UTF-8: $(tail -1 "$TMP/utferr")"
}

xml_ok() {
	python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$1" 2>"$TMP/xmlerr" &&
		ok || bad "$2: not well-formed XML: $(tail -1 "$TMP/xmlerr")"
}

for flags in "" "-lines" "-addresses" "-nodecount=5" "-trim=false" "-files"; do
	# shellcheck disable=SC2086
	render dot $flags || continue
	dot -Tcanon "$TMP/out.dot" >/dev/null 2>"$TMP/doterr" && ! grep -q "rror" "$TMP/doterr" &&
		ok || bad "-dot $flags: dot cannot read it: $(head -3 "$TMP/doterr")"
	utf8_ok "$TMP/out.dot" "-dot $flags"
	# Invalid UTF-8 made graphviz warn "UTF8 codes > 4 bytes ... treated as Latin-1".
	dot -Tsvg "$TMP/out.dot" >/dev/null 2>"$TMP/doterr"
	! grep -Eqi "utf-?8|latin" "$TMP/doterr" && ok || bad "-dot $flags: dot warns: $(head -2 "$TMP/doterr")"
	# Every node of the graph made it through graphviz's parser whole.
	want=$(grep -c '^N[0-9]* \[label=' "$TMP/out.dot")
	got=$(dot -Tcanon "$TMP/out.dot" 2>/dev/null | grep -c '^	N[0-9]*	*\[')
	[ "$want" = "$got" ] && ok || bad "-dot $flags: $want nodes written, dot read $got"
done

render svg && xml_ok "$TMP/out.svg" "-svg" && utf8_ok "$TMP/out.svg" "-svg"
render svg -nodecount=3 && xml_ok "$TMP/out.svg" "-svg -nodecount=3"
for fmt in flame icicle html; do
	has_format $fmt && render $fmt && xml_ok "$TMP/out.$fmt" "-$fmt" && utf8_ok "$TMP/out.$fmt" "-$fmt"
done

render pdf && head -c 5 "$TMP/out.pdf" | grep -q '^%PDF-' && tail -c 16 "$TMP/out.pdf" | grep -q '%%EOF' &&
	ok || bad "-pdf: not a complete PDF"
render png && [ "$(head -c 8 "$TMP/out.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
	ok || bad "-png: no PNG signature"

if has_format callgrind && render callgrind; then
	if command -v callgrind_annotate >/dev/null; then
		callgrind_annotate "$TMP/out.callgrind" >"$TMP/ann" 2>"$TMP/annerr" && [ ! -s "$TMP/annerr" ] &&
			ok || bad "-callgrind: callgrind_annotate: $(head -3 "$TMP/annerr")"
	fi
	# Names are single lines: fn=/cfn=/fl= records never split.
	utf8_ok "$TMP/out.callgrind" "-callgrind"
	bad_lines=$(grep -cvE '^(#|$|[a-z]+:|(fl|fi|fe|fn|cfn|cfi|cfl|ob|cob|calls)=|[+-]?[0-9*]|0x)' "$TMP/out.callgrind")
	[ "$bad_lines" = 0 ] && ok || bad "-callgrind: $bad_lines malformed lines"
fi

if has_format folded && render folded; then
	# "frame;frame;frame value", one stack per line, one line per sample.
	lines=$(wc -l <"$TMP/out.folded")
	shaped=$(LC_ALL=C grep -cE '^[^ ].* [0-9]+$' "$TMP/out.folded")
	[ "$lines" -gt 0 ] && [ "$lines" = "$shaped" ] && ok ||
		bad "-folded: $shaped of $lines lines are 'stack value'"
	utf8_ok "$TMP/out.folded" "-folded"
	# Read back: folded output is folded input.
	"$CALLVIZ" -top "$TMP/out.folded" >/dev/null 2>"$TMP/err" && ok ||
		bad "-folded output does not read back: $(head -1 "$TMP/err")"
fi

if has_format proto && render proto; then
	"$CALLVIZ" -top "$TMP/out.proto" >"$TMP/back.top" 2>"$TMP/err" &&
		"$CALLVIZ" -top "$P" >"$TMP/orig.top" 2>/dev/null &&
		diff -q "$TMP/back.top" "$TMP/orig.top" >/dev/null && ok ||
		bad "-proto output does not read back to the same report"
fi

# Text reports: no crash, no error; their layout is pprof's (raw names).
for fmt in top text traces tree raw tags comments; do
	has_format $fmt && render $fmt
done
# pprof prints the names' bytes as they are; so do these reports.
for fmt in top traces raw; do
	LC_ALL=C grep -q $'\xff' "$TMP/out.$fmt" && ok || bad "-$fmt: the names' raw bytes were changed"
done
has_format peek && { "$CALLVIZ" "-peek=." "$P" >/dev/null 2>"$TMP/err" && ok || bad "-peek: $(head -1 "$TMP/err")"; }

# Errors quoting names from the profile stay on one line.
expect 1 "sample_index \"bogus\" must be one of" -- -top -sample_index=bogus "$P"

finish
