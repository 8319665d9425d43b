#!/bin/bash
# The programs in examples/ use only the public library, as an embedder
# would; what they print must be what the command line prints for the
# same options, on every fixture: the library's entry point carries
# go tool pprof's rules, not the CLI.
. "$(dirname "$0")/lib.sh" "$@"
HERE=$(cd "$(dirname "$0")" && pwd)
EX=$(dirname "$CALLVIZ")/examples
export TZ=UTC LC_ALL=C
[ -x "$EX/report" ] || { echo "examples not built (CALLVIZ_EXAMPLES=OFF)"; exit 77; }

# same WHAT FILE-A FILE-B: the two outputs are byte for byte equal.
same() {
	if cmp -s "$2" "$3"; then ok; else bad "$1: example and CLI differ: $(diff "$2" "$3" | head -5)"; fi
}

fixtures=$(ls "$DATA"/*.pb.gz "$DATA"/*.pb)
# Every report the CLI prints as text (and the profile itself), unfiltered.
for f in $fixtures; do
	for fmt in top traces raw tags tree folded callgrind dot comments proto; do
		"$EX/report" "$fmt" "$f" >"$TMP/ex" 2>"$TMP/ex.err"
		"$CALLVIZ" "-$fmt" -hotspots=none "$f" >"$TMP/cli" 2>"$TMP/cli.err"
		same "report $fmt $(basename "$f")" "$TMP/ex" "$TMP/cli"
	done
done

# Several sources: merged as the CLI merges them.
"$EX/report" top "$DATA/go-heap.pb.gz" "$DATA/go-heap-2.pb.gz" >"$TMP/ex"
"$CALLVIZ" -top -hotspots=none "$DATA/go-heap.pb.gz" "$DATA/go-heap-2.pb.gz" >"$TMP/cli"
same "report top of two heaps" "$TMP/ex" "$TMP/cli"

for f in "$DATA/go-cpu.pb.gz" "$DATA/std-json-cpu.pb.gz" "$DATA/go-heap.pb.gz"; do
	"$EX/top" "$f" 15 >"$TMP/ex"
	"$CALLVIZ" -top -cum -nodecount=15 -hotspots=none "$f" >"$TMP/cli"
	same "top $(basename "$f")" "$TMP/ex" "$TMP/cli"

	"$EX/svg_hotspots" "$f" "$TMP/ex.svg"
	"$CALLVIZ" -svg -highlight=json=encoding/json -o "$TMP/cli.svg" "$f"
	same "svg_hotspots $(basename "$f")" "$TMP/ex.svg" "$TMP/cli.svg"
done

"$EX/merge_diff" "$DATA/go-heap.pb.gz" "$DATA/go-heap-2.pb.gz" "$DATA/go-heap.pb.gz" >"$TMP/ex"
{
	"$CALLVIZ" -top -nodecount=10 -hotspots=none "$DATA/go-heap-2.pb.gz" "$DATA/go-heap.pb.gz"
	echo
	"$CALLVIZ" -top -nodecount=10 -hotspots=none -diff_base="$DATA/go-heap.pb.gz" \
		"$DATA/go-heap-2.pb.gz" "$DATA/go-heap.pb.gz"
} >"$TMP/cli"
same "merge_diff" "$TMP/ex" "$TMP/cli"

# A bad source: one line naming it, exit 1, no crash.
"$EX/report" top "$DATA/bad/$(ls "$DATA/bad" | head -1)" >/dev/null 2>"$TMP/err"
[ $? = 1 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && ok || bad "report on a bad file: $(cat "$TMP/err")"

# fetch_render against a local server serving a fixture as an endpoint.
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$TMP"' EXIT
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export HOME=$TMP/home PPROF_TMPDIR=$TMP/saved
timeout 60 python3 "$HERE/fetch_server.py" --max 50 --file "$DATA/go-cpu.pb.gz" >"$TMP/port" 2>/dev/null &
server_pid=$!
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
URL=http://127.0.0.1:$(head -1 "$TMP/port")/file
if timeout 30 "$EX/fetch_render" "$URL" "$TMP/ex.svg" 2>"$TMP/err"; then
	"$CALLVIZ" -svg -hotspots=none -o "$TMP/cli.svg" "$DATA/go-cpu.pb.gz" 2>/dev/null
	same "fetch_render" "$TMP/ex.svg" "$TMP/cli.svg"
	grep -q "^Saved profile in $TMP/saved/" "$TMP/err" && ok || bad "fetch_render saved nothing: $(cat "$TMP/err")"
else
	bad "fetch_render $URL failed: $(cat "$TMP/err")"
fi
finish
