#!/bin/bash
# Side-by-side benchmark of callviz and go tool pprof; writes BENCHMARKS.md.
#
#   bench/run.sh [BUILD_DIR]        (default build-bench, configured Release)
#
# Environment: CALLVIZ (the binary, $BUILD/callviz), SIZES ("10000 100000 1000000"), RUNS (callviz runs per case, 5),
# PPROF_RUNS (3), PPROF_RUNS_BIG (pprof runs at 10^6 samples, 1), OUT
# (BENCHMARKS.md at the repository root), WORK (bench/out).
# Times are wall-clock medians; peak RSS is the largest of the runs' maximum
# resident set sizes (bench/measure times each run and reads its rusage).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build-bench}
SIZES=${SIZES:-"10000 100000 1000000"}
RUNS=${RUNS:-5}
PPROF_RUNS=${PPROF_RUNS:-3}
PPROF_RUNS_BIG=${PPROF_RUNS_BIG:-1}
OUT=${OUT:-$ROOT/BENCHMARKS.md}
WORK=${WORK:-$ROOT/bench/out}
PPROF=$(go env GOTOOLDIR)/pprof
mkdir -p "$WORK"

if [ ! -x "$BUILD/callviz" ] || [ ! -x "$BUILD/bench/genprofile" ] ||
	[ ! -x "$BUILD/bench/measure" ]; then
	cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCALLVIZ_TESTS=OFF >/dev/null
	cmake --build "$BUILD" -j"$(nproc)" >/dev/null
fi
CALLVIZ=${CALLVIZ:-$BUILD/callviz}

# run_one OUTFILE CMD...: one run; prints "wall_us cpu_s peak_kB" of CMD's
# own process (bench/measure: fork to wait4, user + system CPU time, peak
# RSS), with no other program's start-up in the span.
run_one() {
	local out=$1
	shift
	"$BUILD/bench/measure" "$out" "$WORK/stderr.txt" "$@"
}

# bench N CMD...: N runs; prints "median_wall_s median_cpu_s max_peak_MB".
bench() {
	local n=$1
	shift
	local times=() cpus=() rss=0 i w c r
	for ((i = 0; i < n; i++)); do
		read -r w c r < <(run_one "$WORK/last.out" "$@")
		times+=("$w")
		cpus+=("$c")
		[ "$r" -gt "$rss" ] && rss=$r
	done
	local med medc
	med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	medc=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	awk -v us="$med" -v c="$medc" -v kb="$rss" 'BEGIN {printf "%.3f %.2f %.0f\n", us / 1e6, c, kb / 1024}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf (b > 0 ? "%.1f" : "-"), a / b}'; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=""
FLOOR_ROWS=""
for n in $SIZES; do
	f=$WORK/synth-$n.pb.gz
	[ -s "$f" ] || "$BUILD/bench/genprofile" "$n" "$f"
	size_gz=$(stat -c %s "$f")
	size_raw=$("$BUILD/bench/floor" inflate "$f" | cut -d' ' -f1)
	pr=$PPROF_RUNS
	[ "$n" -ge 1000000 ] && pr=$PPROF_RUNS_BIG
	echo "== $n samples: $(ratio "$size_gz" 1048576) MB gzipped" >&2

	read -r inf_t inf_c inf_m < <(bench "$RUNS" "$BUILD/bench/floor" inflate "$f")
	read -r unp_t unp_c unp_m < <(bench "$RUNS" "$BUILD/bench/floor" unpack "$f")
	FLOOR_ROWS+="| $n | $(awk -v b="$size_raw" 'BEGIN {printf "%.1f", b / 1048576}') MB | $inf_t s | $inf_c s | $unp_t s | $unp_c s | $unp_m MB |"$'\n'

	for fmt in top svg flame; do
		read -r cv_t cv_c cv_m < <(bench "$RUNS" "$CALLVIZ" -"$fmt" "$f")
		# pprof has no flame graph on the command line: -flame is set
		# against pprof -svg, the nearest whole-profile picture it draws.
		pfmt=$fmt
		[ "$fmt" = flame ] && pfmt=svg
		if [ "$fmt" = flame ]; then
			pp_t=$pp_svg_t pp_c=$pp_svg_c pp_m=$pp_svg_m
		else
			read -r pp_t pp_c pp_m < <(bench "$pr" "$PPROF" -"$pfmt" "$f")
			[ "$fmt" = svg ] && pp_svg_t=$pp_t pp_svg_c=$pp_c pp_svg_m=$pp_m
		fi
		echo "   -$fmt: callviz $cv_t s ($cv_c s CPU) $cv_m MB, pprof -$pfmt $pp_t s ($pp_c s CPU) $pp_m MB" >&2
		ROWS+="| $n | -$fmt | $cv_t s | $cv_c s | $cv_m MB | -$pfmt | $pp_t s | $pp_c s | $pp_m MB "
		ROWS+="| **$(ratio "$pp_t" "$cv_t")×** | **$(ratio "$pp_c" "$cv_c")×** | $(ratio "$pp_m" "$cv_m")× "
		ROWS+="| $(ratio "$cv_t" "$unp_t")× | $(ratio "$cv_c" "$unp_c")× |"$'\n'
	done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
MEM=$(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
# The analysis written by hand below this marker survives a new run.
MARKER='<!-- Written by hand from the run above; bench/run.sh does not write the sections below. -->'
HAND=
[ -f "$OUT" ] && HAND=$(awk -v m="$MARKER" '$0 == m {keep = 1} keep' "$OUT")
COMMAND="RUNS=$RUNS PPROF_RUNS=$PPROF_RUNS PPROF_RUNS_BIG=$PPROF_RUNS_BIG bench/run.sh ${1:-}"
cat >"$OUT" <<EOF
# Benchmarks

callviz against \`go tool pprof\` on synthetic CPU profiles of 10^4, 10^5
and 10^6 samples, measured side by side in one run of \`bench/run.sh\`.

- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), callviz commit $COMMIT (Release build)
- Machine: $(nproc) CPUs, $CPU, $MEM RAM
- Load average (1, 5, 15 min): $LOAD_BEFORE before the run, $LOAD_AFTER after.
  Other jobs shared the machine: wall-clock times are inflated for both
  tools alike, and the ratios are what to read.
- pprof: $(go version | cut -d' ' -f3) (\`$PPROF\`, the binary
  \`go tool pprof\` runs, called directly to leave out the go command's start-up)

## Results

Medians of $RUNS runs for callviz, of $PPROF_RUNS runs for pprof ($PPROF_RUNS_BIG at
10^6 samples, where one run takes minutes and gigabytes): wall-clock time,
and CPU time (user + system, all threads: pprof's garbage collector runs
in parallel). On a loaded machine CPU time is the steadier measure; both
are given. Peak RSS is the largest maximum resident set size over the runs.
"speedup" is pprof / callviz; "RSS ratio" pprof / callviz; "vs floor" is
callviz / (inflate + protobuf-c unpack of the same file).

| samples | format | callviz wall | callviz CPU | callviz RSS | pprof | pprof wall | pprof CPU | pprof RSS | speedup (wall) | speedup (CPU) | RSS ratio | vs floor (wall) | vs floor (CPU) |
|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|
$ROWS
pprof cannot draw a flame graph from the command line (only its web UI
does), so the \`-flame\` rows set callviz's interactive flame graph SVG
against pprof's \`-svg\` call graph of the same profile: the nearest
whole-profile picture pprof draws, not the same work.

## The floor

What any reader of the same file must pay: zlib inflate alone, and inflate
plus \`protobuf-c\` unpack into its message structs (\`bench/floor\`,
median of $RUNS runs).

| samples | profile.proto | inflate wall | inflate CPU | inflate + unpack wall | inflate + unpack CPU | unpack peak RSS |
|---:|---:|---:|---:|---:|---:|---:|
$FLOOR_ROWS
## Commands

\`\`\`sh
$COMMAND   # this file, in one run
$BUILD/bench/genprofile N bench/out/synth-N.pb.gz   # N samples, fixed seed
$CALLVIZ -top|-svg|-flame bench/out/synth-N.pb.gz >out
$PPROF -top|-svg bench/out/synth-N.pb.gz >out
$BUILD/bench/floor inflate|unpack bench/out/synth-N.pb.gz
$BUILD/bench/measure OUT ERR CMD...          # each run: wall time, CPU time, peak RSS
\`\`\`

The profiles: 4000 Go-like
functions (package paths, methods, closures, runtime), 3 call-site locations
each in one main mapping, one location in six with one or two inlined frames,
stacks 20-60 frames deep from 6000 base call paths drawn with Zipf-like
popularity (exponent 1.05), most samples with a varied leaf tail, a fifth
with two string labels; sample types samples/count and cpu/nanoseconds.
EOF
if [ -n "$HAND" ]; then
	printf '\n%s\n' "$HAND" >>"$OUT"
fi
echo "wrote $OUT" >&2
