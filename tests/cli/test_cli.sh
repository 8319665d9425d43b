#!/bin/bash
# Command-line behaviour: flag syntax, usage errors (exit 2), help, version,
# output formats and atomic -output.
. "$(dirname "$0")/lib.sh" "$@"
CPU=$DATA/go-cpu.pb.gz

# Usage errors exit 2.
expect 2 "unknown flag" -- -top -no_such_flag "$CPU"
expect 2 "needs a value" -- -top "$CPU" -nodecount
expect 2 "invalid value" -- -top -nodecount=many "$CPU"
expect 2 "invalid value" -- -top -nodefraction=2 "$CPU"
expect 2 "invalid boolean" -- -top -cum=maybe "$CPU"
expect 2 "no profile given" -- -top
# No format opens the shell (test_shell.sh); at end of input it exits 0.
"$CALLVIZ" "$CPU" </dev/null >"$TMP/out" 2>"$TMP/err" && ! [ -s "$TMP/out" ] && ok || bad "no format: the shell"
expect 2 "only one output format" -- -top -svg "$CPU"

# Help lists every flag with its default; version prints.
"$CALLVIZ" -h >"$TMP/help" 2>&1 && ok || bad "-h failed"
for f in -top -svg -nodecount -nodefraction -edgefraction -focus -ignore -hide -show -sample_index -cum -unit -output; do
	grep -q -- "$f" "$TMP/help" && ok || bad "-h does not list $f"
done
grep -q "default: 0.005" "$TMP/help" && ok || bad "-h does not show nodefraction's default"
"$CALLVIZ" --version | grep -Eq '^callviz [0-9]+\.[0-9]+\.[0-9]+' && ok || bad "--version"

# The four flag spellings mean the same.
"$CALLVIZ" -top -nodecount=5 "$CPU" >"$TMP/a"
"$CALLVIZ" --top --nodecount 5 "$CPU" >"$TMP/b"
"$CALLVIZ" -top "$CPU" -nodecount 5 >"$TMP/c"
cmp -s "$TMP/a" "$TMP/b" && cmp -s "$TMP/a" "$TMP/c" && ok || bad "flag spellings differ"
"$CALLVIZ" -top -cum=false "$CPU" >"$TMP/d"
"$CALLVIZ" -top "$CPU" >"$TMP/e"
cmp -s "$TMP/d" "$TMP/e" && ok || bad "-cum=false differs from the default"

# Every graph format comes out of libgvc with its magic bytes.
"$CALLVIZ" -svg -output "$TMP/g.svg" "$CPU" && grep -q "<svg" "$TMP/g.svg" && ok || bad "-svg"
"$CALLVIZ" -pdf -output "$TMP/g.pdf" "$CPU" && head -c 4 "$TMP/g.pdf" | grep -q "%PDF" && ok || bad "-pdf"
"$CALLVIZ" -png -output "$TMP/g.png" "$CPU" && head -c 4 "$TMP/g.png" | grep -q "PNG" && ok || bad "-png"
"$CALLVIZ" -dot "$CPU" | head -1 | grep -q '^digraph "workload" {' && ok || bad "-dot"
"$CALLVIZ" -svg "$CPU" | grep -q "</svg>" && ok || bad "-svg to stdout"

# Same input and flags, byte-identical output.
"$CALLVIZ" -svg -o "$TMP/g2.svg" "$CPU"
cmp -s "$TMP/g.svg" "$TMP/g2.svg" && ok || bad "-svg is not deterministic"

# -output replaces an existing file in one step.
echo old >"$TMP/r.txt"
"$CALLVIZ" -top -output "$TMP/r.txt" "$CPU" && grep -q "flat%" "$TMP/r.txt" && ok || bad "-output top"

# Raw (not gzipped) protobuf reads the same as the gzipped file.
"$CALLVIZ" -top "$DATA/go-cpu-raw.pb" >"$TMP/raw"
cmp -s "$TMP/raw" "$TMP/e" && ok || bad "raw and gzipped profiles differ"

# Graphs are rendered in-process: no dot (or any other) program is executed.
if command -v strace >/dev/null 2>&1 && strace -f -qq -e trace=execve -o "$TMP/trace" true 2>/dev/null; then
	for fmt in svg pdf png; do
		strace -f -qq -e trace=execve -o "$TMP/trace" "$CALLVIZ" "-$fmt" -o "$TMP/s.$fmt" "$CPU"
		n=$(grep -c 'execve(' "$TMP/trace")
		[ "$n" -eq 1 ] && ok || bad "-$fmt ran $n programs: $(grep execve "$TMP/trace")"
	done
else
	echo "strace unavailable: skipping the no-subprocess check" >&2
fi

finish
