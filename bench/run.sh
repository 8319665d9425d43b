#!/bin/bash
# Side-by-side benchmark of callviz and go tool pprof; writes BENCHMARKS.md.
#
#   bench/run.sh [BUILD_DIR]        (default build-bench, configured Release)
#
# Environment: CALLVIZ (the binary, $BUILD/callviz), SIZES ("10000 100000 1000000"), RUNS (callviz runs per case, 5),
# PPROF_RUNS (3), PPROF_RUNS_BIG (pprof runs at 10^6 samples, 1), OUT
# (BENCHMARKS.md at the repository root), WORK (bench/out).
# PARTS ("samples sources"): which tables to measure; a part left out keeps
# its table from the previous BENCHMARKS.md. The many-sources part:
# SOURCES ("300 3000 10000" sources), SOURCE_SETS ("copies hosts": copies
# of examples/cpu.pb.gz, -top and -svg; profiles of 100 samples from
# genprofile's hosts, -top),
# SOURCE_RUNS (callviz runs, 3), SOURCE_PPROF_RUNS (1), PPROF_SVG_MAX (pprof
# -svg only up to this many sources, 3000), COPIES_MAX (copies only up to
# this many, 3000), BATCH (sources for the batch and -base rows, 1000; 0
# for none).
# Times are wall-clock medians; peak RSS is the largest of the runs' maximum
# resident set sizes (bench/measure times each run and reads its rusage).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build-bench}
SIZES=${SIZES:-"10000 100000 1000000"}
RUNS=${RUNS:-5}
PPROF_RUNS=${PPROF_RUNS:-3}
PPROF_RUNS_BIG=${PPROF_RUNS_BIG:-1}
PARTS=${PARTS:-"samples sources"}
SOURCES=${SOURCES:-"300 3000 10000"}
SOURCE_SETS=${SOURCE_SETS:-"copies hosts"}
SOURCE_RUNS=${SOURCE_RUNS:-3}
SOURCE_PPROF_RUNS=${SOURCE_PPROF_RUNS:-1}
PPROF_SVG_MAX=${PPROF_SVG_MAX:-3000}
COPIES_MAX=${COPIES_MAX:-3000}
BATCH=${BATCH:-1000}
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

has_part() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

# The part of the previous BENCHMARKS.md between two marker lines.
MARK_SOURCES='<!-- many sources: bench/run.sh writes from here -->'
MARK_SOURCES_END='<!-- many sources: end -->'
old_part() { [ -f "$OUT" ] && awk -v a="$1" -v b="$2" '$0 == a {k = 1} k; $0 == b {k = 0}' "$OUT"; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=""
FLOOR_ROWS=""
has_part samples || SIZES=""
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

# ---- many sources: one command line over N profiles ----
# The source files of a set, N of them, made once in $WORK/SET/.
source_files() {
	local set=$1 n=$2 i have
	mkdir -p "$WORK/$set"
	have=$(find "$WORK/$set" -name '*.pb.gz' | wc -l)
	if [ "$have" -lt "$n" ]; then
		if [ "$set" = copies ]; then
			for ((i = 1; i <= n; i++)); do
				[ -s "$WORK/copies/c$i.pb.gz" ] || cp "$ROOT/examples/cpu.pb.gz" "$WORK/copies/c$i.pb.gz"
			done
		else
			"$BUILD/bench/genprofile" 100 "$WORK/hosts/h%u.pb.gz" 20260527 "1-$n"
		fi
	fi
	local p=c
	[ "$set" = hosts ] && p=h
	for ((i = 1; i <= n; i++)); do echo "$WORK/$set/$p$i.pb.gz"; done
}

SRC_ROWS=""
EXTRA_ROWS=""
if has_part sources; then
	for set in $SOURCE_SETS; do
		for n in $SOURCES; do
			[ "$set" = copies ] && [ "$n" -gt "$COPIES_MAX" ] && continue
			mapfile -t files < <(source_files "$set" "$n")
			one=${files[0]}
			read -r one_t one_c one_m < <(bench "$SOURCE_RUNS" "$CALLVIZ" -top "$one")
			# -svg on copies only: graphviz lays out the hosts' graphs in
			# minutes, in either tool, and would be all that is measured.
			fmts="top svg"
			[ "$set" = hosts ] && fmts=top
			for fmt in $fmts; do
				read -r cv_t cv_c cv_m < <(bench "$SOURCE_RUNS" "$CALLVIZ" -"$fmt" "${files[@]}")
				if [ "$fmt" = svg ] && [ "$n" -gt "$PPROF_SVG_MAX" ]; then
					pp_t=- pp_c=- pp_m=-
				else
					read -r pp_t pp_c pp_m < <(bench "$SOURCE_PPROF_RUNS" "$PPROF" -"$fmt" "${files[@]}")
				fi
				echo "   $set x $n -$fmt: callviz $cv_t s ($cv_c s CPU) $cv_m MB, pprof $pp_t s ($pp_c s CPU) $pp_m MB" >&2
				SRC_ROWS+="| $set | $n | -$fmt | $cv_t s | $cv_c s | $cv_m MB | $pp_t s | $pp_c s | $pp_m MB "
				SRC_ROWS+="| **$(ratio "$pp_t" "$cv_t")×** | **$(ratio "$pp_c" "$cv_c")×** | $(ratio "$pp_m" "$cv_m")× | $one_m MB |"$'\n'
			done
		done
	done
	if [ "$BATCH" -gt 0 ]; then
		mapfile -t files < <(source_files hosts "$BATCH")
		base=${files[0]}
		read -r cv_t cv_c cv_m < <(bench "$SOURCE_RUNS" "$CALLVIZ" -top -base "$base" "${files[@]:1}")
		read -r pp_t pp_c pp_m < <(bench "$SOURCE_PPROF_RUNS" "$PPROF" -top -base "$base" "${files[@]:1}")
		EXTRA_ROWS+="| hosts: -top -base h1 over $((BATCH - 1)) sources | $cv_t s | $cv_c s | $cv_m MB | $pp_t s | $pp_c s | $pp_m MB "
		EXTRA_ROWS+="| **$(ratio "$pp_t" "$cv_t")×** | **$(ratio "$pp_c" "$cv_c")×** |"$'\n'
		rm -rf "$WORK/batch"
		# -dot, not -svg: graphviz lays out one of these graphs in seconds,
		# in either tool, and would be all that is measured.
		read -r cv_t cv_c cv_m < <(bench 1 "$CALLVIZ" batch -formats=top,dot -outdir="$WORK/batch" "${files[@]}")
		# pprof has no batch: one -top and one -dot run per profile, timed
		# on the first 20 profiles and scaled to all of them.
		read -r p1_t p1_c p1_m < <(bench 1 bash -c 'for f in "$@"; do "$0" -top "$f" >/dev/null; "$0" -dot "$f" >/dev/null; done' "$PPROF" "${files[@]:0:20}")
		pp_t=$(awk -v t="$p1_t" -v n="$BATCH" 'BEGIN {printf "%.1f", t * n / 20}')
		pp_c=$(awk -v t="$p1_c" -v n="$BATCH" 'BEGIN {printf "%.1f", t * n / 20}')
		EXTRA_ROWS+="| hosts: batch -formats=top,dot over $BATCH sources (index.html) | $cv_t s | $cv_c s | $cv_m MB | $pp_t s (20 runs x $((BATCH / 20))) | $pp_c s | $p1_m MB "
		EXTRA_ROWS+="| **$(ratio "$pp_t" "$cv_t")×** | **$(ratio "$pp_c" "$cv_c")×** |"$'\n'
	fi
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
MEM=$(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
# The analysis written by hand below this marker survives a new run.
MARKER='<!-- Written by hand from the run above; bench/run.sh does not write the sections below. -->'
HAND=
[ -f "$OUT" ] && HAND=$(awk -v m="$MARKER" '$0 == m {keep = 1} keep' "$OUT")
COMMAND="RUNS=$RUNS PPROF_RUNS=$PPROF_RUNS PPROF_RUNS_BIG=$PPROF_RUNS_BIG bench/run.sh ${1:-}"
# What a part left out keeps from the previous file: the samples part is
# everything before the many-sources table (or the hand-written sections).
OLD_HEAD=
[ -f "$OUT" ] && OLD_HEAD=$(awk -v a="$MARK_SOURCES" -v b="$MARKER" '$0 == a || $0 == b {exit} {print}' "$OUT")
OLD_SOURCES=$(old_part "$MARK_SOURCES" "$MARK_SOURCES_END" || true)
NEW=$OUT.new
if ! has_part samples; then
	printf '%s\n\n' "$OLD_HEAD" >"$NEW"
else
cat >"$NEW" <<EOF
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
fi
if ! has_part sources; then
	[ -n "$OLD_SOURCES" ] && printf '%s\n\n' "$OLD_SOURCES" >>"$NEW"
else
	cat >>"$NEW" <<EOF
$MARK_SOURCES
## Many sources

One command line over N profiles, merged as pprof merges them, measured
$(date -u '+%Y-%m-%d %H:%M UTC') at callviz commit $COMMIT, load average
$LOAD_BEFORE before the run, $LOAD_AFTER after. Medians of $SOURCE_RUNS runs for
callviz, $SOURCE_PPROF_RUNS for pprof (one pprof run over thousands of profiles takes
minutes); peak RSS is the largest of the runs. "copies": N copies of
examples/cpu.pb.gz ($(stat -c %s "$ROOT/examples/cpu.pb.gz") bytes, from a Go service); "hosts": N
profiles of one synthetic service on N hosts
(\`genprofile 100 h%u.pb.gz 20260527 1-N\`: the same functions and
locations, other stacks and values, 100 samples and 26 KB each), so the
merged profile grows with N. "one source RSS" is callviz -top's peak RSS
on the first of them alone.

| set | sources | format | callviz wall | callviz CPU | callviz RSS | pprof wall | pprof CPU | pprof RSS | speedup (wall) | speedup (CPU) | RSS ratio | one source RSS |
|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
$SRC_ROWS
| case | callviz wall | callviz CPU | callviz RSS | pprof wall | pprof CPU | pprof RSS | speedup (wall) | speedup (CPU) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
$EXTRA_ROWS
\`\`\`sh
PARTS=sources SOURCE_RUNS=$SOURCE_RUNS SOURCE_PPROF_RUNS=$SOURCE_PPROF_RUNS bench/run.sh ${1:-}   # this part alone
$BUILD/bench/genprofile 100 bench/out/hosts/h%u.pb.gz 20260527 1-10000
$CALLVIZ -top|-svg bench/out/hosts/h{1..N}.pb.gz >out
$PPROF -top|-svg bench/out/hosts/h{1..N}.pb.gz >out
\`\`\`
$MARK_SOURCES_END

EOF
fi
if [ -n "$HAND" ]; then
	printf '%s\n' "$HAND" >>"$NEW"
fi
mv "$NEW" "$OUT"
echo "wrote $OUT" >&2
