#!/bin/bash
# Outputs land whole or not at all: a failure at any stage (bad input, a
# render failure after the report was built, a write that runs out of room)
# leaves a previous file intact and no temporary file behind, and nothing
# reaches stdout unless the whole report succeeded. Devices and symlinks
# given as -output are written through, never replaced.
. "$(dirname "$0")/lib.sh" "$@"
CPU=$DATA/go-cpu.pb.gz
OUT=$TMP/outputs
mkdir -p "$OUT"

no_temps() {
	local left
	left=$(find "$OUT" -name '*.tmp*')
	[ -z "$left" ] && ok || bad "$1: temporary files left behind: $left"
}

intact() {
	[ "$(cat "$2")" = "previous $1" ] && ok || bad "$1: the previous output was damaged"
}

# Every format, failing on bad input, and failing late, in graphviz, after
# the report was built (GVBINDIR pointing nowhere leaves it no devices).
formats=$("$CALLVIZ" -h | sed -n 's/^  -\([a-z]*\)  .*Output.*/\1/p' | grep -vxE 'list|peek')
for fmt in $formats peek=.; do
	f=$OUT/report.${fmt%%=*}
	echo "previous $fmt" >"$f"
	expect 1 "unrecognized profile format" -- "-$fmt" -output "$f" "$DATA/bad/random.bin"
	intact "$fmt" "$f"
done
for fmt in svg pdf png; do
	f=$OUT/report.$fmt
	GVBINDIR=$TMP/none expect 1 "graphviz: unknown output format" -- "-$fmt" -output "$f" "$CPU"
	intact "$fmt" "$f"
	# The same failure with stdout as the target writes nothing at all.
	GVBINDIR=$TMP/none "$CALLVIZ" "-$fmt" "$CPU" >"$TMP/stdout" 2>/dev/null
	[ ! -s "$TMP/stdout" ] && ok || bad "-$fmt: a failed render wrote to stdout"
done
no_temps "failed reports"

# A write that fails midway (a file-size limit, so EFBIG) is cleaned up.
for fmt in top dot svg png; do
	f=$OUT/big.$fmt
	echo "previous $fmt" >"$f"
	(ulimit -f 2 && exec "$CALLVIZ" "-$fmt" -output "$f" "$CPU") 2>"$TMP/err"
	rc=$?
	[ $rc = 1 ] && grep -q "^callviz: .*writing $f: File too large$" "$TMP/err" && ok ||
		bad "-$fmt over the file-size limit: exit $rc: $(cat "$TMP/err")"
	intact "$fmt" "$f"
done
no_temps "failed writes"

# No space left: a full device as -output and as stdout; /dev/full stays a device.
expect 1 "writing /dev/full: No space left on device" -- -top -output /dev/full "$CPU"
[ -c /dev/full ] && ok || bad "/dev/full was replaced"
"$CALLVIZ" -dot "$CPU" >/dev/full 2>"$TMP/err"
rc=$?
[ $rc = 1 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && grep -q "standard output" "$TMP/err" && ok ||
	bad "stdout on /dev/full: exit $rc: $(cat "$TMP/err")"
# A device is written, not replaced (as root, rename would replace /dev/null).
mkfifo "$OUT/fifo"
cat "$OUT/fifo" >"$TMP/from-fifo" &
"$CALLVIZ" -top -output "$OUT/fifo" "$CPU" 2>"$TMP/err" && ok || bad "-output FIFO: $(cat "$TMP/err")"
wait
[ -p "$OUT/fifo" ] && grep -q "flat%" "$TMP/from-fifo" && ok || bad "-output FIFO: not written through"
rm -f "$OUT/fifo"

# A symlink stays a symlink; the file it names gets the report.
echo "previous link" >"$OUT/target.txt"
ln -s target.txt "$OUT/link.txt"
"$CALLVIZ" -top -output "$OUT/link.txt" "$CPU" 2>"$TMP/err" && ok || bad "-output symlink: $(cat "$TMP/err")"
[ -L "$OUT/link.txt" ] && grep -q "flat%" "$OUT/target.txt" && ok || bad "-output replaced the symlink"

# Where no file can be made: a directory, a missing directory.
expect 1 "cannot open output $OUT: Is a directory" -- -top -output "$OUT" "$CPU"
expect 1 "cannot create output $OUT/missing/r.svg: No such file or directory" -- -top -output "$OUT/missing/r.svg" "$CPU"
# A read-only directory (root writes anyway, so only as a user).
if [ "$(id -u)" != 0 ]; then
	mkdir "$OUT/ro" && echo "previous ro" >"$OUT/ro/r.top" && chmod 555 "$OUT/ro"
	expect 1 "cannot create output" -- -top -output "$OUT/ro/r.top" "$CPU"
	intact ro "$OUT/ro/r.top"
	chmod 755 "$OUT/ro"
fi
no_temps "unwritable targets"

# A fresh file follows the umask, as any other file the user creates.
rm -f "$OUT/mode.top"
(umask 077 && "$CALLVIZ" -top -output "$OUT/mode.top" "$CPU")
[ "$(stat -c %a "$OUT/mode.top")" = 600 ] && ok || bad "umask 077 gave mode $(stat -c %a "$OUT/mode.top")"

finish
