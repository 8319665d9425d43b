/*
 * From a loaded profile to a report in memory: the steps every run takes
 * between loading and writing, shared by the one-shot command (main.c) and
 * `callviz batch` (batch.c), so both give the same bytes for the same flags.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"

static int fail(const char *source)
{
	fprintf(stderr, "callviz: %s: %s\n", source, cv_error_last());
	return EXIT_FAILED;
}

static cv_granularity granularity_of(const char *name)
{
	if (!strcmp(name, "filefunctions"))
		return CV_GRAN_FILEFUNCTIONS;
	if (!strcmp(name, "files"))
		return CV_GRAN_FILES;
	if (!strcmp(name, "lines"))
		return CV_GRAN_LINES;
	if (!strcmp(name, "addresses"))
		return CV_GRAN_ADDRESSES;
	return CV_GRAN_FUNCTIONS;
}

static void report_options(const cli_options *o, cv_report_options *ro, int sample_index)
{
	cv_report_options_init(ro);
	ro->sample_index = sample_index;
	ro->node_count = o->node_count;
	ro->node_fraction = o->node_fraction;
	ro->edge_fraction = o->edge_fraction;
	ro->cum_sort = o->cum;
	ro->title = o->title;
	ro->granularity = granularity_of(o->granularity);
	ro->no_inlines = o->no_inlines;
	ro->hotspots = o->hotspot_table;
	ro->mean = o->mean;
	ro->ratio = 1 / o->divide_by;
	ro->drop_negative = o->drop_negative;
	ro->call_tree = o->call_tree;
	ro->compact_labels = o->compact_labels;
	ro->symbol = o->symbol;
	ro->source_path = o->source_path;
	ro->trim_path = o->trim_path;
	if (o->unit)
		ro->output_unit = o->unit;
	if (!o->trim) {
		ro->node_count = 0;
		ro->node_fraction = 0;
		ro->edge_fraction = 0;
	}
}

/* Reports that only add samples up, never print them one by one (as
 * -traces, -raw and -proto do): they may skip folding equal samples. */
static bool sums_samples(const char *format)
{
	return cli_format_trims_paths(format) || !strcmp(format, "flame") ||
	       !strcmp(format, "icicle");
}

/* Compaction, pruning and -add_comment: what pprof does as it loads. */
static int settle(const cli_options *o, cv_profile *p, const char *source)
{
	/* pprof gives a profile without mappings an empty one, then merges every
	 * profile it loads, even one: same samples, same ids. */
	if (cv_profile_ensure_mapping(p) ||
	    (sums_samples(o->format) ? cv_profile_compact_for_sums(p) : cv_profile_compact(p)))
		return -1;
	/* pprof ignores a bad drop_frames/keep_frames regex; say so, go on. */
	if (cv_profile_prune_frames(p))
		fprintf(stderr, "callviz: %s: warning: %s\n", source, cv_error_last());
	/* pprof records -add_comment once the profile is loaded and pruned. */
	if (o->add_comment && o->add_comment[0] && cv_profile_add_comment(p, o->add_comment))
		return -1;
	return 0;
}

int cli_prepare(cli_prepared *pr, const cli_options *o, cv_profile *p, const char *source)
{
	cv_report_options *ro = &pr->ro;
	if (settle(o, p, source))
		return fail(source);
	int si = cv_profile_sample_index(p, o->sample_index);
	if (si < 0)
		return fail(source);
	report_options(o, ro, si);
	/* Label units are read before labels become frames or are filtered. */
	cv_num_label_unit *units;
	size_t n_units;
	if (cli_label_units(p, &units, &n_units) || cli_add_label_frames(o, p))
		return fail(source);
	ro->num_label_units = units;
	ro->n_num_label_units = n_units;
	/* pprof takes the total before filtering: percentages stay of the whole,
	 * unless -relative_percentages asks for them of what the filters keep. */
	if (!o->relative_percentages)
		ro->total = cv_report_options_total(p, ro);
	ro->active_filters = pr->filters;
	ro->n_active_filters = cli_active_filters(o, pr->filters, pr->store, sizeof(pr->store));
	if (cli_apply_focus(o, p, units, n_units))
		return fail(source);
	/* (every sample filter goes above this line) */
	if (o->relative_percentages)
		ro->total = cv_report_options_total(p, ro);
	if (cli_format_trims_paths(o->format) &&
	    cv_report_trim_paths(p, o->trim_path, o->source_path))
		return fail(source);
	return 0;
}

int cli_render(char **data, size_t *len, const cli_options *o, cv_profile *p,
	       const char *source)
{
	cli_prepared pr;
	*data = NULL;
	*len = 0;
	int rc = cli_prepare(&pr, o, p, source);
	if (rc)
		return rc;
	if (cli_produce(o, p, &pr.ro, data, len)) {
		free(*data);
		*data = NULL;
		return fail(source);
	}
	return 0;
}
