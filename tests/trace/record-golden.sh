#!/bin/sh
# Record the oracle's output for every committed trace fixture:
#   GO=/path/to/go1.26/bin/go tests/trace/record-golden.sh
# go tool trace -pprof=TYPE writes the profile; go tool pprof reads it
# (-top -nodecount=1000, and -traces with samples sorted, per sample type).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
GO=${GO:?set GO to a Go 1.26 go binary}
export GOTOOLCHAIN=local GOPROXY=off
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$here/golden"
for t in "$here"/fixtures/*.trace "$here"/fixtures-v1/*.trace; do
	b=$(basename "$t" .trace)
	for p in net sync syscall sched; do
		"$GO" tool trace -pprof=$p "$t" > "$tmp/p.pb"
		"$GO" tool pprof -top -nodecount=1000 "$tmp/p.pb" 2>/dev/null |
			grep -v '^File:\|^Type:\|^Time:\|^Build ID:' > "$here/golden/$b.$p.top"
		for si in 0 1; do
			"$GO" tool pprof -traces -sample_index=$si "$tmp/p.pb" 2>/dev/null |
				python3 "$here/norm_traces.py" > "$here/golden/$b.$p.traces$si"
		done
	done
done

# Go's own test traces (go-testdata/, converted by gotest2bin.py): -traces
# of the delay, or "error" where go tool trace makes no profile.
mkdir -p "$here/golden/go-testdata"
for f in "$here"/go-testdata/*.test; do
	b=$(basename "$f" .test)
	python3 "$here/gotest2bin.py" "$f" "$tmp/t.trace" >/dev/null
	for p in net sync syscall sched; do
		if "$GO" tool trace -pprof=$p "$tmp/t.trace" >"$tmp/p.pb" 2>/dev/null && [ -s "$tmp/p.pb" ]; then
			"$GO" tool pprof -traces -sample_index=1 "$tmp/p.pb" 2>/dev/null |
				python3 "$here/norm_traces.py" >"$here/golden/go-testdata/$b.$p"
		else
			echo error >"$here/golden/go-testdata/$b.$p"
		fi
	done
done
