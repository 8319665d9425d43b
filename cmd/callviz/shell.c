/*
 * `callviz profile.pb.gz` without a format: go tool pprof's interactive
 * shell. The sources are loaded once; each line is an option assignment
 * (shell_options.c), a report command (shell_cmd.c), options, help or
 * quit. An error is one line on stderr and the shell reads on.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell.h"

volatile sig_atomic_t shell_interrupted;

/* No SA_RESTART: the read of the line returns, and shell_edit.c starts afresh. */
static void note_interrupt(int sig)
{
	(void)sig;
	shell_interrupted = 1;
}

const char *shell_keep(shell *sh, const char *s)
{
	char **owned = realloc(sh->owned, (sh->n_owned + 1) * sizeof(*owned));
	if (!owned)
		return NULL;
	sh->owned = owned;
	char *copy = strdup(s);
	if (copy)
		sh->owned[sh->n_owned++] = copy;
	return copy;
}

/* Split on blanks, in place; at most max words. */
static int split_words(char *line, char **words, int max)
{
	int n = 0;
	for (char *w = strtok(line, " \t\r"); w && n < max; w = strtok(NULL, " \t\r"))
		words[n++] = w;
	return n;
}

/* One line; false when the session should end. */
static bool dispatch(shell *sh, const char *line)
{
	if (shell_assign(sh, line))
		return true;
	char *copy = strdup(line);
	char *words[256];
	int n = copy ? split_words(copy, words, 256) : 0;
	bool go_on = true;
	if (n == 0)
		;
	else if (!strcmp(words[0], "o") || !strcmp(words[0], "options"))
		shell_print_options(sh);
	else if (!strcmp(words[0], "q") || !strcmp(words[0], "quit") || !strcmp(words[0], "exit"))
		go_on = false;
	else if (!strcmp(words[0], "help"))
		shell_help(n > 1 ? words[1] : NULL);
	else
		shell_command(sh, words, n);
	free(copy);
	return go_on;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The profile's function names, sorted and unique, for completion. */
static void collect_functions(shell *sh)
{
	const cv_profile *p = sh->p;
	sh->functions = malloc((p->n_functions + 1) * sizeof(*sh->functions));
	if (!sh->functions)
		return;
	size_t n = 0;
	for (size_t i = 0; i < p->n_functions; i++)
		if (p->functions[i].name[0])
			sh->functions[n++] = p->functions[i].name;
	qsort(sh->functions, n, sizeof(*sh->functions), by_text);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || strcmp(sh->functions[k - 1], sh->functions[i]))
			sh->functions[k++] = sh->functions[i];
	sh->n_functions = k;
}

static void shell_free(shell *sh)
{
	for (size_t i = 0; i < sh->n_owned; i++)
		free(sh->owned[i]);
	free(sh->owned);
	free(sh->functions);
	free(sh->name);
	cv_profile_free(sh->p);
}

/* pprof's greeting: the profile's File, Type, Time and Duration lines. */
static void greet(const shell *sh)
{
	cv_report_options ro;
	cv_report_options_init(&ro);
	int si = cv_profile_sample_index(sh->p, sh->o.sample_index);
	if (si >= 0) {
		ro.sample_index = si;
		int64_t total = cv_report_total(sh->p, si);
		cv_graph empty = {0};
		cv_trim_result tr = {0};
		char **labels = cv_report_labels(sh->p, &ro, &empty, &tr, total, "minimum", false);
		/* The graph's own lines start with "Showing nodes": not for a greeting. */
		for (size_t i = 0; labels && labels[i]; i++) {
			if (!strncmp(labels[i], "Showing nodes", 13))
				break;
			fprintf(stderr, "%s\n", labels[i]);
		}
		cv_report_labels_free(labels);
	}
	fprintf(stderr, "Entering interactive mode (type \"help\" for commands, \"o\" for options)\n");
}

int cli_shell(cli_options *o)
{
	shell sh = {.o = *o, .tty = isatty(STDIN_FILENO)};
	int rc = cli_load_profiles(&sh.p, &sh.name, o);
	if (rc) {
		free(sh.name);  /* set even when loading fails */
		return rc;
	}
	/* pprof's shell keeps reports short: no File/Type/Time header. */
	sh.o.compact_labels = true;
	collect_functions(&sh);
	/* On a terminal Ctrl-C stops the running command (shell_cmd.c) or drops
	 * the line being typed, never the session; through a pipe it still ends
	 * a script between commands. */
	if (sh.tty) {
		struct sigaction sa = {.sa_handler = note_interrupt};
		sigaction(SIGINT, &sa, NULL);
	}
	shell_edit_begin(&sh);
	if (sh.tty)
		greet(&sh);
	char *line;
	while ((line = shell_read_line(&sh))) {
		bool go_on = dispatch(&sh, line);
		free(line);
		if (!go_on)
			break;
	}
	shell_edit_end(&sh);
	shell_free(&sh);
	return 0;
}
