#!/bin/sh
# cppcheck over lib/ and cmd/: any warning, performance or portability
# finding fails the test. False positives are suppressed where they are,
# with a comment saying why (/* cppcheck-suppress id */).
# Usage: cppcheck.sh SOURCE_DIR PROTO_DIR (the generated profile.pb-c.h)
set -eu
src=$1
proto=$2
if ! command -v cppcheck >/dev/null 2>&1; then
	echo "cppcheck is not installed (scripts/install-deps.sh installs it): skipped"
	exit 77
fi
cd "$src"
exec cppcheck --error-exitcode=1 --enable=warning,performance,portability \
	--inline-suppr --std=c11 --quiet -j2 \
	-I include -I lib -I "$proto" lib cmd
