#!/bin/bash
# Go execution traces: the four -pprof profiles against go tool trace's
# (golden files recorded with Go 1.26, tests/trace/record-golden.sh; with
# CALLVIZ_GO126=/path/to/go1.26/bin/go the live oracle is run as well),
# gzipped and stdin input, every report format, the messages, and cut,
# corrupt and hostile traces: a clear message, never a crash.
. "$(dirname "$0")/lib.sh" "$@"
T=$(cd "$(dirname "$0")/../trace" && pwd)
F=$T/fixtures

strip_top() { grep -v '^Type:\|^Hotspots:'; }

for t in "$F"/*.trace; do
	b=$(basename "$t" .trace)
	for p in net sync syscall sched; do
		"$CALLVIZ" -pprof=$p -top -nodecount=1000 "$t" 2>"$TMP/err" | strip_top >"$TMP/top"
		cmp -s "$TMP/top" "$T/golden/$b.$p.top" && ok ||
			bad "$b -pprof=$p -top differs from go tool trace: $(diff "$T/golden/$b.$p.top" "$TMP/top" | head -5)"
		for si in 0 1; do
			"$CALLVIZ" -pprof=$p -traces -sample_index=$si "$t" 2>>"$TMP/err" |
				python3 "$T/norm_traces.py" >"$TMP/traces"
			cmp -s "$TMP/traces" "$T/golden/$b.$p.traces$si" && ok ||
				bad "$b -pprof=$p -traces -sample_index=$si differs from go tool trace"
		done
		[ ! -s "$TMP/err" ] && ok || bad "$b -pprof=$p: unexpected messages: $(cat "$TMP/err")"
	done
done

# Go's own test traces (internal/trace/testdata/tests, BSD-licensed, in
# tests/trace/go-testdata with Go's LICENSE): each read as Go expects
# (SUCCESS, or FAILURE with its message), and each profile as go tool trace's.
for f in "$T"/go-testdata/*.test; do
	b=$(basename "$f" .test)
	want=$(python3 "$T/gotest2bin.py" "$f" "$TMP/gt.trace")
	for p in net sync syscall sched; do
		"$CALLVIZ" -pprof=$p -traces -sample_index=1 "$TMP/gt.trace" >"$TMP/out" 2>"$TMP/err"
		rc=$?
		case $want in
		SUCCESS)
			{ [ $rc = 0 ] || grep -q "no goroutines" "$TMP/err"; } && ! grep -q "offset" "$TMP/err" && ok ||
				bad "go-testdata $b: want success, got: $(cat "$TMP/err")" ;;
		FAILURE*)
			re=$(printf '%s' "$want" | sed 's/^FAILURE "//; s/"$//')
			grep -Eq -- "$re" "$TMP/err" && ok || bad "go-testdata $b: want /$re/, got: $(cat "$TMP/err")" ;;
		esac
		g=$T/golden/go-testdata/$b.$p
		if [ "$(cat "$g")" = error ]; then
			[ $rc = 1 ] && ok || bad "go-testdata $b -pprof=$p: go tool trace fails, callviz did not"
		else
			python3 "$T/norm_traces.py" <"$TMP/out" | cmp -s - "$g" && ok ||
				bad "go-testdata $b -pprof=$p differs from go tool trace"
		fi
	done
done

# The live oracle, when a Go 1.26 toolchain is named.
if [ -n "${CALLVIZ_GO126:-}" ]; then
	export GOTOOLCHAIN=local GOPROXY=off
	for t in "$F"/*.trace; do
		for p in net sync syscall sched; do
			"$CALLVIZ_GO126" tool trace -pprof=$p "$t" >"$TMP/p.pb"
			"$CALLVIZ_GO126" tool pprof -top -nodecount=1000 "$TMP/p.pb" 2>/dev/null |
				grep -v '^File:\|^Type:\|^Time:\|^Build ID:' >"$TMP/want"
			"$CALLVIZ" -pprof=$p -top -nodecount=1000 "$t" | strip_top >"$TMP/got"
			cmp -s "$TMP/want" "$TMP/got" && ok || bad "live oracle: $t -pprof=$p differs"
			# go tool pprof reads callviz's -proto of the trace.
			"$CALLVIZ" -pprof=$p -proto -output "$TMP/cv.pb.gz" "$t"
			"$CALLVIZ_GO126" tool pprof -top -nodecount=1000 "$TMP/cv.pb.gz" 2>/dev/null |
				grep -v '^File:\|^Type:\|^Time:\|^Build ID:' >"$TMP/got2"
			cmp -s "$TMP/want" "$TMP/got2" && ok || bad "go tool pprof reads -proto of $t -pprof=$p differently"
		done
	done
fi

t=$F/go1.26.trace
"$CALLVIZ" -pprof=sync -top "$t" >"$TMP/plain" 2>&1
# Gzipped, and from standard input.
gzip -c "$t" >"$TMP/t.gz"
"$CALLVIZ" -pprof=sync -top "$TMP/t.gz" >"$TMP/gz" 2>&1
cmp -s "$TMP/plain" "$TMP/gz" && ok || bad "a gzipped trace reads differently"
"$CALLVIZ" -pprof=sync -top - <"$t" >"$TMP/stdin" 2>&1
cmp -s "$TMP/plain" "$TMP/stdin" && ok || bad "a trace on stdin reads differently"
"$CALLVIZ" -pprof=sync -top - <"$TMP/t.gz" >"$TMP/stdin" 2>&1
cmp -s "$TMP/plain" "$TMP/stdin" && ok || bad "a gzipped trace on stdin reads differently"

# From a pipe given as a file name (process substitution), a trace or a profile.
"$CALLVIZ" -pprof=sync -top <(cat "$t") >"$TMP/fifo" 2>&1
cmp -s "$TMP/plain" "$TMP/fifo" && ok || bad "a trace through a pipe reads differently"
"$CALLVIZ" -top "$DATA/go-cpu.pb.gz" >"$TMP/prof" 2>&1
"$CALLVIZ" -top <(cat "$DATA/go-cpu.pb.gz") >"$TMP/fifo" 2>&1
cmp -s "$TMP/prof" "$TMP/fifo" && ok || bad "a profile through a pipe reads differently"

# From a URL (a loopback server of the fixture files), gzipped or not.
cp "$t" "$TMP/srv.trace"
cp "$TMP/t.gz" "$TMP/srv.trace.gz"
python3 -c '
import http.server, socketserver, sys, os
os.chdir(sys.argv[1])
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
with socketserver.TCPServer(("127.0.0.1", 0), H) as s:
    print(s.server_address[1], flush=True)
    s.timeout = 30
    for _ in range(2): s.handle_request()
' "$TMP" >"$TMP/port" &
srv=$!
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
port=$(head -1 "$TMP/port")
for f in srv.trace srv.trace.gz; do
	timeout 60 "$CALLVIZ" -pprof=sync -top -timeout=20 "http://127.0.0.1:$port/$f" >"$TMP/url" 2>"$TMP/err"
	grep -v '^Saved' "$TMP/url" | cmp -s "$TMP/plain" - && ok || bad "a trace from a URL ($f) reads differently: $(cat "$TMP/err")"
done
kill $srv 2>/dev/null
wait $srv 2>/dev/null

# Every format applies; -proto is read back with the same numbers.
for fmt in svg dot raw tree peek=Lock flame folded callgrind; do
	"$CALLVIZ" -pprof=sync "-$fmt" -output "$TMP/out.$fmt" "$t" 2>"$TMP/err" && [ -s "$TMP/out.$fmt" ] &&
		ok || bad "-pprof=sync -$fmt failed: $(cat "$TMP/err")"
done
"$CALLVIZ" -pprof=sync -proto -output "$TMP/p.pb.gz" "$t"
"$CALLVIZ" -top "$TMP/p.pb.gz" >"$TMP/back" 2>&1
cmp -s "$TMP/plain" "$TMP/back" && ok || bad "-proto of a trace reads back differently"
"$CALLVIZ" -pprof=sched -top -focus=scheduling "$t" >"$TMP/focus" 2>&1 && grep -q "main.scheduling" "$TMP/focus" &&
	ok || bad "-focus on a trace profile"

# The shell and batch take -pprof too.
printf 'top 3\nquit\n' | timeout 60 "$CALLVIZ" -pprof=net "$t" >"$TMP/shell" 2>&1
grep -q "internal/poll.(\*FD).Read" "$TMP/shell" && ok || bad "shell on a trace: $(head -3 "$TMP/shell")"
timeout 120 "$CALLVIZ" batch -pprof=sync -formats=top -outdir "$TMP/batch" "$t" >/dev/null 2>"$TMP/err"
grep -q "sync.(\*Mutex).Lock" "$TMP"/batch/*.top.txt 2>/dev/null && ok || bad "batch on a trace: $(cat "$TMP/err")"

# Messages.
expect 1 "^callviz: $t: a Go execution trace: choose one of its profiles with -pprof=net, sync, syscall or sched$" -- -top "$t"
expect 1 "^callviz: $t: unknown -pprof=block" -- -pprof=block -top "$t"
printf 'go 1.99 trace\0\0\0' >"$TMP/v99"
expect 1 "^callviz: $TMP/v99: offset 0: unknown or unsupported trace version go 1.99" -- -pprof=net -top "$TMP/v99"
printf 'go 1.21 trace\0\0\0' >"$TMP/v21"
expect 1 "^callviz: $TMP/v21: offset 0: go 1.21 trace: .*not read yet" -- -pprof=net -top "$TMP/v21"
printf 'go 1.26 trace\0\0\0\x07garbage' >"$TMP/junk"
expect 1 "^callviz: $TMP/junk: offset 16: expected batch event, got event 7" -- -pprof=net -top "$TMP/junk"
printf 'go 1.26 trace\0\0\0\x01\x01\x01\x01\xff\xff\x7f' >"$TMP/big"
expect 1 "^callviz: $TMP/big: offset 16: invalid batch size" -- -pprof=net -top "$TMP/big"
printf 'go 1.26 trace\0\0\0' >"$TMP/empty"
expect 1 "^callviz: $TMP/empty: .*no goroutines" -- -pprof=net -top "$TMP/empty"

# Synthetic hostile traces (tests/trace/mktrace.py): each a clear message.
mk() { python3 "$T/mktrace.py" "$1" "$TMP/h.$1"; }
for k in ok26 ok22; do
	mk $k
	"$CALLVIZ" -pprof=sync -traces "$TMP/h.$k" >"$TMP/out" 2>"$TMP/err"
	grep -q "105ns   runtime.chanrecv1" "$TMP/out" && [ ! -s "$TMP/err" ] && ok ||
		bad "synthetic trace $k: $(cat "$TMP/out" "$TMP/err")"
done
mk out-of-order
expect 1 "^callviz: $TMP/h.out-of-order: offset [0-9]+: generations out of order$" -- -pprof=sync -top "$TMP/h.out-of-order"
mk interleaved
expect 1 "offset [0-9]+: broken trace: missing end-of-generation event, or generations are interleaved$" -- -pprof=sync -top "$TMP/h.interleaved"
mk huge-stack
expect 1 "offset [0-9]+: invalid stack size 200, maximum is 128$" -- -pprof=sync -top "$TMP/h.huge-stack"
mk absurd-count
expect 1 "offset 21: invalid string size 1152921504606846976, maximum is 1024$" -- -pprof=sync -top "$TMP/h.absurd-count"
mk zero-stack-id
expect 1 "offset [0-9]+: multiple stacks with the same ID: id=0$" -- -pprof=sync -top "$TMP/h.zero-stack-id"
mk truncated
expect 1 "offset [0-9]+: batch cut short: wanted 33 bytes of data" -- -pprof=sync -top "$TMP/h.truncated"
for k in unknown-g unknown-p; do
	mk $k
	"$CALLVIZ" -pprof=sync -top "$TMP/h.$k" >"$TMP/out" 2>"$TMP/err"
	[ $? = 0 ] && grep -q "warning: offset [0-9]*: broken trace: failed to advance" "$TMP/err" && ok ||
		bad "synthetic trace $k: $(cat "$TMP/err")"
done
# A gzip bomb (64 MiB of batches in 70 kB): refused at -max_bytes, in bounded memory.
mk bomb
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f %M -o "$TMP/rss" "$CALLVIZ" -pprof=sync -top -max_bytes=16M "$TMP/h.bomb" >/dev/null 2>"$TMP/err"
	rss=$(tail -1 "$TMP/rss")
else
	"$CALLVIZ" -pprof=sync -top -max_bytes=16M "$TMP/h.bomb" >/dev/null 2>"$TMP/err"
	rss=0
fi
# (41 MB here; the bound leaves room for sanitizer builds.)
grep -q "offset 16777216: trace exceeds -max_bytes" "$TMP/err" && [ "$rss" -lt 300000 ] && ok ||
	bad "bomb: $(cat "$TMP/err"), peak $rss kB"

# A trace cut short: what came before the cut, with a warning naming the offset.
size=$(stat -c %s "$t")
head -c $((size * 2 / 3)) "$t" >"$TMP/cut"
"$CALLVIZ" -pprof=sync -top "$TMP/cut" >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc = 0 ] && grep -q "^callviz: $TMP/cut: warning: offset [0-9]*: .*using the events before it" "$TMP/err" &&
	grep -q "Showing nodes" "$TMP/out"; then ok; else bad "cut trace: exit $rc, $(cat "$TMP/err")"; fi
# Every prefix at 97-byte steps and every tenth of a corrupted copy: no crash.
crashes=0
for ((n = 0; n < size; n += 97)); do
	head -c $n "$t" >"$TMP/pre"
	"$CALLVIZ" -pprof=sched -raw "$TMP/pre" >/dev/null 2>&1
	[ $? -gt 1 ] && crashes=$((crashes + 1)) && echo "crash on a $n-byte prefix" >&2
done
python3 - "$t" "$TMP/flip" <<'PY'
import random, sys
data = bytearray(open(sys.argv[1], "rb").read())
rnd = random.Random(18)
for k in range(40):
    d = bytearray(data)
    for _ in range(1 + k % 5):
        i = rnd.randrange(16, len(d))
        d[i] = rnd.randrange(256)
    open(f"{sys.argv[2]}.{k}", "wb").write(d)
PY
for f in "$TMP"/flip.*; do
	"$CALLVIZ" -pprof=sync -raw "$f" >/dev/null 2>"$TMP/err"
	rc=$?
	[ $rc -gt 1 ] && crashes=$((crashes + 1)) && echo "crash on $f: $(cat "$TMP/err")" >&2
	[ $rc = 1 ] && [ "$(wc -l <"$TMP/err")" -ne 1 ] && crashes=$((crashes + 1)) && echo "not one line: $(cat "$TMP/err")" >&2
done
[ $crashes = 0 ] && ok || bad "$crashes cut or corrupt traces crashed callviz"

finish
