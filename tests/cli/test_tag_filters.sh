#!/usr/bin/env bash
# Tag and stack-cut filters on the command line: bad expressions fail with
# one line naming the option (exit 1, no report on stdout or in -output),
# pprof's warnings go to stderr, and -tags writes its table.
. "$(dirname "$0")/lib.sh" "$@"
CPU=$DATA/go-cpu.pb.gz
HEAP=$DATA/go-heap.pb.gz

expect 1 '^callviz: .*go-cpu.pb.gz: invalid regex for tagfocus: ' -- -top '-tagfocus=worker=(' "$CPU"
expect 1 '^callviz: .*: invalid regex for tagignore: ' -- -top '-tagignore=a,(' "$CPU"
expect 1 '^callviz: .*: invalid regex for taghide: ' -- -top '-taghide=[' "$CPU"
expect 1 '^callviz: .*: invalid regex for show_from: ' -- -top '-show_from=(' "$CPU"
expect 1 '^callviz: .*: invalid regex for prune_from: ' -- -top '-prune_from=*' "$CPU"
# pprof panics on a number past 64 bits; callviz says so.
expect 1 '^callviz: .*: number out of range in tag filter' -- -top '-tagfocus=99999999999999999999' "$HEAP"
expect 2 'needs a value' -- -top "$CPU" -tagroot

# Nothing is written where a report was asked for when a filter is bad.
"$CALLVIZ" -dot -output "$TMP/out.dot" '-tagfocus=worker=(' "$CPU" 2>/dev/null
[ ! -e "$TMP/out.dot" ] && ok || bad "a failed run left $TMP/out.dot"

# Warnings, in pprof's words, and the report still written.
"$CALLVIZ" -top -tagfocus=bytes=48 -tagroot=nolabel "$HEAP" >"$TMP/out" 2>"$TMP/err"
if [ $? = 0 ] && grep -qx "tagfocus:Interpreted '48' as range, not regexp" "$TMP/err" &&
	grep -qx 'TagFocus expression matched no samples' "$TMP/err" &&
	grep -qx 'TagRoot expression matched no samples' "$TMP/err" &&
	grep -q '^   tagfocus=bytes=48$' "$TMP/out"; then ok; else bad "tagfocus warnings: $(cat "$TMP/err")"; fi

# -tags: one block per key; an unlabelled profile gives an empty report.
"$CALLVIZ" -tags "$CPU" >"$TMP/out" 2>"$TMP/err"
if [ $? = 0 ] && head -1 "$TMP/out" | grep -Eq '^ worker: Total [0-9.]+s$'; then ok; else bad "-tags: $(head -3 "$TMP/out")"; fi
"$CALLVIZ" -tags "$DATA/go-mutex.pb.gz" >"$TMP/out" 2>"$TMP/err"
if [ $? = 0 ] && [ ! -s "$TMP/out" ]; then ok; else bad "-tags on a profile without labels: $(head -3 "$TMP/out")"; fi

# The legend lists filters in pprof's order, prune_from not among them.
"$CALLVIZ" -top -prune_from=x -taghide=a -tagshow=b -tagignore=c -tagfocus=worker=d \
	-show_from=e -show=f -hide=g -ignore=h -focus=i "$CPU" >"$TMP/out" 2>/dev/null
got=$(sed -n '/^Active filters:/,/^Showing/p' "$TMP/out" | sed -n 's/^   //p' | tr '\n' ' ')
want="focus=i ignore=h hide=g show=f show_from=e tagfocus=worker=d tagignore=c tagshow=b taghide=a "
[ "$got" = "$want" ] && ok || bad "filter legend: '$got'"

finish
