#!/bin/bash
# Hostile and extreme inputs get a clear answer in bounded time and memory:
# gzip bombs, -max_bytes, a million-frame stack, stacks and frame totals
# over the limits, values whose sums overflow, wrong magic, gzip of garbage,
# empty profiles, ids pointing nowhere. Big inputs are generated here by
# mkprofile.py, not committed.
. "$(dirname "$0")/lib.sh" "$@"
MK="python3 $(dirname "$0")/mkprofile.py"
B=$DATA/bad

# bounded SECONDS MAX_RSS_MB STATUS STDERR-REGEX -- ARGS...: like expect,
# under a time limit, and with peak memory checked when GNU time is there.
bounded() {
	local secs=$1 mb=$2 want=$3 pattern=$4
	shift 5
	local timer=()
	[ -x /usr/bin/time ] && timer=(/usr/bin/time -f %M -o "$TMP/rss")
	rm -f "$TMP/rss"
	timeout -s KILL "$secs" "${timer[@]}" "$CALLVIZ" "$@" >"$TMP/out" 2>"$TMP/err"
	local got=$?
	local rss=0
	[ -s "$TMP/rss" ] && rss=$(($(tail -1 "$TMP/rss") / 1024))
	# GNU time reports a child's signal death as "Command terminated by signal".
	if [ "$got" -ge 124 ] || grep -q "terminated by signal" "$TMP/rss" 2>/dev/null; then
		bad "callviz $*: killed or timed out after ${secs}s (exit $got)"
	elif [ "$got" != "$want" ]; then
		bad "callviz $*: exit $got, want $want; stderr: $(head -3 "$TMP/err")"
	elif [ -z "$pattern" ] && grep -Eq "callviz:|runtime error|ERROR" "$TMP/err"; then
		bad "callviz $*: unexpected stderr: $(head -3 "$TMP/err")"
	elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$TMP/err"; then
		bad "callviz $*: stderr does not match /$pattern/: $(head -3 "$TMP/err")"
	elif [ "$want" = 1 ] && [ "$(wc -l <"$TMP/err")" -ne 1 ]; then
		bad "callviz $*: want a one-line error: $(head -3 "$TMP/err")"
	elif [ "$rss" -gt "$mb" ]; then
		bad "callviz $*: peak RSS ${rss} MB, over ${mb} MB"
	else
		ok
	fi
}

# Sanitizer builds (ASan, TSan) need more memory for the same work.
ASAN=0
if nm "$CALLVIZ" 2>/dev/null | grep -q '__[at]san_init'; then ASAN=1; fi
scale() { [ "$ASAN" = 1 ] && echo $(($1 * 4)) || echo "$1"; }

# 1 GiB of zeros, gzipped (1 MB): refused after the first inflated MiB.
$MK bomb-zeros $((1 << 30)) "$TMP/zeros.gz"
bounded 60 "$(scale 64)" 1 "^callviz: $TMP/zeros.gz: unrecognized profile format" -- -top "$TMP/zeros.gz"
# 1 GiB of empty samples: well-formed, refused at the message limit.
$MK bomb-samples $((1 << 30)) "$TMP/samples.gz"
bounded 60 "$(scale 128)" 1 "more than 16777216 messages" -- -top "$TMP/samples.gz"

# -max_bytes: the cap on the inflated size, named in the message.
bounded 30 "$(scale 64)" 1 "^callviz: $DATA/go-cpu.pb.gz: .*exceeds -max_bytes \(30 KiB\)" -- -top -max_bytes=30K "$DATA/go-cpu.pb.gz"
bounded 30 "$(scale 64)" 1 "exceeds -max_bytes \(1000 bytes\)" -- -top -max_bytes=1000 "$DATA/go-cpu-raw.pb"
bounded 30 "$(scale 64)" 0 "" -- -top -max_bytes=1M "$DATA/go-cpu.pb.gz"
$MK bomb-samples $((1 << 20)) "$TMP/mib.gz"
bounded 30 "$(scale 64)" 1 "^callviz: $TMP/mib.gz: inflated profile exceeds -max_bytes \(64 KiB\)$" -- -top -max_bytes=64K "$TMP/mib.gz"
bounded 30 "$(scale 64)" 2 "invalid value \"12x\" for -max_bytes" -- -top -max_bytes=12x "$DATA/go-cpu.pb.gz"
bounded 30 "$(scale 64)" 2 "invalid value \"0\" for -max_bytes" -- -top -max_bytes=0 "$DATA/go-cpu.pb.gz"
# A string longer than the 1 MiB limit is refused from its length alone.
$MK long-string $(((1 << 20) + 1)) "$TMP/long.pb"
gzip -k "$TMP/long.pb"
bounded 30 "$(scale 64)" 1 "string table entry 3 is 1048577 bytes long, over the 1 MiB limit" -- -top "$TMP/long.pb.gz"

# A stack a million frames deep (recursion through 1000 functions) is
# accepted: every pass is linear in frames. One frame more than 2^20 is not.
$MK deep 1000000 1000 "$TMP/deep.pb"
for fmt in top dot traces tree folded callgrind flame html svg; do
	if "$CALLVIZ" -h | grep -q -- "^  -$fmt "; then
		bounded 120 "$(scale 512)" 0 "" -- "-$fmt" -output "$TMP/deep.$fmt" "$TMP/deep.pb"
	fi
done
$MK deep $(((1 << 20) + 1)) 1000 "$TMP/deeper.pb"
bounded 60 "$(scale 512)" 1 "sample 0 has a stack of 1048577 frames, over the 1048576 limit" -- -top "$TMP/deeper.pb"
# Inlined frames count too: one location of 2^16 lines in 2^14+1 samples
# is more than 2^30 frames for every report to walk.
$MK inline-fanout 65536 16385 "$TMP/fanout.pb"
bounded 60 "$(scale 256)" 1 "more than 1073741824 frames in all" -- -top "$TMP/fanout.pb"

# Values: extremes print as pprof prints them; sums that overflow are refused.
$MK values 9223372036854775807 "$TMP/max.pb"
bounded 30 "$(scale 64)" 0 "" -- -top "$TMP/max.pb"
grep -q "^9223372036854775808   100%" "$TMP/out" && ok || bad "INT64_MAX value: $(tail -1 "$TMP/out")"
$MK values -5,3 "$TMP/neg.pb"
bounded 30 "$(scale 64)" 0 "" -- -top "$TMP/neg.pb"
for v in 9223372036854775807,1 -9223372036854775808 9223372036854775807,-9223372036854775807; do
	$MK values "$v" "$TMP/over.pb"
	for fmt in top dot; do
		bounded 30 "$(scale 64)" 1 "values of sample type 0 \(samples\) overflow 64 bits when summed" -- "-$fmt" "$TMP/over.pb"
	done
done

# Folded input goes through the same checks.
printf 'main;f 9223372036854775807\nmain;g 5\n' >"$TMP/over.folded"
bounded 30 "$(scale 64)" 1 "overflow 64 bits when summed" -- -top "$TMP/over.folded"

# No samples: an empty report, as pprof prints it.
$MK no-samples "$TMP/nosamples.pb"
bounded 30 "$(scale 64)" 0 "" -- -top "$TMP/nosamples.pb"
grep -q "Showing nodes accounting for 0, 0% of 0 total" "$TMP/out" && ok || bad "no samples: $(cat "$TMP/out")"
# Ids pointing nowhere: an unknown mapping is no error (as in pprof);
# unknown locations and functions are.
$MK dangling-mapping "$TMP/mapping.pb"
bounded 30 "$(scale 64)" 0 "" -- -top "$TMP/mapping.pb"
bounded 30 "$(scale 64)" 1 "missing location id 99" -- -dot "$B/missing-location.pb"
bounded 30 "$(scale 64)" 1 "missing function id 42" -- -dot "$B/missing-function.pb"

# Wrong magic, gzip of garbage, nothing at all.
printf '\x1f\x8c\x08\x00garbage' >"$TMP/magic1"
printf 'BZh91AY&SY\x01\x02' >"$TMP/magic2"
printf '\x28\xb5\x2f\xfd\x00\x00' >"$TMP/magic3"
for f in magic1 magic2 magic3; do
	bounded 30 "$(scale 64)" 1 "^callviz: $TMP/$f: " -- -top "$TMP/$f"
done
$MK gzip-garbage "$TMP/garbage.gz"
bounded 30 "$(scale 64)" 1 "unrecognized profile format" -- -top "$TMP/garbage.gz"
: >"$TMP/empty.pb.gz"
bounded 30 "$(scale 64)" 1 "empty" -- -top "$TMP/empty.pb.gz"

finish
