#!/usr/bin/env bash
# Value transforms and presentation flags on the command line: the flags
# pprof refuses are usage errors (exit 2, nothing written), the value
# shortcuts pick as pprof picks and warn in its words, -add_comment reaches
# the legend and -comments, and -call_tree changes graphs but not text.
. "$(dirname "$0")/lib.sh" "$@"
CPU=$DATA/go-cpu.pb.gz
MUTEX=$DATA/go-mutex.pb.gz
HEAP=$DATA/go-heap.pb.gz
NOMAP=$DATA/synth-nomap.pb.gz

expect 2 '^callviz: conflicting options set: \[(files lines|lines files)\]' -- -top -lines -files "$CPU"
expect 2 '^callviz: conflicting options set: \[cum flat\]' -- -top -cum -flat "$CPU"
expect 2 'zero divisor' -- -top -divide_by=0 "$CPU"
expect 2 'invalid value "x" for -divide_by' -- -top -divide_by=x "$CPU"
expect 2 'invalid value " 2" for -divide_by' -- -top '-divide_by= 2' "$CPU"
expect 1 '^callviz: .*go-cpu.pb.gz: .*delay' -- -top -mean_delay "$CPU"

# A granularity set to false is no granularity; -flat=false leaves flat order.
"$CALLVIZ" -top -lines -files=false "$CPU" >"$TMP/a" 2>/dev/null &&
	"$CALLVIZ" -top -lines "$CPU" >"$TMP/b" && cmp -s "$TMP/a" "$TMP/b" && ok || bad "-files=false"
"$CALLVIZ" -top -flat=false "$CPU" >"$TMP/a" && "$CALLVIZ" -top "$CPU" >"$TMP/b" &&
	cmp -s "$TMP/a" "$TMP/b" && ok || bad "-flat=false is not -cum"

# Nothing is written when the command line is refused.
"$CALLVIZ" -dot -divide_by=0 -output "$TMP/out.dot" "$CPU" 2>/dev/null
[ ! -e "$TMP/out.dot" ] && ok || bad "a refused command line left $TMP/out.dot"

# Shortcuts: -sample_index first, then pprof's order; the losers are named.
"$CALLVIZ" -top -alloc_space -inuse_objects "$HEAP" >"$TMP/out" 2>"$TMP/err"
if grep -qx 'Type: inuse_objects' "$TMP/out" &&
	grep -qx 'Multiple value selections, ignoring -alloc_space' "$TMP/err"; then ok
else bad "shortcut order: $(grep Type "$TMP/out") / $(cat "$TMP/err")"; fi
"$CALLVIZ" -top -sample_index=alloc_objects -inuse_space "$HEAP" >"$TMP/out" 2>"$TMP/err"
if grep -qx 'Type: alloc_objects' "$TMP/out" &&
	grep -qx 'Multiple value selections, ignoring -inuse_space' "$TMP/err"; then ok
else bad "-sample_index over a shortcut: $(grep Type "$TMP/out") / $(cat "$TMP/err")"; fi
# -mean_delay means -mean even when another value was picked.
"$CALLVIZ" -top -sample_index=0 -mean_delay "$MUTEX" >"$TMP/out" 2>/dev/null
grep -qx 'Type: mean_contentions' "$TMP/out" && ok || bad "-mean_delay with -sample_index: $(grep Type "$TMP/out")"

# -add_comment: in the legend (not a '#' one) and in -comments, in order.
"$CALLVIZ" -top -add_comment='checked by hand' "$CPU" >"$TMP/out" &&
	sed -n 2p "$TMP/out" | grep -qx 'checked by hand' && ok || bad "-add_comment legend: $(head -3 "$TMP/out")"
"$CALLVIZ" -comments -add_comment='#tag' "$NOMAP" >"$TMP/out"
printf 'synthetic profile for callviz tests\n#not shown in legends\n#tag\n' | cmp -s - "$TMP/out" &&
	ok || bad "-comments: $(cat "$TMP/out")"
"$CALLVIZ" -comments "$CPU" >"$TMP/out" && [ ! -s "$TMP/out" ] && ok || bad "-comments without comments"

# Without a mapping: no File line, an unnamed graph; -compact_labels drops
# the profile lines from text only.
"$CALLVIZ" -dot "$NOMAP" 2>/dev/null | head -1 | grep -qx 'digraph "unnamed" {' && ok || bad "title without a mapping"
"$CALLVIZ" -top -compact_labels "$CPU" | head -1 | grep -q '^Showing nodes accounting for' &&
	ok || bad "-compact_labels"
"$CALLVIZ" -dot -compact_labels "$CPU" | grep -q 'label="File: workload' && ok || bad "-compact_labels in a graph"

# -call_tree: more nodes in a graph, the same text report.
"$CALLVIZ" -top -call_tree "$CPU" >"$TMP/a" && "$CALLVIZ" -top "$CPU" >"$TMP/b" &&
	cmp -s "$TMP/a" "$TMP/b" && ok || bad "-call_tree changed -top"
n_graph=$("$CALLVIZ" -dot -nodecount=0 "$CPU" | grep -c 'shape=box ')
n_tree=$("$CALLVIZ" -dot -nodecount=0 -call_tree "$CPU" | grep -c 'shape=box ')
[ "$n_tree" -gt "$n_graph" ] && ok || bad "-call_tree: $n_tree nodes, graph $n_graph"
# and the same bytes every time, though pprof's numbering of equal nodes varies
"$CALLVIZ" -dot -call_tree -nodecount=200 "$DATA/std-json-cpu.pb.gz" >"$TMP/a" &&
	"$CALLVIZ" -dot -call_tree -nodecount=200 "$DATA/std-json-cpu.pb.gz" >"$TMP/b" &&
	cmp -s "$TMP/a" "$TMP/b" && ok || bad "-call_tree output not deterministic"

finish
