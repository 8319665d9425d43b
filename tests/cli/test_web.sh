#!/bin/bash
# callviz -http: the web UI over HTTP on a free loopback port. Every view
# and refinement parameter, that refined numbers are the command line's,
# errors (bad regex 400, POST 405, unknown page 404) with the server still
# serving, and a bounded parallel load. The server is always stopped.
. "$(dirname "$0")/lib.sh" "$@"
PROFILE=$DATA/go-cpu.pb.gz
HEAP=$DATA/go-heap.pb.gz
command -v curl >/dev/null || { echo "SKIP: no curl"; exit 77; }

SERVER=
# Stop the server ($SERVER is the `timeout` wrapping it), in bounded time:
# under ASan, LeakSanitizer's exit-time check was once seen to hang in its
# StopTheWorld (tracer waiting on the stopped process, forever), so after
# 20 s the server is killed rather than waited for.
stop_server() {
	[ -n "$SERVER" ] || return 0
	kill "$SERVER" 2>/dev/null
	for _ in $(seq 200); do
		kill -0 "$SERVER" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$SERVER" 2>/dev/null; then
		echo "note: the server did not exit within 20 s of SIGTERM; killed" >&2
		pkill -KILL -P "$SERVER" 2>/dev/null
		kill -KILL "$SERVER" 2>/dev/null
	fi
	wait "$SERVER" 2>/dev/null
	SERVER=
}
trap 'stop_server; rm -rf "$TMP"' EXIT

# start_server ARGS...: run callviz -http=127.0.0.1:0 -no_browser ARGS, wait
# for its URL (serve ARGS... without -no_browser).
start_server() {
	serve -no_browser "$@"
}
serve() {
	# Emptied here, not by the redirection below: that runs in the
	# background, and until it does the last server's URL would be read.
	: >"$TMP/srv.out"
	timeout 120 "$CALLVIZ" -http=127.0.0.1:0 "$@" >"$TMP/srv.out" 2>"$TMP/srv.err" &
	SERVER=$!
	URL=
	for _ in $(seq 100); do
		URL=$(sed -n 's/^Serving web UI on //p' "$TMP/srv.out")
		[ -n "$URL" ] && return 0
		sleep 0.1
	done
	bad "server did not start: $(cat "$TMP/srv.err")"
	return 1
}

# get WANT-STATUS PATH [GREP-REGEX]: GET, check status and (optionally) content.
get() {
	local want=$1 path=$2 pattern=${3:-}
	local got
	got=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' "$URL$path")
	if [ "$got" != "$want" ]; then
		bad "GET $path: status $got, want $want"
	elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$TMP/body"; then
		bad "GET $path: body does not match /$pattern/"
	else
		ok
	fi
}

# The top table's rows as "flat flat% sum% cum cum% name" lines.
web_rows() {
	curl -s -m 20 "$URL$1" | grep '^<tr><td' |
		sed -e 's/<[^>]*>/ /g' -e 's/&amp;/\&/g' -e 's/&lt;/</g' -e 's/&gt;/>/g' \
		    -e 's/&quot;/"/g' -e 's/  */ /g' -e 's/^ //' -e 's/ $//'
}
cli_rows() {
	"$CALLVIZ" -top "$@" | sed -n '/flat%/,$p' | tail -n +2 | sed -e 's/  */ /g' -e 's/^ //' -e 's/ $//'
}
same_rows() {
	local what=$1 path=$2
	shift 2
	web_rows "$path" >"$TMP/web"
	cli_rows "$@" >"$TMP/cli"
	if [ ! -s "$TMP/web" ]; then
		bad "$what: empty web table"
	elif cmp -s "$TMP/web" "$TMP/cli"; then
		ok
	else
		bad "$what: web table differs from callviz -top: $(diff "$TMP/web" "$TMP/cli" | head -5)"
	fi
}

start_server "$PROFILE" || { finish; exit 1; }
[[ $URL == http://127.0.0.1:* ]] && ok || bad "URL $URL is not on loopback"

# Every view, with the shared header.
get 200 / '<svg' && get 200 / 'id="wv-refine"'
get 200 / 'Type: cpu'
get 200 /top 'id="wv-top"'
get 200 /flamegraph 'id="cv-flame"'
get 200 '/peek?sym=main%5C.main' 'main\.main'
get 200 '/source?sym=main%5C.main' 'id="wv-text"'
get 200 /hotspots 'id="wv-text"'
for v in / /top /flamegraph /peek /source /hotspots; do
	get 200 "$v" 'id="wv-view-top"'
done

# Refinements: the web's numbers are exactly callviz -top's.
same_rows "no refinement" /top "$PROFILE"
same_rows "focus" '/top?f=runtime' -focus=runtime "$PROFILE"
same_rows "ignore" '/top?i=runtime' -ignore=runtime "$PROFILE"
same_rows "hide" '/top?h=runtime' -hide=runtime "$PROFILE"
same_rows "show" '/top?s=main' -show=main "$PROFILE"
same_rows "cum sort" '/top?sort=cum' -cum "$PROFILE"
same_rows "focus+ignore" '/top?f=main&i=sha256' -focus=main -ignore=sha256 "$PROFILE"
same_rows "show_from" '/top?sf=main%5C.main' -show_from='main\.main' "$PROFILE"
same_rows "focus+hide+show" '/top?f=main&h=sha256&s=main%7Cruntime' -focus=main -hide=sha256 \
	-show='main|runtime' "$PROFILE"
get 200 '/top?sf=main%5C.main' 'value="main\\\.main"'
same_rows "granularity" '/top?g=lines' -lines "$PROFILE"
same_rows "nodecount" '/top?n=5&g=files' -nodecount=5 -files "$PROFILE"
get 200 '/?g=files' 'selected="selected">files<'
get 400 '/top?g=bytes' 'want functions'
get 400 '/top?n=-1' 'node count'
web_rows /top >"$TMP/all"
web_rows '/top?f=runtime' >"$TMP/focused"
cmp -s "$TMP/all" "$TMP/focused" && bad "focus did not change the table" || ok
web_rows '/top?sort=name' | awk '{print $6}' >"$TMP/names"
LC_ALL=C sort -c "$TMP/names" 2>/dev/null && ok || bad "sort=name is not sorted by name"
get 200 '/top?f=runtime' 'focus=runtime'
get 200 '/?f=runtime' 'value="runtime"'
get 200 '/flamegraph?f=runtime' 'id="cv-flame"'
# Links keep the refinements: the view switcher carries f.
get 200 '/top?f=runtime' 'href="/flamegraph\?f=runtime"'

# Errors: the page says why, the server keeps serving.
get 400 '/top?f=(' 'invalid regex'
get 400 '/?i=a%5B' 'invalid regex'
get 400 '/top?si=nosuch'
get 400 '/top?sort=size'
get 404 /nosuch
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST --data x=1 "$URL/top")
[ "$code" = 405 ] && ok || bad "POST: status $code, want 405"
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X DELETE "$URL/")
[ "$code" = 405 ] && ok || bad "DELETE: status $code, want 405"
code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -I "$URL/top")
[ "$code" = 200 ] && ok || bad "HEAD: status $code, want 200"
# Escaping: a query value never comes back as markup.
get 200 '/top?f=%3Cscript%3Ex' '&lt;script&gt;x'
if grep -q '<script>x' "$TMP/body"; then bad "query value not escaped"; else ok; fi
same_rows "after errors" '/top?f=runtime' -focus=runtime "$PROFILE"

# Parallel load: 48 mixed requests, 8 at a time, all correct.
cli_rows -focus=runtime "$PROFILE" >"$TMP/want-focus"
export URL TMP
seq 48 | xargs -P 8 -I{} bash -c '
	case $(({} % 4)) in
	0) p="/top?f=runtime" ;; 1) p="/" ;; 2) p="/flamegraph?i=sha256" ;; 3) p="/top?f=(" ;;
	esac
	code=$(curl -s -m 60 -o "$TMP/par{}" -w "%{http_code}" "$URL$p")
	echo "$p $code" >"$TMP/code{}"' 
par_bad=0
for n in $(seq 48); do
	read -r p code <"$TMP/code$n" || { par_bad=$((par_bad + 1)); continue; }
	case $p in
	*"f=(") [ "$code" = 400 ] || par_bad=$((par_bad + 1)) ;;
	*) [ "$code" = 200 ] || par_bad=$((par_bad + 1)) ;;
	esac
done
[ "$par_bad" = 0 ] && ok || bad "parallel load: $par_bad requests failed"
same_rows "after load" '/top?f=runtime' -focus=runtime "$PROFILE"
stop_server

# Tag filters: the filters judge them (a bad one is 400).
LABELS=$DATA/synth-labels.pb.gz
start_server "$LABELS" || { finish; exit 1; }
same_rows "tagfocus" '/top?tf=bytes%3D1MB%3A' -tagfocus=bytes=1MB: "$LABELS"
same_rows "tagignore" '/top?ti=bytes%3D1MB%3A' -tagignore=bytes=1MB: "$LABELS"
get 400 '/top?tf=%28' 'invalid regex for tagfocus'
get 200 '/top?tf=bytes%3D1MB%3A' 'value="bytes=1MB:"'
get 200 '/peek?tf=bytes%3D1MB%3A' 'href="/top\?tf=bytes%3D1MB%3A"'
stop_server

# The source view (issue 25): lines stay lines, and where a file is not
# on this machine the sampled lines still show their numbers, as in
# pprof's weblist, under one note naming the files and the options.
SYSCALLS=$DATA/../hotspot/data/go-syscalls-cpu.pb.gz
FIXTURES=$(cd "$DATA/../fixtures" && pwd)
# pre_text PATH: the <pre> of a view, unescaped.
pre_text() {
	curl -s -m 20 "$URL$1" | sed -n '/<pre class="wv" id="wv-text">/,/<\/pre>/p' |
		sed -e 's/^<pre class="wv" id="wv-text">//' -e '/^<\/pre>$/d' \
		    -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e 's/&amp;/\&/g'
}
# sampled: "flat cum line" of each listed line with a value.
sampled() { awk '$3 ~ /^[0-9]+:/ && ($1 != "." || $2 != ".") { sub(/:.*/, "", $3); print $1, $2, $3 }'; }
mkdir -p "$TMP/nowhere"
start_server -source_path="$TMP/nowhere" "$SYSCALLS" || { finish; exit 1; }
get 200 '/source?sym=%5Emain%5C.' 'id="cv-missing"'
grep -q '<code>callviz.test/syscalls/main.go</code>: could not find file' "$TMP/body" && ok ||
	bad "/source: the note does not name main.go"
grep -q -- '-source_path=' "$TMP/body" && grep -q -- '-trim_path=' "$TMP/body" && ok ||
	bad "/source: the note does not say how to point at the sources"
[ "$(grep -n 'id="cv-missing"' "$TMP/body" | cut -d: -f1)" -lt "$(grep -n 'id="wv-text"' "$TMP/body" | cut -d: -f1)" ] &&
	ok || bad "/source: the note is not at the top"
pre_text '/source?sym=%5Emain%5C.' >"$TMP/missing.txt"
[ "$(grep -c '^ROUTINE' "$TMP/missing.txt")" -ge 2 ] && [ "$(grep -c ':???$' "$TMP/missing.txt")" -ge 2 ] &&
	! grep -q 'Error: could not find' "$TMP/missing.txt" && ok ||
	bad "/source: want ROUTINE and NNN:??? lines, one a line: $(head -c 300 "$TMP/missing.txt")"
sampled <"$TMP/missing.txt" >"$TMP/missing.nums"
# The same numbers as the listing with the source found.
"$CALLVIZ" -list='^main\.' -trim_path=callviz.test -source_path="$FIXTURES" "$SYSCALLS" >"$TMP/found.txt" 2>&1
sampled <"$TMP/found.txt" >"$TMP/found.nums"
[ -s "$TMP/found.nums" ] && cmp -s "$TMP/missing.nums" "$TMP/found.nums" && ok ||
	bad "/source: ??? lines differ from -list's: $(diff "$TMP/missing.nums" "$TMP/found.nums" | head -4)"
pre_text /hotspots | grep -q '^syscall: ' && ok || bad "/hotspots: lines run together"
stop_server
# A sampled line far past the file's end is listed alone, not reached by
# walking every line number up to it (curl gives up after 20 s).
python3 "$(dirname "$0")/mkprofile.py" far-lines syscalls/main.go "$TMP/far.pb"
start_server -source_path="$FIXTURES" "$TMP/far.pb" || { finish; exit 1; }
get 200 /source ' 2000000000:\?\?\?'
grep -q '    15:' "$TMP/body" && ok || bad "/source: the file's own lines are missing"
stop_server
start_server -trim_path=callviz.test -source_path="$FIXTURES" "$SYSCALLS" || { finish; exit 1; }
pre_text '/source?sym=%5Emain%5C.' >"$TMP/web.txt"
get 200 '/source?sym=%5Emain%5C.' 'id="wv-text"'
! grep -q 'id="cv-missing"' "$TMP/body" && cmp -s "$TMP/web.txt" "$TMP/found.txt" && ok ||
	bad "/source with the sources found is not -list's text: $(diff "$TMP/web.txt" "$TMP/found.txt" | head -4)"
stop_server

# A heap profile: the sample index selector and si=.
start_server "$HEAP" || { finish; exit 1; }
get 200 /top '<option value="alloc_space"'
same_rows "si=alloc_space" '/top?si=alloc_space' -sample_index=alloc_space "$HEAP"
same_rows "si+focus" '/top?si=alloc_objects&f=main' -sample_index=alloc_objects -focus=main "$HEAP"
get 200 '/top?si=alloc_space' 'selected="selected">alloc_space'
stop_server

# $BROWSER is run with the URL, unless -no_browser.
printf '#!/bin/sh\necho "$1" >"%s"\n' "$TMP/opened" >"$TMP/browser"
chmod +x "$TMP/browser"
BROWSER=$TMP/browser serve "$PROFILE" || { finish; exit 1; }
for _ in $(seq 50); do [ -s "$TMP/opened" ] && break; sleep 0.1; done
[ "$(cat "$TMP/opened" 2>/dev/null)" = "$URL" ] && ok || bad "\$BROWSER not run with $URL"
stop_server
rm -f "$TMP/opened"
BROWSER=$TMP/browser start_server "$PROFILE" || { finish; exit 1; }
get 200 /top 'id="wv-top"'
sleep 0.3
[ -e "$TMP/opened" ] && bad "-no_browser still ran \$BROWSER" || ok
stop_server

# A bad address is a usage error; a host other than loopback is honoured.
expect 2 'want HOST:PORT' -- -http=nocolon "$PROFILE"
expect 2 'bad port' -- -http=:99999 "$PROFILE"
finish
