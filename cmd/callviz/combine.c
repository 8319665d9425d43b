/*
 * Every source of the command line, with -base / -diff_base: the flags
 * checked, then loaded, merged and compared by cv_load_sources, which
 * has go tool pprof's rules; this file prints what it says.
 */
#include <stdio.h>
#include <stdlib.h>

#include "callviz/callviz.h"
#include "cli.h"
#include "fetching.h"
#include "pipeline.h"

/* The base source, NULL for none; pprof ignores an empty -base=. */
static const char *base_of(const cli_options *o, bool *diff)
{
	*diff = o->diff_base && o->diff_base[0];
	if (*diff)
		return o->diff_base;
	return o->base && o->base[0] ? o->base : NULL;
}

static int check_flags(const cli_options *o)
{
	bool diff;
	const char *base = base_of(o, &diff);
	if (diff && o->base && o->base[0]) {
		fprintf(stderr, "callviz: -base and -diff_base cannot both be given\n");
		return EXIT_USAGE;
	}
	if (o->normalize && !base) {
		fprintf(stderr, "callviz: -normalize needs a base profile (-base or -diff_base)\n");
		return EXIT_USAGE;
	}
	return 0;
}

void cli_load_options(const cli_options *o, cv_load_options *lo)
{
	cv_load_options_init(lo);
	lo->base = base_of(o, &lo->diff_base);
	lo->normalize = o->normalize;
	lo->seconds = o->seconds;
	lo->timeout = o->timeout;
	lo->max_bytes = o->max_bytes;
	lo->pprof = o->pprof;
	lo->message = cli_message;
	lo->progress = cli_fetch_progress;
}

int cli_load_profiles(cv_profile **out, char **name, const cli_options *o)
{
	*out = NULL;
	*name = NULL;
	int rc = check_flags(o);
	if (rc)
		return rc;
	cv_load_options lo;
	cli_load_options(o, &lo);
	if (cv_load_sources(out, name, o->sources, (size_t)o->n_sources, &lo) == 0)
		return 0;
	if (*name)
		fprintf(stderr, "callviz: %s: %s\n", *name, cv_error_last());
	else
		fprintf(stderr, "callviz: %s\n", cv_error_last());
	free(*name);
	*name = NULL;
	return EXIT_FAILED;
}
