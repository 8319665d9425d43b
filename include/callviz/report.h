#ifndef CALLVIZ_REPORT_H
#define CALLVIZ_REPORT_H

#include "common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "graph.h"
#include "hotspot.h"
#include "profile.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Reports on a profile, as go tool pprof prints them.
 *
 * Ownership: the cv_report_* printers write to the caller's stream and
 * keep nothing. cv_report_dot_string's *out is malloc'd: the caller
 * free()s it. cv_report_labels returns a malloc'd array of malloc'd
 * strings, freed with cv_report_labels_free. cv_report_output_unit
 * returns a static string, `requested` or `sample_unit`. The options, and
 * what they point to (hotspots, active filters, label units), are only
 * read during a call. cv_report_trim_paths changes the profile (see profile.h).
 */

/*
 * The options that shape a report, as go tool pprof names them.
 * cv_report_options_init gives pprof's defaults; a zeroed struct is valid
 * too and means sample value 0, no trimming (fractions 0, node_count 0:
 * no limit), the "minimum" unit, no hotspots.
 */
#define CV_REPORT_OPTIONS_VERSION 1
typedef struct cv_report_options {
	unsigned int version;   /* CV_REPORT_OPTIONS_VERSION (see common.h); 0 reads as 1 */
	int sample_index;           /* init: -1, which reports refuse: set it
				       (cv_profile_sample_index) */
	int64_t total;              /* 0: computed from the profile; set it
				       before filtering, as pprof does, so
				       percentages stay relative to all samples */
	cv_granularity granularity;
	bool no_inlines;
	double node_fraction;       /* default 0.005 */
	double edge_fraction;       /* default 0.001 */
	int node_count;             /* -1 = format default (80 for graphs, none
				       for text); 0 = no limit */
	bool cum_sort;
	const char *output_unit;    /* "minimum" unless -unit is given */
	const char *title;          /* NULL: the main mapping's base name */
	const char **active_filters;/* "focus=...", shown in the legend */
	size_t n_active_filters;
	const cv_hotspots *hotspots;/* hotspot classes to mark and sum; NULL
				       (the default): none, as in pprof */
	bool mean;                  /* -mean: values divided by value 0 (counts) */
	double ratio;               /* printed values are multiplied by it
				       (1 / -divide_by); 0 or 1 for none */
	bool drop_negative;         /* -drop_negative */
	bool call_tree;             /* -call_tree: graph outputs become a tree */
	bool compact_labels;        /* -compact_labels: text reports omit the
				       profile's File/Type/Time lines */
	const cv_num_label_unit *num_label_units; /* numeric label units taken
				       before filtering, as pprof does; NULL:
				       computed from the profile as it is */
	size_t n_num_label_units;
	const char *symbol;         /* -peek / -list: which functions (RE2-style regex) */
	const char *source_path;    /* -source_path: ':'-separated directories to look
				       for sources in; NULL or "": the working directory */
	const char *trim_path;      /* -trim_path: ':'-separated path prefixes to strip
				       from source file names before searching */
} cv_report_options;

/* Fill `o` with go tool pprof's defaults and the current version. */
CV_EXTERN void cv_report_options_init(cv_report_options *o);

/*
 * The legend lines pprof prints above a report: File, Build ID, comments,
 * Type, Time, Duration, active filters, "Showing nodes accounting for",
 * "Dropped N nodes", "Dropped N edges", "Showing top N nodes out of M".
 * `full` adds the graph-only lines. Returns a NULL-terminated array of
 * malloc'd strings (free with cv_report_labels_free).
 */
CV_EXTERN char **cv_report_labels(const cv_profile *p, const cv_report_options *o,
			const cv_graph *g, const cv_trim_result *tr,
			int64_t total, const char *output_unit, bool full);
CV_EXTERN void cv_report_labels_free(char **labels);

/* The report total: the sum of absolute sample values (pprof's computeTotal). */
CV_EXTERN int64_t cv_report_total(const cv_profile *p, int sample_index);

/*
 * The same total as `o` values samples: with o->mean, the sum of absolute
 * values divided by the sum of the counts (value 0), as pprof's -mean does.
 */
CV_EXTERN int64_t cv_report_options_total(const cv_profile *p, const cv_report_options *o);

/* Choose pprof's output unit for graph g ("minimum" scaling rule). */
CV_EXTERN const char *cv_report_output_unit(const cv_graph *g, int64_t total,
				  const char *sample_unit, const char *requested);

/* Print the -comments report: all of the profile's comments, one a line. */
CV_EXTERN int cv_report_comments(FILE *out, const cv_profile *p, const cv_report_options *o);

/* Print the -top / -text report. */
CV_EXTERN int cv_report_top(FILE *out, const cv_profile *p, const cv_report_options *o);

/*
 * Print the -hotspots report: each class of o->hotspots with samples, its
 * share of the total (samples with a frame of the class, each counted
 * once) and its heaviest functions by cum (o->node_count of them, else
 * 10). Fails with CV_EINVAL if o->hotspots has no classes.
 */
CV_EXTERN int cv_report_hotspots(FILE *out, const cv_profile *p, const cv_report_options *o);

/*
 * Print the -tags report: per label key, the total of sample values and
 * each label value's share, as pprof's printTags lays it out.
 */
CV_EXTERN int cv_report_tags(FILE *out, const cv_profile *p, const cv_report_options *o);

/* Write the -dot report (graph trimmed with graph defaults). */
CV_EXTERN int cv_report_dot(FILE *out, const cv_profile *p, const cv_report_options *o);

/* Produce the DOT text of the report into a malloc'd string. */
CV_EXTERN int cv_report_dot_string(char **out, size_t *len, const cv_profile *p,
			 const cv_report_options *o);

/*
 * Print the -traces report: every sample with its labels, value and stack
 * (leaf first, inlined frames marked), as pprof's printTraces does.
 */
CV_EXTERN int cv_report_traces(FILE *out, const cv_profile *p, const cv_report_options *o);

/*
 * Print the -tree report: every node of the trimmed graph with its callers
 * above and callees below and their shares. With o->symbol set it is
 * pprof's -peek: only matching nodes, no trimming, and CV_ENOTFOUND when
 * none matches.
 */
CV_EXTERN int cv_report_tree(FILE *out, const cv_profile *p, const cv_report_options *o);

/*
 * Print the -list report: the source of every function matching o->symbol,
 * each line with its flat and cum values, read from the files named in the
 * profile (searched along o->source_path after o->trim_path is applied).
 * A function whose file cannot be read gets a one-line error in its place.
 * CV_ENOTFOUND when no function matches.
 */
CV_EXTERN int cv_report_list(FILE *out, const cv_profile *p, const cv_report_options *o);

/*
 * The same listing as an HTML fragment for a page, as pprof's source view
 * shows it: newlines kept in a <pre>; a function whose file cannot be read
 * lists every sampled line with its flat and cum values and "???" as its
 * text; above it, once, a note naming the files not found and the
 * -source_path and -trim_path options that find them.
 */
CV_EXTERN int cv_report_source_html(FILE *out, const cv_profile *p, const cv_report_options *o);

/*
 * Rewrite the profile's function file names as pprof's graph reports see
 * them: without -trim_path prefixes (or a prefix guessed from source_path's
 * directory names when no trim path is given) and "/proc/self/cwd/".
 */
CV_EXTERN int cv_report_trim_paths(cv_profile *p, const char *trim_path, const char *source_path);

/* Print the -callgrind report (callgrind_annotate / KCachegrind input). */
CV_EXTERN int cv_report_callgrind(FILE *out, const cv_profile *p, const cv_report_options *o);

/* Print the -raw report: the profile as text, in pprof's Profile.String layout. */
CV_EXTERN int cv_report_raw(FILE *out, const cv_profile *p, const cv_report_options *o);

/*
 * Print the -folded report: Brendan Gregg's collapsed stacks, one line
 * "root;caller;leaf value" per distinct stack with a positive value,
 * frames named at o->granularity, inlined frames suffixed "_[i]", lines
 * sorted frame by frame. flamegraph.pl reads it; so does callviz.
 */
CV_EXTERN int cv_report_folded(FILE *out, const cv_profile *p, const cv_report_options *o);

/*
 * Write the -flame report (fo->icicle: -icicle), an interactive SVG of the
 * stacks at o->granularity. Unset fields of fo (may be NULL) are filled
 * from the profile and o: title, subtitle, total, units.
 */
struct cv_flame_options;
CV_EXTERN int cv_report_flame(FILE *out, const cv_profile *p, const cv_report_options *o,
		    const struct cv_flame_options *fo);

#ifdef __cplusplus
}
#endif

#endif
