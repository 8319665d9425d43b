#!/bin/bash
# Every input that ever crashed, hung or tripped a sanitizer (mostly found
# by the fuzzers in fuzz/) is a file in tests/data/regress/. Each goes
# through every report this build has: a clean exit 0 or 1, with a one-line
# error for 1, in bounded time; never a signal.
. "$(dirname "$0")/lib.sh" "$@"

# The formats, from -h (a line per flag), minus those that need an argument
# or read more than the profile; images are covered by one format, svg.
formats=$("$CALLVIZ" -h | sed -n 's/^  -\([a-z]*\)  .*Output.*/\1/p' |
	grep -vxE 'list|peek|pdf|png|gif|ps|web|http' | sort -u)
[ -n "$formats" ] || { echo "no formats found in callviz -h" >&2; exit 1; }

# Flags that took some inputs down paths the defaults do not.
variants=("-divide_by=0.5" "-call_tree" "-lines -noinlines" "-trim=false -cum" "-mean"
	"-nodefraction=1 -edgefraction=1")

n=0
for f in "$DATA"/regress/*; do
	case $f in *.md | *.py | *.sh) continue ;; esac
	n=$((n + 1))
	runs=()
	for fmt in $formats peek=.; do runs+=("-$fmt"); done
	for v in "${variants[@]}"; do runs+=("-top $v" "-dot $v"); done
	for run in "${runs[@]}"; do
		fmt=${run#-}
		# shellcheck disable=SC2086
		timeout -s KILL 60 "$CALLVIZ" $run -output "$TMP/out" "$f" 2>"$TMP/err" >/dev/null
		rc=$?
		if [ $rc -ge 124 ]; then
			bad "$(basename "$f") -$fmt: killed or timed out (exit $rc): $(head -3 "$TMP/err")"
		elif [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
			bad "$(basename "$f") -$fmt: exit $rc: $(head -3 "$TMP/err")"
		elif [ $rc -eq 1 ] && [ "$(wc -l <"$TMP/err")" -ne 1 ]; then
			bad "$(basename "$f") -$fmt: want a one-line error: $(head -3 "$TMP/err")"
		elif grep -q "runtime error\|Sanitizer" "$TMP/err"; then
			bad "$(basename "$f") -$fmt: $(head -3 "$TMP/err")"
		else
			ok
		fi
	done
done
[ "$n" -gt 0 ] && ok || bad "no inputs in $DATA/regress"

finish
