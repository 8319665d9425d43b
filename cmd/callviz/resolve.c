/*
 * Flags that only mean something together, settled once parsing is done,
 * with go tool pprof's rules: a choice (granularity, sort order) given two
 * ways is an error, while the legacy value shortcuts quietly lose to an
 * explicit -sample_index and to each other in a fixed order.
 */
#include <stdio.h>
#include <string.h>

#include "callviz/graph.h"
#include "cli.h"

static int conflict(const char *a, const char *b)
{
	fprintf(stderr, "callviz: conflicting options set: [%s %s]\n"
		"callviz: run 'callviz -h' for usage\n", a, b);
	return EXIT_USAGE;
}

static int resolve_granularity(cli_options *o)
{
	const char *chosen = NULL;
	for (int g = CV_GRAN_FUNCTIONS; g <= CV_GRAN_ADDRESSES; g++) {
		if (!o->gran[g])
			continue;
		if (chosen)
			return conflict(chosen, cv_granularity_name((cv_granularity)g));
		chosen = cv_granularity_name((cv_granularity)g);
	}
	if (chosen)
		o->granularity = chosen;
	return 0;
}

/* pprof's sampleIndex(): the first selection wins, later ones are reported. */
static void pick(cli_options *o, bool flag, const char *type, const char *option)
{
	if (!flag)
		return;
	if (!o->sample_index || !o->sample_index[0])
		o->sample_index = type;
	else
		fprintf(stderr, "Multiple value selections, ignoring %s\n", option);
}

static void resolve_shortcuts(cli_options *o)
{
	pick(o, o->total_delay, "delay", "-total_delay");
	pick(o, o->mean_delay, "delay", "-mean_delay");
	pick(o, o->contentions, "contentions", "-contentions");
	pick(o, o->inuse_space, "inuse_space", "-inuse_space");
	pick(o, o->inuse_objects, "inuse_objects", "-inuse_objects");
	pick(o, o->alloc_space, "alloc_space", "-alloc_space");
	pick(o, o->alloc_objects, "alloc_objects", "-alloc_objects");
	/* -mean_delay averages even when another value was selected. */
	if (o->mean_delay)
		o->mean = true;
}

int cli_resolve(cli_options *o)
{
	int rc = resolve_granularity(o);
	if (rc)
		return rc;
	if (o->cum && o->flat)
		return conflict("cum", "flat");
	resolve_shortcuts(o);
	if (o->divide_by == 0) {
		fprintf(stderr, "callviz: zero divisor specified (-divide_by)\n"
			"callviz: run 'callviz -h' for usage\n");
		return EXIT_USAGE;
	}
	return 0;
}
