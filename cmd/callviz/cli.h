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

/* Write data to path atomically (temp file beside it, then rename). */
int cli_write_file(const char *path, const void *data, size_t len);

#endif
