#!/bin/bash
# Run each libFuzzer harness for a while; fail if any finds a crash, a leak,
# a timeout or runaway memory. Crash inputs are kept under OUT/crashes/.
#
#   fuzz/run.sh [-t SECONDS] [-b BUILD_DIR] [-o OUT_DIR] [HARNESS...]
#
# BUILD_DIR (default build-fuzz) must be configured with
#   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCALLVIZ_FUZZ=ON
# Each harness starts from seeds made from the repository's profiles and
# fuzz/seeds/, plus the corpus its earlier runs grew in OUT/corpus/HARNESS.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

seconds=60
build=build-fuzz
out=
while getopts "t:b:o:h" opt; do
	case $opt in
	t) seconds=$OPTARG ;;
	b) build=$OPTARG ;;
	o) out=$OPTARG ;;
	*) sed -n '2,10p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
out=${out:-$build/fuzz-out}
mkdir -p "$out"
out=$(cd "$out" && pwd)

harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
	for f in "$build"/fuzz/fuzz_*; do
		[ -x "$f" ] && harnesses+=("$(basename "$f")")
	done
fi
[ ${#harnesses[@]} -gt 0 ] || { echo "fuzz: no harnesses in $build/fuzz; build with -DCALLVIZ_FUZZ=ON" >&2; exit 2; }

# Profiles of every kind the repository holds: real, broken, hostile, past crashes.
profile_seeds() {
	find "$root/tests/data" -maxdepth 2 -type f \
		\( -name '*.pb' -o -name '*.pb.gz' -o -name '*.bin' -o -name '*.txt' \
		   -o -name '*.folded' -o -path '*/regress/*' \) -exec cp {} "$1" \;
}

# One seed file per line of fuzz/seeds/NAME.txt (comments skipped); with
# `split`, spaces become the NUL separators of an argv.
line_seeds() {
	local n=0 line
	while IFS= read -r line; do
		case $line in '#'* | '') continue ;; esac
		n=$((n + 1))
		if [ "$2" = split ]; then
			printf '%s' "$line" | tr ' ' '\0' >"$3/seed$n"
		else
			printf '%s' "$line" >"$3/seed$n"
		fi
	done <"$root/fuzz/seeds/$1.txt"
}

# Flag names from the flag table, as a dictionary for fuzz_flags.
flags_dict() {
	grep -o '^	{"[a-z_]*", F_' "$root/cmd/callviz/flags.c" | cut -d'"' -f2 |
		while read -r name; do printf '"-%s"\n"-%s="\n' "$name" "$name"; done >"$1"
}

seed() {
	local h=$1 dir=$2
	rm -rf "$dir"
	mkdir -p "$dir"
	case $h in
	fuzz_profile | fuzz_cli | fuzz_folded | fuzz_merge) profile_seeds "$dir" ;;
	fuzz_regex) line_seeds regex plain "$dir" ;;
	fuzz_flags) line_seeds flags split "$dir" ;;
	esac
	if [ "$h" = fuzz_trace ]; then
		cp "$root"/tests/trace/fixtures/*.trace "$dir/"
		# Prefixes of them, for every cut.
		for t in "$root"/tests/trace/fixtures/*.trace; do
			head -c 4096 "$t" >"$dir/$(basename "$t").4k"
		done
		# Small synthetic ones, each bent in one way.
		for k in ok26 ok22 out-of-order interleaved unknown-g unknown-p zero-stack-id; do
			python3 "$root/tests/trace/mktrace.py" $k "$dir/synthetic-$k"
		done
	fi
	if [ "$h" = fuzz_folded ]; then
		printf 'main;foo;bar 10\nmain;foo 5\nmain;baz_[i] 1\n' >"$dir/folded1"
	fi
}

failed=()
for h in "${harnesses[@]}"; do
	bin=$build/fuzz/$h
	[ -x "$bin" ] || { echo "fuzz: $bin not built" >&2; failed+=("$h"); continue; }
	corpus=$out/corpus/$h
	seeds=$out/seeds/$h
	crashes=$out/crashes/$h
	mkdir -p "$corpus" "$crashes"
	seed "$h" "$seeds"
	extra=()
	case $h in
	fuzz_regex) extra+=(-dict="$root/fuzz/regex.dict" -max_len=512) ;;
	fuzz_flags) flags_dict "$out/flags.dict"; extra+=(-dict="$out/flags.dict" -max_len=1024) ;;
	fuzz_profile | fuzz_cli) extra+=(-dict="$root/fuzz/profile.dict" -max_len=262144) ;;
	*) extra+=(-max_len=262144) ;;
	esac
	before=$(find "$crashes" -type f | wc -l)
	echo "fuzz: $h for ${seconds}s"
	# -timeout: one input may take 10 s at most (a hang is a finding);
	# -rss_limit_mb / -malloc_limit_mb: runaway memory is a finding too.
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-malloc_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "${extra[@]}" "$corpus" "$seeds" \
		>"$out/$h.log" 2>&1
	rc=$?
	after=$(find "$crashes" -type f | wc -l)
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ *DONE)' "$out/$h.log" | tr '\n' ' '
	echo
	if [ $rc -ne 0 ] || [ "$after" -gt "$before" ]; then
		echo "fuzz: $h FAILED (exit $rc); log: $out/$h.log; inputs:" >&2
		find "$crashes" -type f -newer "$seeds" >&2
		grep -E -m3 'ERROR|runtime error|SUMMARY' "$out/$h.log" >&2
		failed+=("$h")
	fi
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: findings in: ${failed[*]}" >&2
	exit 1
fi
echo "fuzz: ${#harnesses[@]} harnesses, ${seconds}s each, nothing found"
