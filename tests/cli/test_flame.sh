#!/bin/bash
# -proto, -folded, folded input, -flame and -icicle from the command line:
# outputs go where -output says (or stdout), read back through any source
# (files, stdin), and bad folded text is one error line naming the line.
. "$(dirname "$0")/lib.sh" "$@"
CPU=$DATA/go-cpu.pb.gz

check() { if "$@"; then ok; else bad "$*"; fi; }

# -proto: gzipped profile.proto that callviz reads back with the same rows.
"$CALLVIZ" -proto -output "$TMP/cpu.pb.gz" "$CPU"
check [ "$(head -c2 "$TMP/cpu.pb.gz" | od -An -tx1 | tr -d ' ')" = 1f8b ]
"$CALLVIZ" -top "$CPU" | grep -v '^Hotspots' >"$TMP/a"
"$CALLVIZ" -top "$TMP/cpu.pb.gz" | grep -v '^Hotspots' >"$TMP/b"
check cmp -s "$TMP/a" "$TMP/b"
"$CALLVIZ" -proto "$CPU" | "$CALLVIZ" -top - | grep -v '^Hotspots' >"$TMP/c"
check cmp -s "$TMP/a" "$TMP/c"

# -folded read back from stdin and from a file: the same stacks.
"$CALLVIZ" -folded -sample_index=samples "$CPU" >"$TMP/cpu.folded"
check [ -s "$TMP/cpu.folded" ]
"$CALLVIZ" -folded - <"$TMP/cpu.folded" >"$TMP/again.folded"
check cmp -s "$TMP/cpu.folded" "$TMP/again.folded"
"$CALLVIZ" -top "$TMP/cpu.folded" >"$TMP/folded.top"
check grep -q '^Type: samples$' "$TMP/folded.top"
check grep -q 'of 613 total$' "$TMP/folded.top"
# Gzipped folded stacks (stackcollapse output is often kept so): the same.
gzip -c "$TMP/cpu.folded" >"$TMP/cpu.folded.gz"
"$CALLVIZ" -top "$TMP/cpu.folded.gz" >"$TMP/folded-gz.top"
check cmp -s "$TMP/folded.top" "$TMP/folded-gz.top"

# Flame graphs to a file, and deterministic.
for fmt in flame icicle; do
	"$CALLVIZ" "-$fmt" -output "$TMP/$fmt.svg" "$CPU"
	check grep -q '<svg' "$TMP/$fmt.svg"
	"$CALLVIZ" "-$fmt" "$CPU" | cmp -s - "$TMP/$fmt.svg" && ok || bad "-$fmt is not deterministic"
done
check grep -q 'Icicle graph' "$TMP/icicle.svg"
"$CALLVIZ" -flame "$TMP/cpu.folded" >"$TMP/folded.svg"
check grep -q 'Type: samples | Total: 613' "$TMP/folded.svg"

# Bad folded text: one line naming the source and the line, no output file.
printf 'main;a 1\nmain;b two\n' >"$TMP/bad.folded"
gzip -c "$TMP/bad.folded" >"$TMP/bad.folded.gz"
expect 1 "^callviz: $TMP/bad.folded: folded stacks, line 2: " -- -top "$TMP/bad.folded"
expect 1 "folded stacks, line 2" -- -flame -output "$TMP/bad.svg" "$TMP/bad.folded"
expect 1 "^callviz: $TMP/bad.folded.gz: folded stacks, line 2: " -- -top "$TMP/bad.folded.gz"
check [ ! -e "$TMP/bad.svg" ]

# The help lists the formats.
"$CALLVIZ" -h >"$TMP/help"
for f in proto folded flame icicle; do
	check grep -q -- "-$f " "$TMP/help"
done

finish
