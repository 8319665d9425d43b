#ifndef CALLVIZ_CLI_SHELL_COMPLETE_H
#define CALLVIZ_CLI_SHELL_COMPLETE_H

#include "shell.h"

/* libedit's side of the shell (shell_complete.c): history and completion. */
void shell_complete_begin(shell *sh);
void shell_complete_end(void);

/* One line read with editing; NULL at end of input. Non-blank lines enter the history. */
char *shell_edit_line(const char *prompt);

#endif
