/*
 * libedit for the shell: history kept in ~/.callviz_history and tab
 * completion. The first word completes to a command or an option name;
 * after "help" likewise; after '=' of a filter option, and as any later
 * word of a command, to a function name of the profile: names starting
 * with the text, else (as pprof's completer) the one name containing it.
 */
#ifdef CALLVIZ_HAVE_LIBEDIT
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <editline/readline.h>

#include "shell_complete.h"

static shell *session;
static char *history_path;

/* The candidates of one completion, handed out one by one to readline. */
static const char **cands;
static size_t n_cands, next_cand;

static void add_cand(const char *s)
{
	const char **c = realloc(cands, (n_cands + 1) * sizeof(*c));
	if (!c)
		return;
	cands = c;
	cands[n_cands++] = s;
}

static void collect_words(const char *text)
{
	size_t len = strlen(text);
	for (const char *const *n = shell_command_names(); *n; n++)
		if (!strncmp(*n, text, len))
			add_cand(*n);
	for (const char *const *n = shell_option_names(); *n; n++)
		if (!strncmp(*n, text, len))
			add_cand(*n);
	static const char *const builtins[] = {"help", "options", "quit", "exit", NULL};
	for (const char *const *n = builtins; *n; n++)
		if (!strncmp(*n, text, len))
			add_cand(*n);
}

static void collect_functions(const char *text)
{
	const char *prefix = text[0] == '-' ? text + 1 : text;
	size_t len = strlen(prefix);
	for (size_t i = 0; i < session->n_functions; i++)
		if (!strncmp(session->functions[i], prefix, len))
			add_cand(session->functions[i]);
	if (n_cands > 0 || len == 0)
		return;
	/* pprof's completer: a unique function containing the text. */
	const char *found = NULL;
	for (size_t i = 0; i < session->n_functions; i++) {
		if (strstr(session->functions[i], prefix)) {
			if (found)
				return;
			found = session->functions[i];
		}
	}
	if (found)
		add_cand(found);
}

static char *generate(const char *text, int state)
{
	(void)text;
	if (next_cand >= n_cands)
		return NULL;
	const char *c = cands[next_cand++];
	/* An ignore word keeps its '-'. */
	if (text[0] == '-' && c[0] != '-') {
		char *s;
		return asprintf(&s, "-%s", c) < 0 ? NULL : s;
	}
	return strdup(c);
}

/* Whether the word at `start` is the first on the line (after blanks). */
static bool first_word(int start)
{
	for (int i = 0; i < start; i++)
		if (rl_line_buffer[i] != ' ' && rl_line_buffer[i] != '\t')
			return false;
	return true;
}

static char **complete(const char *text, int start, int end)
{
	n_cands = next_cand = 0;
	rl_attempted_completion_over = 1;
	bool after_eq = start > 0 && rl_line_buffer[start - 1] == '=';
	bool help = !strncmp(rl_line_buffer + strspn(rl_line_buffer, " \t"), "help ", 5);
	if (after_eq || !first_word(start)) {
		if (help && !after_eq)
			collect_words(text);
		else
			collect_functions(text);
	} else {
		collect_words(text);
	}
	if (n_cands == 0)
		return NULL;
	return rl_completion_matches(text, generate);
}

void shell_complete_begin(shell *sh)
{
	session = sh;
	rl_readline_name = "callviz";
	/* The shell's own SIGINT handler decides what Ctrl-C does (shell.c). */
	rl_catch_signals = 0;
	rl_attempted_completion_function = complete;
	/* '=' ends a word, so focus=<TAB> completes the value. */
	rl_basic_word_break_characters = " \t\n=";
	using_history();
	stifle_history(1000);
	const char *home = getenv("HOME");
	if (home && *home && asprintf(&history_path, "%s/.callviz_history", home) < 0)
		history_path = NULL;
	if (history_path)
		read_history(history_path);
}

void shell_complete_end(void)
{
	if (history_path)
		write_history(history_path);
	free(history_path);
	history_path = NULL;
	free(cands);
	cands = NULL;
}

char *shell_edit_line(const char *prompt)
{
	for (;;) {
		shell_interrupted = 0;
		char *line = readline(prompt);
		if (line && line[strspn(line, " \t")])
			add_history(line);
		if (line || !shell_interrupted)
			return line;
		/* Ctrl-C: drop what was typed, as other shells do; prompt again. */
		fputc('\n', stdout);
	}
}

#endif
