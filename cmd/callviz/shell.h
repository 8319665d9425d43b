#ifndef CALLVIZ_CLI_SHELL_H
#define CALLVIZ_CLI_SHELL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "callviz/callviz.h"
#include "cli.h"

/*
 * One interactive session: the profile decoded once, the options as the
 * user set them, and the strings those options point to.
 */
typedef struct shell {
	cli_options o;
	cv_profile *p;             /* never filtered: each command works on a copy */
	char *name;                /* what messages call the source */
	char **owned;              /* option values set in the shell (strdup'd) */
	size_t n_owned;
	const char **functions;    /* function names, sorted, for completion */
	size_t n_functions;
	bool tty;                  /* standard input is a terminal */
} shell;

/* A copy of s that lives as long as the session; NULL when out of memory. */
const char *shell_keep(shell *sh, const char *s);

/*
 * name=value and the option shortcuts (shell_options.c). Returns 1 if
 * `line` was an assignment (done, or its error printed), 0 if it is a
 * command.
 */
int shell_assign(shell *sh, const char *line);

/* Apply NAME=VALUE to o for one command only; 1 if it was one, -1 on error. */
int shell_assign_once(shell *sh, cli_options *o, const char *token);

/* The `options` command: every option with its value, as pprof lists them. */
void shell_print_options(const shell *sh);

/* Option names, for completion and help: NULL-terminated. */
const char *const *shell_option_names(void);
const char *shell_option_help(const char *name);

/* A report command (shell_cmd.c): tokens[0] names it. Errors are printed. */
void shell_command(shell *sh, char **tokens, int n);

/* Command names, for completion and help: NULL-terminated. */
const char *const *shell_command_names(void);

/* `help` and `help NAME` (shell_help.c). */
void shell_help(const char *topic);
void shell_command_help(const char *name);

/* One line of input without its newline (malloc'd), NULL at the end (shell_edit.c). */
char *shell_read_line(shell *sh);
void shell_edit_begin(shell *sh);
void shell_edit_end(shell *sh);

/* Set by Ctrl-C at the prompt (terminals only): the line is dropped. */
extern volatile sig_atomic_t shell_interrupted;

/* Print a one-line error: "callviz: message". */
void shell_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
