#!/usr/bin/env bash
# Regenerates tests/hotspot/data/gperf-libc-cpu.pb.gz: the gperftools C
# workload of tests/fixtures/gperftools (malloc-heavy tree building, write()
# calls, hashing, quicksort), with its libc frames symbolized, so that the
# hotspot classes' C names (malloc, _int_malloc, __libc_write, ...) appear.
# tests/data/gperf-cpu.pb.gz is the same workload with libc left
# unsymbolized on purpose.
#
# go tool pprof symbolizes libc.so.6 only if it finds a file with symbols
# and the same build ID: Debian's libc6-dbg ships it as
# /usr/lib/debug/.build-id/XX/YYYY.debug, which PPROF_BINARY_PATH offers
# under the name libc.so.6. Needs gcc, libgoogle-perftools-dev, libc6-dbg
# and golang-go. Run from anywhere:
#   tests/hotspot/make-gperf-libc.sh [OUT_DIR] [SECONDS]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$here/../fixtures/gperftools
out=${1:-$here/data}
seconds=${2:-3}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

libc=$(gcc -print-file-name=libc.so.6)
libc=$(readlink -f "$libc")
bid=$(readelf -n "$libc" | awk '/Build ID/ {print $3}')
debug=/usr/lib/debug/.build-id/${bid:0:2}/${bid:2}.debug
if [ ! -r "$debug" ]; then
	echo "make-gperf-libc: $debug missing: install libc6-dbg" >&2
	exit 1
fi

cd "$work"
gcc -O2 -g -fno-omit-frame-pointer -fdebug-prefix-map="$(cd "$src" && pwd)"=gperftools \
	-o gperf-workload "$src/workload.c" -Wl,--no-as-needed -lprofiler
CPUPROFILE="$work/gperf.prof" CPUPROFILE_FREQUENCY=200 ./gperf-workload "$seconds" >/dev/null
mkdir symbols
ln -s "$debug" symbols/libc.so.6
PPROF_BINARY_PATH="$work/symbols" HOME="$work" \
	go tool pprof -proto gperf-workload gperf.prof >"$out/gperf-libc-cpu.pb.gz"
echo "wrote $out/gperf-libc-cpu.pb.gz"
