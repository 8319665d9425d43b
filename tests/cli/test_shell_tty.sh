#!/bin/bash
# The shell on a real terminal, driven through tmux (send-keys, then
# capture-pane): the prompt, tab completion of commands and of function
# names from the profile, history recall with the Up arrow and its file,
# and Ctrl-C at the prompt leaving the shell alone. Every wait is bounded.
. "$(dirname "$0")/lib.sh" "$@"
if ! command -v tmux >/dev/null; then
	echo "tmux not installed (scripts/install-deps.sh installs it): skipped"
	exit 77
fi
if ! ldd "$CALLVIZ" | grep -q libedit; then
	echo "callviz built without libedit: skipped"
	exit 77
fi
CALLVIZ=$(realpath "$CALLVIZ")
CPU=$(realpath "$DATA/go-cpu.pb.gz")
mkdir "$TMP/home" "$TMP/wd"
SERVER=callviz-test-$$
tmx() { tmux -L "$SERVER" -f /dev/null "$@"; }
trap 'tmx kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

tmx new-session -d -x 160 -y 50 -c "$TMP/wd" \
	"env HOME=$TMP/home BROWSER= TERM=xterm $CALLVIZ $CPU; echo SHELL-ENDED; sleep 30"

screen() { tmx capture-pane -p -S -200; }

# wait_for DESC REGEX: up to 20 s for the screen to show a line matching REGEX.
wait_for() {
	local desc=$1 pattern=$2
	if ! tmx has-session 2>/dev/null; then
		bad "$desc: the terminal is gone"
		return 1
	fi
	for _ in $(seq 100); do
		if screen | grep -Eq -- "$pattern"; then
			ok
			return 0
		fi
		sleep 0.2
	done
	bad "$desc: no /$pattern/ on the screen:"
	screen | tail -15 >&2
	return 1
}

# The last prompt line, what the user is typing.
prompt_line() { screen | grep '^(callviz)' | tail -1; }

# wait_line DESC TEXT: the last prompt line becomes exactly "(callviz) TEXT".
wait_line() {
	local desc=$1 want
	want=$(echo "(callviz) $2" | sed 's/ *$//')
	for _ in $(seq 50); do
		[ "$(prompt_line | sed 's/ *$//')" = "$want" ] && { ok; return 0; }
		sleep 0.2
	done
	bad "$desc: prompt line is '$(prompt_line)', want '$want'"
	return 1
}

wait_for "greeting" 'Entering interactive mode'
# pprof's greeting: the profile's header lines first.
screen | grep -qx 'Type: cpu' && screen | grep -q '^Duration: 3.64s, Total samples = 6.13s' &&
	ok || bad "greeting: $(screen | head -5)"
wait_line "the prompt" ""

tmx send-keys 'top 3' Enter
wait_for "top 3" 'Showing top 3 nodes out of'
# Never type ahead of the prompt: keys sent while the shell is still
# printing are echoed by the terminal in cooked mode, before the prompt,
# and the line no longer starts with "(callviz)".
wait_line "prompt after top" ""

# A command name by its prefix; then a function name by its prefix.
tmx send-keys 'opt' Tab
wait_line "command completion" "options"
tmx send-keys C-u
tmx send-keys 'list main.hashW' Tab
wait_line "function completion" "list main.hashWork"
tmx send-keys Enter
wait_for "list" '^ROUTINE =+ main.hashWork in '
wait_line "prompt after list" ""
# pprof's completer: a unique function containing the text.
tmx send-keys 'peek sha256.blo' Tab
wait_line "substring completion" "peek crypto/sha256.block"
tmx send-keys Enter
wait_for "peek" '\| +crypto/sha256.block$'
wait_line "prompt after peek" ""
# After an option's '=', the value completes to a function name.
tmx send-keys 'focus=runtime.mallocg' Tab
wait_line "focus= completion" "focus=runtime.mallocgc"
tmx send-keys C-u

# Up recalls the commands, newest first.
tmx send-keys Up
wait_line "history: Up" "peek crypto/sha256.block"
tmx send-keys Up
wait_line "history: Up Up" "list main.hashWork"
tmx send-keys C-u

# Ctrl-C at the prompt drops the line typed, not the session.
tmx send-keys 'top 9'
wait_line "typed" "top 9"
tmx send-keys C-c
wait_line "Ctrl-C" ""
tmx send-keys 'top 2' Enter
wait_for "after Ctrl-C" 'Showing top 2 nodes out of'
wait_line "prompt after top 2" ""

tmx send-keys 'quit' Enter
wait_for "quit" '^SHELL-ENDED'
# (libedit's file format escapes blanks as \040)
grep -q '^top.040 *3' "$TMP/home/.callviz_history" && grep -q '^list.040main.hashWork' "$TMP/home/.callviz_history" &&
	ok || bad "history file: $(cat "$TMP/home/.callviz_history" 2>&1)"

# A second session recalls the first one's commands.
tmx respawn-window -k -c "$TMP/wd" \
	"env HOME=$TMP/home BROWSER= TERM=xterm $CALLVIZ $CPU; echo SHELL-ENDED; sleep 30"
wait_for "second session" 'Entering interactive mode'
wait_line "the second prompt" ""
tmx send-keys Up
wait_line "history from the file" "quit"
tmx send-keys Up
wait_line "history from the file, Up Up" "top 2"
tmx send-keys C-u quit Enter
wait_for "quit again" '^SHELL-ENDED'

finish
