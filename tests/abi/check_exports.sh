#!/bin/bash
# The ABI of libcallviz.so: the functions it exports must be exactly those
# declared with CV_EXTERN in include/callviz/*.h, every one named cv_*.
# Usage: check_exports.sh LIBCALLVIZ_SO INCLUDE_DIR
set -euo pipefail
so=$1 inc=$2
nm=${NM:-nm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Defined dynamic symbols (functions and data), version suffixes dropped;
# a sanitizer build also exports the hook its runtime looks up
# (__lsan_default_suppressions in lib/render/gvc.c), which is no API.
"$nm" -D --defined-only "$so" | awk 'NF >= 3 {sub(/@.*/, "", $3); print $3}' |
	grep -v '^__lsan_default_suppressions$' | sort -u >"$tmp/exported"
# The declared API: the identifier before the first '(' of each CV_EXTERN line.
grep -h '^CV_EXTERN' "$inc"/callviz/*.h |
	sed -E 's/\(.*//; s/.*[^A-Za-z0-9_]([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*$/\1/' |
	sort -u >"$tmp/declared"

fail=0
n_exported=$(wc -l <"$tmp/exported")
n_declared=$(wc -l <"$tmp/declared")
if [ "$n_exported" -eq 0 ] || [ "$n_declared" -eq 0 ]; then
	echo "FAIL: $n_exported exported, $n_declared declared: nothing to compare" >&2
	exit 1
fi
if grep -v '^cv_' "$tmp/exported" >"$tmp/unprefixed"; then
	echo "FAIL: exported without the cv_ prefix:" >&2
	sed 's/^/  /' "$tmp/unprefixed" >&2
	fail=1
fi
comm -23 "$tmp/exported" "$tmp/declared" >"$tmp/extra"
if [ -s "$tmp/extra" ]; then
	echo "FAIL: exported but not declared with CV_EXTERN in $inc/callviz:" >&2
	sed 's/^/  /' "$tmp/extra" >&2
	fail=1
fi
comm -13 "$tmp/exported" "$tmp/declared" >"$tmp/missing"
if [ -s "$tmp/missing" ]; then
	echo "FAIL: declared with CV_EXTERN but not exported (undefined, or defined without its header):" >&2
	sed 's/^/  /' "$tmp/missing" >&2
	fail=1
fi
# Every public header includes common.h (the macro) and has C++ guards.
for h in "$inc"/callviz/*.h; do
	case $h in */common.h) continue ;; esac
	grep -q '#include "common.h"' "$h" || { echo "FAIL: $h does not include common.h" >&2; fail=1; }
	grep -q 'extern "C"' "$h" || { echo "FAIL: $h has no extern \"C\" guard" >&2; fail=1; }
	if grep -nE '^[a-z].*\(' "$h" | grep -vE ':(typedef|struct|enum)' >"$tmp/bare"; then
		echo "FAIL: $h declares functions without CV_EXTERN:" >&2
		sed 's/^/  /' "$tmp/bare" >&2
		fail=1
	fi
done
[ "$fail" -eq 0 ] && echo "ok: $n_exported symbols exported, all cv_*, all declared with CV_EXTERN"
exit "$fail"
