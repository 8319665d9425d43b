#!/usr/bin/env bash
# Several sources and base profiles: profiles that cannot be merged fail
# with one line naming both (go tool pprof refuses them too, with exit 2
# and "problem fetching source profiles: period type: incompatible types"),
# flag conflicts are usage errors, and a source that fails to load among
# several is reported and left out, as pprof does.
. "$(dirname "$0")/lib.sh" "$@"
CPU=$DATA/go-cpu.pb.gz
CPU2=$DATA/go-cpu-2.pb.gz
HEAP=$DATA/go-heap.pb.gz
HEAP2=$DATA/go-heap-2.pb.gz

# A CPU and a heap profile: different period types (and sample types).
expect 1 '^callviz: .*go-heap.pb.gz: cannot merge with .*go-cpu.pb.gz: incompatible period types: cpu/nanoseconds and space/bytes$' \
	-- -top "$CPU" "$HEAP"
expect 1 '^callviz: .*go-heap.pb.gz: cannot compare with .*go-cpu.pb.gz: incompatible period types' \
	-- -top -base="$HEAP" "$CPU"
# No output file is left behind by a failed merge.
"$CALLVIZ" -dot -output "$TMP/out.dot" "$CPU" "$HEAP" 2>/dev/null
[ ! -e "$TMP/out.dot" ] && ok || bad "a failed merge left $TMP/out.dot"

expect 2 '^callviz: -base and -diff_base cannot both be given$' -- -top -base="$CPU" -diff_base="$CPU" "$CPU2"
expect 2 '^callviz: -normalize needs a base profile' -- -top -normalize "$CPU"
expect 1 '^callviz: .*no-such.pb.gz: ' -- -top -base="$DATA/no-such.pb.gz" "$CPU"

# One bad source among good ones: reported, left out, the rest merged.
"$CALLVIZ" -top "$CPU" "$DATA/bad/empty.pb" >"$TMP/out" 2>"$TMP/err"
if [ $? = 0 ] && grep -q 'bad/empty.pb: ' "$TMP/err" &&
	grep -qx 'callviz: warning: loaded 1 of 2 source profiles' "$TMP/err" &&
	cmp -s "$TMP/out" <("$CALLVIZ" -top "$CPU" 2>/dev/null); then ok; else bad "bad source among good: $(cat "$TMP/err")"; fi
"$CALLVIZ" -top "$DATA/bad/empty.pb" "$DATA/no-such.pb.gz" >"$TMP/out" 2>"$TMP/err"
if [ $? = 1 ] && [ "$(wc -l <"$TMP/err")" = 3 ] &&
	tail -1 "$TMP/err" | grep -qx 'callviz: none of the 2 source profiles could be loaded'; then ok; else bad "no source loads: $(cat "$TMP/err")"; fi

# A profile merged with itself: every value doubles, nothing else changes.
"$CALLVIZ" -raw "$CPU" "$CPU" >"$TMP/twice" 2>/dev/null &&
	"$CALLVIZ" -raw "$CPU" >"$TMP/once" 2>/dev/null
if [ "$(grep -c ':' "$TMP/twice")" = "$(grep -c ':' "$TMP/once")" ]; then ok; else bad "self merge changed the sample count"; fi
# Subtracting a profile from itself leaves nothing.
"$CALLVIZ" -top -base="$CPU" "$CPU" >"$TMP/out" 2>/dev/null
grep -q '^Showing nodes accounting for 0, 0% of 0 total$' "$TMP/out" && ok || bad "self base: $(head -5 "$TMP/out")"

# -diff_base: decreases green, increases red (pprof's colours), no pprof::base label.
"$CALLVIZ" -dot -hotspots=none -diff_base="$HEAP" "$HEAP2" >"$TMP/out.dot" 2>/dev/null
if grep -Eq 'tooltip="[^"]* \(-[0-9.]+[kMG]?B\)" color="#[0-9a-f]{2}b2[0-9a-f]{2}" fillcolor="#[0-9a-f]{2}ed' "$TMP/out.dot" &&
	grep -Eq 'tooltip="[^"]* \([0-9.]+[kMG]?B\)" color="#b2[0-9a-f]{4}" fillcolor="#ed' "$TMP/out.dot" &&
	! grep -q 'pprof::base' "$TMP/out.dot"; then ok; else bad "diff_base dot colours"; fi
# URLs as sources and base: fetched, combined, saved once as the combined
# profile (as pprof saves), which reads back to the same report.
server_pid=""
stop_server() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; }
trap 'stop_server; rm -rf "$TMP"' EXIT
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
(cd "$DATA" && exec timeout 60 python3 -u -m http.server --bind 127.0.0.1 0) >"$TMP/http.out" 2>/dev/null &
server_pid=$!
for _ in $(seq 100); do grep -q 'port [0-9]' "$TMP/http.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$TMP/http.out" | head -1)
if [ -z "$port" ]; then
	bad "python3 -m http.server did not start"
else
	URL=http://127.0.0.1:$port
	export PPROF_TMPDIR=$TMP/saved
	"$CALLVIZ" -top -hotspots=none -timeout=20 -diff_base="$URL/go-heap.pb.gz" "$URL/go-heap-2.pb.gz" \
		>"$TMP/url.top" 2>"$TMP/url.err"
	"$CALLVIZ" -top -hotspots=none -diff_base="$HEAP" "$HEAP2" >"$TMP/file.top" 2>/dev/null
	saved=$(find "$TMP/saved" -type f 2>/dev/null)
	if [ "$(grep -c '^Saved profile in ' "$TMP/url.err")" = 1 ] && [ "$(echo "$saved" | wc -l)" = 1 ] &&
		[ -n "$saved" ] && cmp -s "$TMP/url.top" "$TMP/file.top"; then ok; else bad "URL diff_base: $(cat "$TMP/url.err")"; fi
	if [ -n "$saved" ] && "$CALLVIZ" -top -hotspots=none "$saved" 2>/dev/null | cmp -s - "$TMP/file.top"; then ok
	else bad "the saved combined profile does not read back to the same report"; fi
	# A file and a URL merged.
	"$CALLVIZ" -top -hotspots=none -timeout=20 "$CPU" "$URL/go-cpu-2.pb.gz" >"$TMP/mix.top" 2>/dev/null
	"$CALLVIZ" -top -hotspots=none "$CPU" "$CPU2" >"$TMP/mix2.top" 2>/dev/null
	cmp -s "$TMP/mix.top" "$TMP/mix2.top" && ok || bad "file + URL merge differs from the files' merge"
fi
stop_server
# Many sources, merged as they load: failures reported in order with the
# count, the result that of the sources that loaded, and units brought to
# the finest even when it comes after two have been merged (a second pass).
US=$DATA/go-cpu-2-us.pb.gz
many=()
for i in $(seq 1 150); do many+=("$CPU2"); done
many[40]=$DATA/no-such-1.pb.gz
many[149]=$DATA/no-such-2.pb.gz
"$CALLVIZ" -raw "${many[@]}" >"$TMP/many" 2>"$TMP/err"
if [ $? = 0 ] && [ "$(grep -c no-such "$TMP/err")" = 2 ] &&
	head -1 "$TMP/err" | grep -q 'no-such-1.pb.gz' &&
	tail -1 "$TMP/err" | grep -qx 'callviz: warning: loaded 148 of 150 source profiles'; then ok; else bad "many sources: $(cat "$TMP/err")"; fi
# 148 copies, and 2 + 146 of them merged twice over: the same profile.
"$CALLVIZ" -proto -o "$TMP/two.pb.gz" "$CPU2" "$CPU2" 2>/dev/null
twice=()
for i in $(seq 1 74); do twice+=("$TMP/two.pb.gz"); done
if cmp -s <(sed 1,3d "$TMP/many") <("$CALLVIZ" -raw "${twice[@]}" 2>/dev/null | sed 1,3d); then ok; else bad "148 sources differ from 74 merged pairs"; fi
"$CALLVIZ" -raw "$US" "$US" "$CPU" "$US" >"$TMP/a" 2>&1
if grep -q 'cpu/nanoseconds' "$TMP/a" && [ "$(grep -c . "$TMP/a")" -gt 10 ]; then ok; else bad "finer unit after two: $(head -5 "$TMP/a")"; fi

finish
