#ifndef CALLVIZ_CLI_H
#define CALLVIZ_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Everything the command line can set, filled in by the flag table. */
typedef struct cli_options {
	const char *format;        /* "top", "dot", "svg", ... or NULL */
	const char *output;        /* -output FILE, NULL for stdout */
	int node_count;            /* -1: the format's default */
	double node_fraction, edge_fraction;
	bool cum, flat;
	const char *focus, *ignore, *hide, *show;
	const char *show_from, *prune_from;          /* stack cuts */
	const char *tagfocus, *tagignore, *tagshow, *taghide, *tagroot, *tagleaf;
	const char *sample_index;
	const char *unit;
	const char *title;
	const char *granularity;   /* "functions", "lines", ... */
	bool no_inlines;
	bool trim;
	bool help, version;
	const char *symbolize;     /* accepted for compatibility, unused */
	const char **sources;
	int n_sources;
} cli_options;

/* Exit statuses: 1 for a failed run, 2 for a command line we cannot parse. */
enum { EXIT_FAILED = 1, EXIT_USAGE = 2 };

/*
 * Parse argv with go tool pprof's syntax. On a usage error prints
 * "callviz: message" to stderr and returns EXIT_USAGE; 0 on success.
 */
int cli_parse(cli_options *o, int argc, char **argv);

/* The -h text: every flag with its default and meaning. */
void cli_usage(FILE *out);

/* The output formats the flag table knows, space separated. */
const char *cli_format_list(void);

/*
 * Produce the report named by o->format for profile p, entirely in memory
 * (*out is malloc'd), so a failure never leaves half a report behind.
 */
struct cv_profile;
struct cv_report_options;
int cli_produce(const cli_options *o, const struct cv_profile *p,
		const struct cv_report_options *ro, char **out, size_t *len);

/*
 * Filters (filters.c), in pprof's order. cli_label_units decides numeric
 * label units (warning about keys written in several), cli_add_label_frames
 * applies -tagroot/-tagleaf, cli_apply_focus every sample filter; the
 * "Active filters" legend entries come from cli_active_filters. Each
 * returns 0, or -1 with cv_error_last() set.
 */
struct cv_num_label_unit;
int cli_label_units(struct cv_profile *p, struct cv_num_label_unit **units, size_t *n);
int cli_add_label_frames(const cli_options *o, struct cv_profile *p);
int cli_apply_focus(const cli_options *o, struct cv_profile *p,
		    const struct cv_num_label_unit *units, size_t n_units);
size_t cli_active_filters(const cli_options *o, const char **out, char *store, size_t size);

/*
 * Build o->hotspot_table from -highlight and -hotspots: the -highlight
 * classes first, then the built-in ones (or FILE's, or none). Prints
 * "callviz: SOURCE: message" and returns EXIT_FAILED on a bad regex or
 * file; 0 otherwise. cli_hotspots_release frees the table and the list.
 */
int cli_hotspots_setup(cli_options *o);
void cli_hotspots_release(cli_options *o);

/* Write data to path atomically (temp file beside it, then rename). */
int cli_write_file(const char *path, const void *data, size_t len);

#endif
