#!/bin/bash
# Profiles from live net/http/pprof endpoints. The test workload
# (tests/fixtures/workload, built here with go build) serves them on a
# loopback port the kernel picks; each fetched profile's -top must equal
# go tool pprof -top on the copy callviz saved. fetch_server.py plays a
# broken server for the error paths. All traffic stays on 127.0.0.1; every
# request has a -timeout, every command a `timeout`, and both servers exit
# by themselves if this script dies before stopping them.
. "$(dirname "$0")/lib.sh" "$@"
HERE=$(cd "$(dirname "$0")" && pwd)
# Needs go (the workload and go tool pprof): skipped without it (ctest label go).
command -v go >/dev/null || { echo "go not installed (scripts/install-deps.sh installs it): skipped"; exit 77; }

pids=""
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

export TZ=UTC LC_ALL=C
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
# go build keeps using the real cache; saved profiles go to the temp dir only.
export GOCACHE=${GOCACHE:-$(go env GOCACHE)} GOPROXY=off GOFLAGS= GO111MODULE=on
export HOME=$TMP/home PPROF_TMPDIR=$TMP/saved
mkdir -p "$HOME"

# start_server NAME CMD...: run it in the background (remembered in $pids
# for cleanup, so never from a subshell), wait at most 10s for its first
# output line, and leave that line in $server_line.
start_server() {
	local name=$1
	shift
	"$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
	pids="$pids $!"
	for _ in $(seq 100); do
		if [ -s "$TMP/$name.out" ]; then
			server_line=$(head -1 "$TMP/$name.out")
			return 0
		fi
		sleep 0.1
	done
	echo "FAIL: $name did not start: $(cat "$TMP/$name.err")" >&2
	return 1
}

saved_count() { find "$1" -type f 2>/dev/null | wc -l; }

# ---- A real net/http/pprof server -----------------------------------------
if ! (cd "$HERE/../fixtures/workload" && timeout 120 go build -o "$TMP/workload" .) 2>"$TMP/build.err"; then
	bad "go build of the workload failed: $(cat "$TMP/build.err")"
	finish
	exit 1
fi
start_server workload timeout 100 "$TMP/workload" -serve 127.0.0.1:0 -serve-for 90s || exit 1
ADDR=$server_line
BASE=http://$ADDR/debug/pprof

# fetch_and_compare ENDPOINT TYPES [FLAGS...]: -top from the URL equals
# go tool pprof -top on the file callviz saved (-hotspots=none: without
# callviz's Hotspots line); -svg from the URL renders.
fetch_and_compare() {
	local ep=$1 types=$2
	shift 2
	local dir=$TMP/saved-$ep
	PPROF_TMPDIR=$dir timeout 60 "$CALLVIZ" -top -hotspots=none -timeout=30 "$@" "$BASE/$ep" >"$TMP/$ep.top" 2>"$TMP/$ep.err"
	local rc=$?
	local want="Saved profile in $dir/pprof.workload.$types.001.pb.gz"
	if [ $rc -ne 0 ]; then
		bad "-top $ep: exit $rc: $(cat "$TMP/$ep.err")"
		return
	fi
	[ "$(cat "$TMP/$ep.err")" = "$want" ] && ok || bad "-top $ep: stderr '$(cat "$TMP/$ep.err")', want '$want'"
	local saved=$dir/pprof.workload.$types.001.pb.gz
	if timeout 60 go tool pprof -top "$saved" >"$TMP/$ep.pprof.top" 2>"$TMP/$ep.pprof.err"; then
		cmp -s "$TMP/$ep.top" "$TMP/$ep.pprof.top" && ok ||
			bad "-top $ep differs from go tool pprof on the saved file: $(diff "$TMP/$ep.pprof.top" "$TMP/$ep.top" | head -10)"
	else
		bad "go tool pprof could not read $saved: $(cat "$TMP/$ep.pprof.err")"
	fi
	PPROF_TMPDIR=$dir timeout 60 "$CALLVIZ" -svg -timeout=30 -o "$TMP/$ep.svg" "$@" "$BASE/$ep" 2>"$TMP/$ep.svg.err"
	rc=$?
	if [ $rc -eq 0 ] && grep -q '<svg' "$TMP/$ep.svg" && grep -q '</svg>' "$TMP/$ep.svg"; then
		ok
	else
		bad "-svg $ep: exit $rc: $(cat "$TMP/$ep.svg.err")"
	fi
	[ "$(saved_count "$dir")" -eq 2 ] && ok || bad "$ep: want 2 saved profiles in $dir, got $(ls "$dir")"
}

fetch_and_compare profile samples.cpu -seconds=1
fetch_and_compare heap alloc_objects.alloc_space.inuse_objects.inuse_space
fetch_and_compare allocs alloc_objects.alloc_space.inuse_objects.inuse_space
fetch_and_compare goroutine goroutine
fetch_and_compare mutex contentions.delay
fetch_and_compare block contentions.delay

# host:port alone is the CPU profile; ?seconds= in the URL times it too.
timeout 60 "$CALLVIZ" -top -seconds=1 "$ADDR" >"$TMP/short.top" 2>"$TMP/short.err"
grep -q '^Type: cpu$' "$TMP/short.top" && ok || bad "host:port: not a CPU profile: $(cat "$TMP/short.err")"
grep -q "^Saved profile in $PPROF_TMPDIR/pprof.workload.samples.cpu.001.pb.gz$" "$TMP/short.err" && ok ||
	bad "host:port: $(cat "$TMP/short.err")"
timeout 60 "$CALLVIZ" -top "$ADDR/debug/pprof/profile?seconds=1" >"$TMP/q.top" 2>"$TMP/q.err"
grep -q '^Duration: 1' "$TMP/q.top" && ok || bad "?seconds=1: $(head -5 "$TMP/q.top") $(cat "$TMP/q.err")"

# -seconds applies to any endpoint, as in pprof: heap?seconds=1 is a delta profile.
timeout 60 "$CALLVIZ" -top -seconds=1 "$BASE/heap" >"$TMP/dh.top" 2>"$TMP/dh.err"
grep -q "^Saved profile in $PPROF_TMPDIR/pprof.workload.alloc_objects.alloc_space.inuse_objects.inuse_space.001.pb.gz$" "$TMP/dh.err" &&
	grep -q '^Type: inuse_space$' "$TMP/dh.top" && ok || bad "heap -seconds=1: $(cat "$TMP/dh.err")"

# The countdown shows on a terminal only (the runs above had none: their
# stderr was the one "Saved" line).
if command -v script >/dev/null; then
	timeout 60 script -qec "'$CALLVIZ' -top -seconds=2 -o '$TMP/tty.top' '$ADDR'" /dev/null >"$TMP/tty.out" 2>&1
	grep -q "Fetching profile over HTTP from $BASE/profile?seconds=2, [12]s left" "$TMP/tty.out" && ok ||
		bad "no countdown on a terminal: $(tr '\r' '\n' <"$TMP/tty.out")"
fi

# net/http/pprof's own refusals carry its explanation.
before=$(saved_count "$PPROF_TMPDIR")
expect 1 "^callviz: $BASE/profile\?seconds=30: server response: 400 Bad Request - profile duration exceeds server's WriteTimeout$" -- -top -seconds=30 "$ADDR"
expect 1 "^callviz: $BASE/nosuch: server response: 404 Not Found - Unknown profile$" -- -top "$BASE/nosuch"
# -max_bytes bounds the download too, not only the inflated profile.
expect 1 "^callviz: $BASE/heap: response larger than [0-9]+ bytes; raise -max_bytes$" -- -top -max_bytes=1K "$BASE/heap"
expect 1 "^callviz: $BASE/heap\?debug=1: unrecognized profile format.*; the server sent text/plain: leave out debug=N for a profile$" -- -top "$BASE/heap?debug=1"
[ "$(saved_count "$PPROF_TMPDIR")" -eq "$before" ] && ok || bad "a failed fetch saved a profile"

# callviz fetch: the body as is, any endpoint, nothing else saved.
timeout 60 "$CALLVIZ" fetch -seconds=1 "$ADDR/debug/pprof/trace" -o "$TMP/trace.out" 2>"$TMP/trace.err"
rc=$?
[ $rc -eq 0 ] && head -c 9 "$TMP/trace.out" | grep -q '^go 1\.' && ok || bad "fetch trace: exit $rc, $(cat "$TMP/trace.err") $(head -c 16 "$TMP/trace.out" | od -c | head -2)"
timeout 60 "$CALLVIZ" fetch "$BASE/heap" -o "$TMP/heap.pb.gz" 2>"$TMP/fheap.err" &&
	timeout 60 go tool pprof -top "$TMP/heap.pb.gz" >/dev/null 2>&1 && ok || bad "fetch heap: $(cat "$TMP/fheap.err")"
[ "$(saved_count "$PPROF_TMPDIR")" -eq "$before" ] && ok || bad "callviz fetch saved under PPROF_TMPDIR"
expect 2 "give the file to save in with -o FILE" -- fetch "$BASE/heap"
expect 2 "is not a URL" -- fetch "$DATA/go-cpu.pb.gz" -o "$TMP/x"

# ---- A broken server ------------------------------------------------------
start_server pyserver timeout 100 python3 "$HERE/fetch_server.py" --max 90 || exit 1
PORT=$server_line
S=http://127.0.0.1:$PORT
before=$(saved_count "$PPROF_TMPDIR")
expect 1 "^callviz: $S/404: server response: 404 Not Found - 404 page not found$" -- -top "$S/404"
expect 1 "^callviz: $S/500: server response: 500 Internal Server Error - Could not enable CPU profiling: cpu profiling already in use$" -- -svg -o "$TMP/e.svg" "$S/500"
expect 1 "^callviz: $S/html: unrecognized profile format.*; the server sent text/html$" -- -top "$S/html"
expect 1 "^callviz: $S/text: .*; the server sent text/plain$" -- -top "$S/text"
expect 1 "^callviz: $S/garbage: " -- -svg -o "$TMP/e.svg" "$S/garbage"
start=$(date +%s)
expect 1 "^callviz: $S/stall: timed out after 1s .*; raise -timeout$" -- -top -timeout=1 "$S/stall"
[ $(($(date +%s) - start)) -lt 10 ] && ok || bad "-timeout=1 did not bound the stalled fetch"
expect 1 "^callviz: $S/stall: timed out after 1s" -- fetch -timeout=1 "$S/stall" -o "$TMP/e.out"
# Nothing listens on a port that was just free.
CLOSED=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
expect 1 "^callviz: http://127.0.0.1:$CLOSED/debug/pprof/profile: cannot connect to 127.0.0.1:$CLOSED: Connection refused$" -- -top "127.0.0.1:$CLOSED"
expect 1 "unsupported URL scheme \"ftp\"" -- -top "ftp://127.0.0.1:$CLOSED/x"
[ "$(saved_count "$PPROF_TMPDIR")" -eq "$before" ] && ok || bad "a failed fetch saved a profile"
[ ! -e "$TMP/e.svg" ] && [ ! -e "$TMP/e.out" ] && ok || bad "a failed fetch left an output file"

# Collapsed stacks over HTTP are a profile too; the copy saved is
# profile.proto that pprof reads to the same table (less callviz's own
# Hotspots line).
dir=$TMP/saved-folded
PPROF_TMPDIR=$dir timeout 60 "$CALLVIZ" -top "$S/folded" 2>"$TMP/folded.err" | grep -v '^Hotspots:' >"$TMP/folded.top"
saved=$(sed -n 's/^Saved profile in //p' "$TMP/folded.err")
if [ -n "$saved" ] && timeout 60 go tool pprof -top "$saved" >"$TMP/folded.pprof.top" 2>/dev/null; then
	cmp -s "$TMP/folded.top" "$TMP/folded.pprof.top" && ok ||
		bad "folded: -top differs from pprof on the saved file: $(diff "$TMP/folded.pprof.top" "$TMP/folded.top")"
else
	bad "folded: nothing saved that pprof reads: $(cat "$TMP/folded.err")"
fi

finish
