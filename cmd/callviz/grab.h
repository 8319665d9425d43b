#ifndef CALLVIZ_CLI_GRAB_H
#define CALLVIZ_CLI_GRAB_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

struct cv_profile;

/* One source to load, and what became of it. */
typedef struct cli_grab {
	const char *source;        /* as given on the command line */
	struct cv_profile *p;      /* the profile, NULL if it failed */
	char *name;                /* malloc'd: the URL fetched or the file name */
	char error[1024];          /* why it failed */
	bool remote;               /* fetched over HTTP (not saved yet) */
} cli_grab;

/*
 * Load every g[i].source at the same time, as go tool pprof does (so that
 * timed profiles from several services cover the same seconds), each with
 * pprof's empty mapping if it has none. Never fails as a whole: each entry
 * says how it went. URL profiles are not saved (cli_source_load_ext).
 */
void cli_grab_all(cli_grab *g, size_t n, const cli_options *o);

/* Release what cli_grab_all left in g[0..n) (profiles not taken, names). */
void cli_grab_free(cli_grab *g, size_t n);

#endif
