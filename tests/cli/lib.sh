# Shared helpers for the CLI tests: run callviz, check status and messages.
# Usage in a test: . "$(dirname "$0")/lib.sh" "$@"
CALLVIZ=$1
DATA=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# expect STATUS STDERR-REGEX -- ARGS...: run callviz, check its exit status,
# that stderr is one line matching the regex, and that it did not crash.
expect() {
	local want=$1 pattern=$2
	shift 3
	"$CALLVIZ" "$@" >"$TMP/out" 2>"$TMP/err"
	local got=$?
	local lines
	lines=$(wc -l <"$TMP/err")
	if [ "$got" != "$want" ]; then
		bad "callviz $*: exit $got, want $want; stderr: $(cat "$TMP/err")"
	elif ! grep -Eq -- "$pattern" "$TMP/err"; then
		bad "callviz $*: stderr does not match /$pattern/: $(cat "$TMP/err")"
	elif [ "$want" = 1 ] && [ "$lines" -ne 1 ]; then
		bad "callviz $*: want a one-line error, got $lines lines: $(cat "$TMP/err")"
	else
		ok
	fi
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
