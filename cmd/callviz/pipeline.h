#ifndef CALLVIZ_CLI_PIPELINE_H
#define CALLVIZ_CLI_PIPELINE_H

#include "callviz/callviz.h"
#include "cli.h"

/*
 * The command line's flags as the library's options. What the flags do
 * to a profile (pprof's rules) is cv_view_new's and cv_load_sources';
 * these only translate, and print what the library says.
 */
void cli_view_options(const cli_options *o, cv_view_options *vo, const char *source);
void cli_load_options(const cli_options *o, cv_load_options *lo);

/* cv_message_fn printing to stderr as go tool pprof and callviz word it. */
void cli_message(void *data, cv_message_kind kind, const char *subject, const char *text);

/*
 * The view o->format needs of p (filtered in place). Prints
 * "callviz: SOURCE: message" on failure and returns EXIT_FAILED; 0 on
 * success. Free *v before p.
 */
int cli_prepare(cv_view **v, const cli_options *o, cv_profile *p, const char *source);

/* cli_prepare, then the report o->format names into *data (malloc'd). */
int cli_render(char **data, size_t *len, const cli_options *o, cv_profile *p,
	       const char *source);

#endif
