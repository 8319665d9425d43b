/*
 * callviz: the command line. Reads its profiles (merged, maybe against a
 * base), filters them, and writes the requested report; each stage is a
 * library call, so this file only wires flags to options and reports
 * errors as "callviz: SOURCE: message".
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/callviz.h"
#include "cli.h"

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

static int emit(const cli_options *o, const char *data, size_t len)
{
	if (o->output)
		return cli_write_file(o->output, data, len);
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
		return cv_error_set(CV_EIO, "writing standard output failed");
	return 0;
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
	ro->symbol = o->symbol;
	ro->source_path = o->source_path;
	ro->trim_path = o->trim_path;
	ro->mean = o->mean;
	ro->ratio = 1 / o->divide_by;
	ro->drop_negative = o->drop_negative;
	ro->call_tree = o->call_tree;
	ro->compact_labels = o->compact_labels;
	if (o->unit)
		ro->output_unit = o->unit;
	if (!o->trim) {
		ro->node_count = 0;
		ro->node_fraction = 0;
		ro->edge_fraction = 0;
	}
}

/* The report from one loaded profile; frees p. */
static int report(const cli_options *o, cv_profile *p, const char *source)
{
	/* pprof merges every profile it loads, even one: same samples, same ids. */
	if (cv_profile_compact(p)) {
		fail(source);
		cv_profile_free(p);
		return EXIT_FAILED;
	}
	/* pprof gives a profile without mappings an empty one as it loads it. */
	if (cv_profile_ensure_mapping(p)) {
		fail(source);
		cv_profile_free(p);
		return EXIT_FAILED;
	}
	/* pprof ignores a bad drop_frames/keep_frames regex; say so, go on. */
	if (cv_profile_prune_frames(p))
		fprintf(stderr, "callviz: %s: warning: %s\n", source, cv_error_last());
	int rc = EXIT_FAILED;
	char *data = NULL;
	size_t len = 0;
	/* pprof records -add_comment once the profile is loaded and pruned. */
	if (o->add_comment && o->add_comment[0] && cv_profile_add_comment(p, o->add_comment))
		goto out;
	int si = cv_profile_sample_index(p, o->sample_index);
	if (si < 0)
		goto out;
	cv_report_options ro;
	report_options(o, &ro, si);
	/* Label units are read before labels become frames or are filtered. */
	cv_num_label_unit *units;
	size_t n_units;
	if (cli_label_units(p, &units, &n_units) || cli_add_label_frames(o, p))
		goto out;
	ro.num_label_units = units;
	ro.n_num_label_units = n_units;
	/* pprof takes the total before filtering: percentages stay of the whole,
	 * unless -relative_percentages asks for them of what the filters keep. */
	if (!o->relative_percentages)
		ro.total = cv_report_options_total(p, &ro);
	const char *filters[16];
	char store[4096];
	ro.active_filters = filters;
	ro.n_active_filters = cli_active_filters(o, filters, store, sizeof(store));
	if (cli_apply_focus(o, p, units, n_units))
		goto out;
	/* (every sample filter goes above this line) */
	if (o->relative_percentages)
		ro.total = cv_report_options_total(p, &ro);
	if (cli_format_trims_paths(o->format) &&
	    cv_report_trim_paths(p, o->trim_path, o->source_path))
		goto out;
	if (cli_produce(o, p, &ro, &data, &len) || emit(o, data, len))
		goto out;
	rc = 0;
out:
	if (rc)
		fail(source);
	free(data);
	cv_profile_free(p);
	return rc;
}

/* Load the sources and bases (cli_load_profiles), then report on them. */
static int run(const cli_options *o)
{
	cv_profile *p;
	char *name = NULL;
	int rc = cli_load_profiles(&p, &name, o);
	if (rc == 0)
		rc = report(o, p, name ? name : o->sources[0]);
	free(name);
	return rc;
}

int main(int argc, char **argv)
{
	/* `callviz fetch ...` only saves an endpoint's body; see fetch_cmd.c. */
	if (argc > 1 && !strcmp(argv[1], "fetch"))
		return cli_fetch_command(argc - 1, argv + 1);
	cli_options o;
	int rc = cli_parse(&o, argc, argv);
	if (rc) {
		free(o.sources);
		cli_hotspots_release(&o);
		return rc;
	}
	if (o.help) {
		cli_usage(stdout);
	} else if (o.version) {
		printf("callviz %s\n", cv_version());
	} else if (!o.format) {
		fprintf(stderr, "callviz: no output format given; choose one of: %s\n"
			"callviz: (an interactive shell is planned; see callviz -h)\n",
			cli_format_list());
		rc = EXIT_USAGE;
	} else if (o.n_sources == 0) {
		fprintf(stderr, "callviz: no profile given\ncallviz: run 'callviz -h' for usage\n");
		rc = EXIT_USAGE;
	} else if ((rc = cli_hotspots_setup(&o)) == 0) {
		rc = run(&o);
	}
	free(o.sources);
	cli_hotspots_release(&o);
	return rc;
}
