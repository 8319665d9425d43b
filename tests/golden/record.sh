#!/bin/sh
# Record go tool pprof's outputs for the differential suites into
# tests/golden/*.json.xz, with the `go version` that wrote them.
#
#   tests/golden/record.sh [BUILD_DIR]        (default: build)
#
# Run it after adding a fixture or a flag set, or after a change to callviz's
# -proto output (the round trip names callviz's file by its content), then
# check with `ctest --test-dir build -L 'diff|oracle'` and commit the files
# with the Go version in the commit body. Every case is recorded afresh;
# entries no case uses any more are dropped.
set -eu
cd "$(dirname "$0")/../.."
B=${1:-build}
command -v go >/dev/null || { echo "record.sh: go is not installed; the oracle is go tool pprof" >&2; exit 1; }
[ -x "$B/callviz" ] || { echo "record.sh: no $B/callviz; build first" >&2; exit 1; }
# Recorded outputs name this checkout {repo}; a checkout whose path the
# fixtures themselves hold (the one that made them) would turn their file
# names into {repo} too, and every other clone would then differ.
for f in tests/data/*.pb.gz tests/hotspot/data/*.pb.gz; do
	if gzip -dc "$f" 2>/dev/null | grep -aqF "$PWD/"; then
		echo "record.sh: $f names files under $PWD; record from a clone at another path" >&2
		exit 1
	fi
done
go version
python3 tests/diff/run_diff.py --pprof-mode=record --strict --callviz "$B/callviz" --data tests/data | tail -2
python3 tests/diff/run_roundtrip.py --pprof-mode=record --callviz "$B/callviz" --data tests/data | tail -2
python3 tests/hotspot/check_shares.py --pprof-mode=record --callviz "$B/callviz" \
	--patterns "$B/tests/hotspot_patterns" --data tests/data --data tests/hotspot/data | tail -2
ls -l tests/golden/*.json.xz
