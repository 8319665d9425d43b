/*
 * Reading the shell's lines. On a terminal, with libedit when callviz was
 * built with it: the prompt, history in ~/.callviz_history, and tab
 * completion of commands, options and the profile's function names.
 * Otherwise plain lines from standard input, without a prompt when it is
 * not a terminal, so that a session can be scripted through a pipe.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shell.h"

#ifdef CALLVIZ_HAVE_LIBEDIT
#include "shell_complete.h"
#endif

static const char prompt[] = "(callviz) ";

static char *plain_line(const shell *sh)
{
	if (sh->tty) {
		fputs(prompt, stdout);
		fflush(stdout);
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		if (sh->tty)
			fputc('\n', stdout);
		return NULL;
	}
	if (n > 0 && line[n - 1] == '\n')
		line[n - 1] = '\0';
	return line;
}

#ifdef CALLVIZ_HAVE_LIBEDIT

char *shell_read_line(shell *sh)
{
	if (!sh->tty)
		return plain_line(sh);
	return shell_edit_line(prompt);
}

void shell_edit_begin(shell *sh)
{
	if (sh->tty)
		shell_complete_begin(sh);
}

void shell_edit_end(shell *sh)
{
	if (sh->tty)
		shell_complete_end();
}

#else

char *shell_read_line(shell *sh)
{
	return plain_line(sh);
}

void shell_edit_begin(shell *sh)
{
}

void shell_edit_end(shell *sh)
{
}

#endif
