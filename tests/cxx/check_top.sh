#!/bin/bash
# The C++ program's top table must be callviz -top's (without hotspot
# classes, which the library leaves to the caller) byte for byte.
# Usage: check_top.sh CXX_TOP CALLVIZ PROFILE...
set -euo pipefail
cxx_top=$1 callviz=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for prof in "$@"; do
	"$cxx_top" "$prof" >"$tmp/cxx"
	"$callviz" -top -hotspots=none "$prof" >"$tmp/cli"
	if ! cmp -s "$tmp/cxx" "$tmp/cli"; then
		echo "FAIL: $prof: the C++ program's table differs from callviz -top's" >&2
		diff "$tmp/cli" "$tmp/cxx" >&2 || true
		exit 1
	fi
	echo "ok: $prof ($(wc -l <"$tmp/cxx") lines)"
done
