#!/bin/bash
# The text reports from the command line: -traces, -tree, -peek, -list,
# -callgrind, -raw; their errors, -source_path/-trim_path, atomic output.
# (Their text is compared with go tool pprof's by tests/diff.)
. "$(dirname "$0")/lib.sh" "$@"
CPU=$DATA/go-cpu.pb.gz
HEAP=$DATA/go-heap.pb.gz

# -peek and -list take a regex, as -flag=value or -flag value.
expect 2 "needs a value" -- -list
expect 2 "only one output format" -- -peek=main -tree "$CPU"
# As in pprof, an empty regex selects nothing: no format, so the shell.
"$CALLVIZ" -list= "$CPU" </dev/null >"$TMP/o" 2>&1 && ! [ -s "$TMP/o" ] && ok || bad "-list= opens the shell"
"$CALLVIZ" -peek 'main\.hashWork' "$CPU" >"$TMP/p1" && "$CALLVIZ" -peek='main\.hashWork' "$CPU" >"$TMP/p2" &&
	cmp -s "$TMP/p1" "$TMP/p2" && grep -q '| main.hashWork$' "$TMP/p1" && ok || bad "-peek spellings"

# A regex that matches nothing, or does not compile, is a one-line error and
# leaves -output alone.
echo old >"$TMP/keep.txt"
expect 1 "no matches found for regexp: no_such_fn" -- -peek=no_such_fn -o "$TMP/keep.txt" "$CPU"
expect 1 "no matches found for regexp: no_such_fn" -- -list=no_such_fn -o "$TMP/keep.txt" "$CPU"
expect 1 "invalid regex for list" -- -list='(' "$CPU"
expect 1 "invalid regex for peek" -- -peek='(' "$CPU"
grep -qx old "$TMP/keep.txt" && ok || bad "a failed report touched -output"

# -list: sources not found give an Error line per routine, not a failure.
"$CALLVIZ" -list='main\.hashWork$' -source_path=/nonexistent/workload "$CPU" >"$TMP/l1" 2>"$TMP/e1" &&
	grep -q '^ROUTINE ======================== main.hashWork in main.go$' "$TMP/l1" &&
	grep -q '^ Error: could not find file main.go on path /nonexistent/workload$' "$TMP/l1" &&
	! [ -s "$TMP/e1" ] && ok || bad "-list without sources: $(cat "$TMP/l1" "$TMP/e1")"
# The workload's sources: the search path's base name finds them wherever
# the profile was recorded.
WL=$(cd "$(dirname "$0")/../fixtures/workload" && pwd)
"$CALLVIZ" -list='main\.hashWork$' -source_path="$WL" "$CPU" >"$TMP/l2" &&
	grep -q '^ROUTINE ======================== main.hashWork in main.go$' "$TMP/l2" &&
	grep -Eq '^ +\. +[0-9.]+m?s +[0-9]+:' "$TMP/l2" && ok || bad "-list with -source_path: $(head -5 "$TMP/l2")"

# -traces: one block per sample between separators, the last one closing.
"$CALLVIZ" -traces "$HEAP" >"$TMP/t" && tail -1 "$TMP/t" | grep -qx -- '-----------+-------------------------------------------------------' &&
	ok || bad "-traces"

# -raw shows the merged profile: ids from 1, the all-zero samples gone.
"$CALLVIZ" -raw "$HEAP" >"$TMP/r" && grep -q '^Samples:$' "$TMP/r" && grep -q '^     1: 0x' "$TMP/r" &&
	! grep -Eq '^ +0 +0 +0 +0: ' "$TMP/r" && ok || bad "-raw"

# -callgrind: callgrind_annotate reads it (when valgrind is installed).
"$CALLVIZ" -callgrind -o "$TMP/cg.out" "$CPU" && head -1 "$TMP/cg.out" | grep -qx 'positions: instr line' &&
	ok || bad "-callgrind"
if command -v callgrind_annotate >/dev/null 2>&1; then
	callgrind_annotate "$TMP/cg.out" >"$TMP/cga" 2>&1 && grep -q 'main.hashWork' "$TMP/cga" &&
		ok || bad "callgrind_annotate: $(head -3 "$TMP/cga")"
fi

# Same input, same bytes.
for f in -traces -tree -raw -callgrind; do
	"$CALLVIZ" $f "$CPU" >"$TMP/x1" && "$CALLVIZ" $f "$CPU" >"$TMP/x2" && cmp -s "$TMP/x1" "$TMP/x2" &&
		ok || bad "$f is not deterministic"
done

finish
