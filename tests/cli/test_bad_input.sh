#!/bin/bash
# Broken inputs get one clear line naming the source, exit 1, and leave no
# output file behind. The inputs are made by tests/data/bad/make-bad.py.
. "$(dirname "$0")/lib.sh" "$@"
B=$DATA/bad

expect 1 "^callviz: $B/empty.pb: empty" -- -top "$B/empty.pb"
expect 1 "^callviz: $B/text.txt: unrecognized profile format" -- -top "$B/text.txt"
expect 1 "^callviz: $B/random.bin: " -- -top "$B/random.bin"
expect 1 "^callviz: $B/html.pb.gz: unrecognized profile format" -- -top "$B/html.pb.gz"
expect 1 "^callviz: $B/badgzip.pb.gz: gzip: " -- -top "$B/badgzip.pb.gz"
expect 1 "^callviz: $B/truncated.pb.gz: gzip: " -- -top "$B/truncated.pb.gz"
expect 1 "missing location id 99" -- -top "$B/missing-location.pb"
expect 1 "missing function id 42" -- -top "$B/missing-function.pb"
expect 1 "string index 500 out of range" -- -top "$B/bad-string-index.pb"
expect 1 "has 3 values, want 1" -- -top "$B/wrong-value-count.pb"
expect 1 "^callviz: $DATA/nope.pb.gz: .*No such file or directory" -- -top "$DATA/nope.pb.gz"
expect 1 "^callviz: $DATA: " -- -top "$DATA"

# Bad options that only the profile can judge: exit 1, naming the source.
expect 1 "^callviz: $DATA/go-heap.pb.gz: .*sample_index" -- -top -sample_index=bogus "$DATA/go-heap.pb.gz"
expect 1 "^callviz: $DATA/go-heap.pb.gz: .*sample_index" -- -top -sample_index=9 "$DATA/go-heap.pb.gz"
expect 1 "^callviz: $DATA/go-cpu.pb.gz: invalid regex for focus" -- -top "-focus=(" "$DATA/go-cpu.pb.gz"
expect 1 "^callviz: $DATA/go-cpu.pb.gz: invalid regex for hide" -- -svg "-hide=a[" "$DATA/go-cpu.pb.gz"

# A failed run never leaves an output file, and keeps a previous good one.
for fmt in top dot svg png; do
	expect 1 "unrecognized profile format" -- "-$fmt" -output "$TMP/r.$fmt" "$B/random.bin"
	[ ! -e "$TMP/r.$fmt" ] && ok || bad "-$fmt left $TMP/r.$fmt behind"
done
echo "previous report" >"$TMP/keep.svg"
expect 1 "gzip: " -- -svg -output "$TMP/keep.svg" "$B/truncated.pb.gz"
[ "$(cat "$TMP/keep.svg")" = "previous report" ] && ok || bad "a failed run damaged the previous output"
leftovers=$(find "$TMP" -name '*.tmp*' | wc -l)
[ "$leftovers" -eq 0 ] && ok || bad "temporary files left behind: $(find "$TMP" -name '*.tmp*')"

finish
