#!/bin/bash
# The interactive shell driven through a pipe: every command and option
# gives the same report as the one-shot command line with the same flags.
# pprof's shell sets compact_labels, so the one-shot side adds
# -compact_labels; its top shows 10 lines unless told otherwise.
. "$(dirname "$0")/lib.sh" "$@"
CPU=$DATA/go-cpu.pb.gz
HEAP=$DATA/go-heap.pb.gz
LABELS=$DATA/synth-labels.pb.gz
CALLVIZ=$(realpath "$CALLVIZ")
CPU=$(realpath "$CPU") HEAP=$(realpath "$HEAP") LABELS=$(realpath "$LABELS")
mkdir "$TMP/wd"
cd "$TMP/wd" || exit 1

# shell PROFILE [FLAGS...] <<< LINES: a session, each bounded in time.
shell() {
	timeout 60 "$CALLVIZ" "$@" >"$TMP/got" 2>"$TMP/err"
}

# same DESC LINES PROFILE -- ONE-SHOT FLAGS: the session's report (LINES
# through a pipe) against `callviz FLAGS -compact_labels PROFILE`.
same() {
	local desc=$1 lines=$2 profile=$3
	shift 4
	timeout 60 "$CALLVIZ" -compact_labels "$@" "$profile" >"$TMP/want" 2>"$TMP/want.err"
	printf '%s\n' "$lines" | shell "$profile"
	if [ $? -ne 0 ]; then
		bad "$desc: the session failed: $(cat "$TMP/err")"
	elif ! cmp -s "$TMP/err" "$TMP/want.err"; then
		bad "$desc: messages differ: $(cat "$TMP/err") / $(cat "$TMP/want.err")"
	elif ! [ -s "$TMP/want" ] || ! cmp -s "$TMP/got" "$TMP/want"; then
		bad "$desc: differs from callviz $*: $(diff "$TMP/got" "$TMP/want" | head -5)"
	else
		ok
	fi
}

# Report commands and their words: count, focus and -ignore regexes, -cum.
same "top" "top" "$CPU" -- -top -nodecount=10
same "top 5" "top 5" "$CPU" -- -top -nodecount=5
same "top5" "top5" "$CPU" -- -top -nodecount=5
same "text 7" "text 7" "$CPU" -- -text -nodecount=7
same "top -cum 4" "top -cum 4" "$CPU" -- -top -cum -nodecount=4
same "top 5 json" "top 5 json" "$CPU" -- -top -nodecount=5 -focus=json
same "top words" "top 6 json Marshal -sha256 -flate" "$CPU" -- -top -nodecount=6 \
	-focus='json|Marshal' -ignore='sha256|flate'
same "top focus=json" "top focus=json" "$CPU" -- -top -nodecount=10 -focus=json
same "top nodecount=3 hide=runtime" "top nodecount=3 hide=runtime" "$CPU" -- -top -nodecount=3 -hide=runtime
same "tree" "tree" "$CPU" -- -tree
same "tree 5 -cum" "tree 5 -cum" "$CPU" -- -tree -nodecount=5 -cum
same "peek" 'peek main\.hashWork$' "$CPU" -- -peek='main\.hashWork$'
same "list" 'list main\.hashWork$' "$CPU" -- -list='main\.hashWork$'
same "list with a focus" 'list mallocgc json' "$CPU" -- -list=mallocgc -focus=json
same "traces" "traces" "$HEAP" -- -traces
same "raw" "raw" "$CPU" -- -raw
"$CALLVIZ" -comments -add_comment='a note' "$CPU" >"$TMP/want"
echo comments | shell -add_comment='a note' "$CPU" && grep -qx 'a note' "$TMP/got" &&
	cmp -s "$TMP/got" "$TMP/want" && ok || bad "comments: $(cat "$TMP/got" "$TMP/err")"
same "tags" "tags" "$LABELS" -- -tags
same "tags with a regex" "tags api -upload" "$LABELS" -- -tags -tagfocus=api -tagignore=upload
same "dot" "dot" "$CPU" -- -dot
same "dot 20" "dot 20" "$CPU" -- -dot -nodecount=20
same "folded" "folded" "$CPU" -- -folded
same "hotspots" "hotspots" "$CPU" -- -hotspots

# Options persist from their assignment on; name= puts the default back.
same "nodecount=3" $'nodecount=3\ntop' "$CPU" -- -top -nodecount=3
same "focus=" $'focus=mallocgc\ntop' "$CPU" -- -top -nodecount=10 -focus=mallocgc
same "focus= resets" $'focus=mallocgc\nfocus=\ntop' "$CPU" -- -top -nodecount=10
same "nodecount= resets" $'nodecount=3\nnodecount=\ntop' "$CPU" -- -top -nodecount=10
same ": clears the filters" $'focus=json\nignore=sha\nhide=runtime\n:\ntop' "$CPU" -- -top -nodecount=10
same "ignore=" $'ignore=sha256\ntop' "$CPU" -- -top -nodecount=10 -ignore=sha256
same "hide=" $'hide=runtime\ntop' "$CPU" -- -top -nodecount=10 -hide=runtime
same "show=" $'show=main\ntop' "$CPU" -- -top -nodecount=10 -show=main
same "show_from=" $'show_from=hashWork\ntop' "$CPU" -- -top -nodecount=10 -show_from=hashWork
same "prune_from=" $'prune_from=mallocgc\ntop' "$CPU" -- -top -nodecount=10 -prune_from=mallocgc
same "cum" $'cum\ntop' "$CPU" -- -top -nodecount=10 -cum
same "sort=cum" $'sort=cum\ntop' "$CPU" -- -top -nodecount=10 -cum
same "sort=flat" $'cum\nsort=flat\ntop' "$CPU" -- -top -nodecount=10
same "granularity=lines" $'granularity=lines\ntop' "$CPU" -- -top -nodecount=10 -lines
same "lines" $'lines\ntop' "$CPU" -- -top -nodecount=10 -lines
same "files" $'files=true\ntop' "$CPU" -- -top -nodecount=10 -files
same "addresses" $'addresses\ntop' "$CPU" -- -top -nodecount=10 -addresses
same "filefunctions" $'filefunctions\ntop' "$CPU" -- -top -nodecount=10 -filefunctions
same "granularity= resets" $'lines\ngranularity=\ntop' "$CPU" -- -top -nodecount=10
same "trim=false" $'trim=false\ntop 5' "$CPU" -- -top -nodecount=5 -trim=false
same "nodefraction=" $'nodefraction=0.1\ntop' "$CPU" -- -top -nodecount=10 -nodefraction=0.1
same "edgefraction=" $'edgefraction=0.1\ndot' "$CPU" -- -dot -edgefraction=0.1
same "unit=" $'unit=s\ntop' "$CPU" -- -top -nodecount=10 -unit=s
same "divide_by=" $'divide_by=2\ntop' "$CPU" -- -top -nodecount=10 -divide_by=2
same "relative_percentages" $'relative_percentages\nfocus=json\ntop' "$CPU" -- -top -nodecount=10 \
	-relative_percentages -focus=json
same "noinlines" $'noinlines\ntop' "$CPU" -- -top -nodecount=10 -noinlines
same "call_tree" $'call_tree=true\ndot' "$CPU" -- -dot -call_tree
same "drop_negative" $'drop_negative\ntop' "$CPU" -- -top -nodecount=10 -drop_negative
same "title=" $'title=hello\ndot' "$CPU" -- -dot -title=hello
same "value with a comment" $'focus = json //: the JSON path\ntop' "$CPU" -- -top -nodecount=10 -focus=json
same "tagfocus=" $'tagfocus=bytes=1kb:\ntop' "$LABELS" -- -top -nodecount=10 -tagfocus=bytes=1kb:
same "tagignore=" $'tagignore=bytes=1kb:\ntop' "$LABELS" -- -top -nodecount=10 -tagignore=bytes=1kb:
same "tagshow=" $'tagshow=bytes\ntags' "$LABELS" -- -tags -tagshow=bytes
same "taghide=" $'taghide=bytes\ntags' "$LABELS" -- -tags -taghide=bytes
same "tagroot=" $'tagroot=bytes\ntop' "$LABELS" -- -top -nodecount=10 -tagroot=bytes
same "tagleaf=" $'tagleaf=bytes\ntop' "$LABELS" -- -top -nodecount=10 -tagleaf=bytes
{ "$CALLVIZ" -top -nodecount=3 -focus=json -compact_labels "$CPU" && "$CALLVIZ" -top -nodecount=10 -compact_labels "$CPU"; } >"$TMP/want"
printf 'top 3 focus=json\ntop\n' | shell "$CPU" && cmp -s "$TMP/got" "$TMP/want" && ok || bad "one-shot options do not persist"
same "compact_labels=false" $'compact_labels=false\ntop' "$CPU" -- -top -nodecount=10 -compact_labels=false

# Sample types: sample_index by name or number, and pprof's shortcuts.
same "sample_index=alloc_space" $'sample_index=alloc_space\ntop' "$HEAP" -- -top -nodecount=10 -sample_index=alloc_space
same "sample_index=1" $'sample_index=1\ntop' "$HEAP" -- -top -nodecount=10 -sample_index=1
same "alloc_space" $'alloc_space\ntop' "$HEAP" -- -top -nodecount=10 -sample_index=alloc_space
same "mean_alloc_space" $'mean_alloc_space\ntop' "$HEAP" -- -top -nodecount=10 -sample_index=alloc_space -mean
same "sample_index= resets" $'alloc_objects\nsample_index=\ntop' "$HEAP" -- -top -nodecount=10
same "mean" $'mean\ntop' "$HEAP" -- -top -nodecount=10 -mean

# Flags given with the profile are the session's starting options.
"$CALLVIZ" -top -nodecount=10 -focus=json -compact_labels "$CPU" >"$TMP/want"
echo top | shell -focus=json "$CPU" && cmp -s "$TMP/got" "$TMP/want" && ok || bad "flags start the session"

# Files: graph and binary formats go to profileNNN.<ext> (the next free
# number) or to > FILE, and say where; the bytes are the one-shot's.
check_file() {
	local desc=$1 file=$2
	shift 2
	"$CALLVIZ" "$@" -compact_labels -o "$TMP/want.bin" "$CPU" 2>/dev/null
	[ -s "$file" ] && cmp -s "$file" "$TMP/want.bin" && ok || bad "$desc: $file differs from callviz $*"
}
printf 'svg > x.svg\n' | shell "$CPU" && grep -qx 'Generating report in x.svg' "$TMP/err" && ok ||
	bad "svg > x.svg: $(cat "$TMP/err")"
check_file "svg > x.svg" x.svg -svg
printf 'svg\nsvg >y.svg\nsvg 10\n' | shell "$CPU"
[ "$(cat "$TMP/err")" = $'Generating report in profile001.svg\nGenerating report in y.svg\nGenerating report in profile002.svg' ] &&
	ok || bad "svg names: $(cat "$TMP/err")"
check_file "svg" profile001.svg -svg
check_file "svg 10" profile002.svg -svg -nodecount=10
printf 'dot > g.dot\ncallgrind > g.out\nproto > g.pb.gz\nflame > f.svg\nicicle > i.svg\ntop > t.txt\n' | shell "$CPU"
check_file "dot > g.dot" g.dot -dot
check_file "callgrind > g.out" g.out -callgrind
check_file "proto > g.pb.gz" g.pb.gz -proto
check_file "flame > f.svg" f.svg -flame
check_file "icicle > i.svg" i.svg -icicle
"$CALLVIZ" -top -nodecount=10 -compact_labels "$CPU" >"$TMP/want"
cmp -s t.txt "$TMP/want" && ok || bad "top > t.txt"
printf 'callgrind\nproto\npdf\npng\nhtml\n' | shell "$CPU"
[ -s profile001.callgraph.out ] && [ -s profile001.pb.gz ] && ok || bad "callgrind, proto: $(cat "$TMP/err")"
head -c 4 profile001.pdf | grep -q '%PDF' && head -c 4 profile001.png | grep -q PNG &&
	grep -q '<html' profile001.html && ok || bad "pdf, png, html: $(ls)"
printf 'output=o.dot\ndot\n' | shell "$CPU"
check_file "output=" o.dot -dot

# web: $BROWSER gets the SVG; without one the path is printed.
printf '#!/bin/sh\necho "$1" >"%s/browsed"\n' "$TMP" >"$TMP/browser" && chmod +x "$TMP/browser"
echo web | BROWSER=$TMP/browser shell "$CPU"
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$TMP/browsed" ] && break; sleep 0.2; done
grep -qx 'profile00[0-9].svg' "$TMP/browsed" && check_file "web" "$(cat "$TMP/browsed")" -svg ||
	bad "web with BROWSER: $(cat "$TMP/err")"
echo web | BROWSER= shell "$CPU" && grep -qx 'profile00[0-9].svg' "$TMP/got" && ok || bad "web without BROWSER: $(cat "$TMP/got")"

# Errors: one line each, and the session goes on to the next command.
errors() {
	local desc=$1 line=$2 pattern=$3 profile=${4:-$CPU}
	printf '%s\ntop 1\n' "$line" | shell "$profile"
	if [ $? -ne 0 ] || [ "$(wc -l <"$TMP/err")" -ne 1 ] || ! grep -Eq -- "$pattern" "$TMP/err"; then
		bad "$desc: $(cat "$TMP/err")"
	elif ! grep -q 'Showing top 1 nodes' "$TMP/got"; then
		bad "$desc: the shell stopped"
	else
		ok
	fi
}
errors "unknown command" "bogus" 'unrecognized command: "bogus"'
errors "list without a regex" "list" "command list requires an argument"
errors "no match" "peek no_such_function" "no matches found for regexp: no_such_function"
errors "bad regex" "list (" "invalid regex"
errors "bad focus" "top focus=(" "focus"
errors "not a number" "nodecount=abc" 'invalid value "abc" for -nodecount'
errors "no value" "nodecount" "please specify a value, e.g. nodecount=<val>"
errors "a fraction" "nodefraction=2" "want a fraction"
errors "bad boolean" "trim=maybe" 'invalid boolean value "maybe"'
errors "bad sample_index" "sample_index=bogus" "bogus" "$HEAP"
errors "bad granularity" "granularity=words" 'invalid "granularity" value "words"'
errors "did you mean" "nodecount 5" "did you mean: nodecount=5"
errors "redirect nowhere" "svg >" "unexpected end of line after >"
errors "zero divisor" "divide_by=0" "zero divisor"
errors "load-time option" "normalize=true" "-normalize"
errors "help for nothing" "help bogus" "Unknown command: bogus"

# options lists every option with its value, sorted, as pprof does.
printf 'nodecount=7\nfocus=json\nalloc_space\nlines\ncum\noptions\n' | shell "$HEAP"
grep -Eq '^  nodecount +  *= 7 ' "$TMP/got" && grep -Eq '^  focus +  *= json ' "$TMP/got" &&
	grep -Eq '^  sample_index +  *= alloc_space +//: \[alloc_objects \| alloc_space \| inuse_objects \| inuse_space\]$' "$TMP/got" &&
	grep -Eq '^  granularity +  *= lines ' "$TMP/got" && grep -Eq '^  sort +  *= cum ' "$TMP/got" &&
	grep -Eq '^  compact_labels +  *= true ' "$TMP/got" && grep -Eq '^  unit +  *= minimum ' "$TMP/got" &&
	sort -c "$TMP/got" && ok || bad "options: $(cat "$TMP/got")"
printf 'o\n' | shell "$CPU" && grep -Eq '^  nodecount +  *= -1 +//: default$' "$TMP/got" && ok || bad "o"

# help: the commands and options; help NAME: one of them.
echo help | shell "$CPU" && grep -q '^    top  ' "$TMP/got" && grep -q '^    peek  ' "$TMP/got" &&
	grep -q '^    nodecount  ' "$TMP/got" && ok || bad "help"
echo 'help top' | shell "$CPU" && grep -q '^    top \[n\]' "$TMP/got" && ok || bad "help top"
echo 'help focus' | shell "$CPU" && grep -q 'matching regexp' "$TMP/got" && ok || bad "help focus"

# quit, exit, q and end of input end the session; later lines are not read.
for q in quit exit q; do
	printf 'top 1\n%s\ntop 2\n' "$q" | shell "$CPU" && [ "$(grep -c '^Showing top' "$TMP/got")" = 1 ] &&
		ok || bad "$q"
done
printf '' | shell "$CPU" && ! [ -s "$TMP/got" ] && ! [ -s "$TMP/err" ] && ok || bad "empty input"
printf 'top 1' | shell "$CPU" && grep -q 'Showing top 1 nodes' "$TMP/got" && ok || bad "a last line without newline"

# Ctrl-C stops the running command, not the shell: `traces` (180 kB) blocks
# on a pipe nobody reads yet; SIGINT goes to the shell and its child, as a
# terminal sends it to the whole process group; the next command runs.
# Nothing here can block for long: the input ends after 4 s.
{ echo traces; sleep 4; echo 'top 1'; } |
	( echo "$BASHPID" >"$TMP/pid"; exec "$CALLVIZ" "$CPU" 2>"$TMP/err" ) |
	{ sleep 3; cat; } >"$TMP/got" &
pipeline=$!
child=
for _ in $(seq 25); do
	[ -s "$TMP/pid" ] && child=$(pgrep -P "$(cat "$TMP/pid")") && break
	sleep 0.1
done
[ -n "$child" ] && kill -INT "$(cat "$TMP/pid")" $child
wait "$pipeline"
[ -n "$child" ] && grep -qx 'callviz: traces: interrupted' "$TMP/err" &&
	grep -q 'Showing top 1 nodes' "$TMP/got" && ok || bad "Ctrl-C: $(cat "$TMP/err")"

# A profile that does not load is the one error, and no shell.
expect 1 "no_such_file" -- "$TMP/no_such_file.pb.gz"

finish
