#ifndef CALLVIZ_GRAPH_H
#define CALLVIZ_GRAPH_H

#include "common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The weighted call graph built from a profile's samples, trimmed the way
 * go tool pprof trims it. Nodes are functions (the default granularity);
 * edges go caller -> callee.
 *
 * Ownership: cv_graph_build and cv_graph_build_trimmed give the caller a
 * graph, freed with cv_graph_free. Its nodes, edges, tags, names
 * (cv_node_name) and sorted edge arrays (cv_node_sorted_edges) live in
 * the graph's arena and go with it. A graph also points to strings of the
 * profile it was built from (function, file and mapping names): free or
 * change that profile only after freeing the graph. A cv_tag_filter from
 * cv_tag_filter_compile is freed with cv_tag_filter_free and reads the
 * `units` table it was given until then. The filters change the profile
 * in place and hand out nothing.
 */

typedef struct cv_node cv_node;
typedef struct cv_edge cv_edge;

/* What identifies a node; two samples' frames with equal info share a node. */
typedef struct cv_node_info {
	const char *name;       /* function name, "" if unknown */
	const char *orig_name;  /* system (mangled) name when kept, else "" */
	uint64_t address;       /* nonzero only at address granularity */
	const char *file;       /* "" unless the granularity keeps files */
	int64_t start_line;
	int64_t lineno;         /* nonzero only at line granularity */
	const char *objfile;    /* mapping file, when the node has no name */
} cv_node_info;

/* A label box ("nodelet") hanging off a node: a string or numeric tag. */
typedef struct cv_tag {
	const char *name;       /* display text, e.g. "64kB" or "key:value" */
	const char *unit;       /* "" for string tags */
	int64_t value;          /* numeric value (numeric tags only) */
	int64_t flat, flat_div, cum, cum_div;
} cv_tag;

/* A set of numeric tags that share one string-label context. */
typedef struct cv_tag_group {
	const char *labels;     /* the joined string labels, "" if none */
	cv_tag *tags;
	size_t n_tags;
} cv_tag_group;

struct cv_node {
	cv_node_info info;
	int64_t flat, flat_div;
	int64_t cum, cum_div;
	cv_edge **in;           /* incoming edges, unordered */
	size_t n_in;
	cv_edge **out;          /* outgoing edges, unordered */
	size_t n_out;
	cv_tag *label_tags;     /* string-label tags */
	size_t n_label_tags;
	cv_tag_group *numeric_tags; /* numeric tags grouped by string labels */
	size_t n_numeric_tags;
	uint32_t id;            /* position in the graph's node array */
};

struct cv_edge {
	cv_node *src, *dest;
	int64_t weight, weight_div;
	bool residual;          /* crosses one or more dropped nodes */
	bool is_inline;         /* the callee was inlined into the caller */
};

typedef struct cv_graph {
	cv_node **nodes;        /* in report order once sorted */
	size_t n_nodes;
	struct cv_arena *arena;
} cv_graph;

/* What a node stands for: pprof's -functions, -files, -lines, ... */
typedef enum cv_granularity {
	CV_GRAN_FUNCTIONS = 0,
	CV_GRAN_FILEFUNCTIONS,
	CV_GRAN_FILES,
	CV_GRAN_LINES,
	CV_GRAN_ADDRESSES
} cv_granularity;

/* "functions", "filefunctions", "files", "lines", "addresses". */
CV_EXTERN const char *cv_granularity_name(cv_granularity g);

/* The granularity of that name; CV_ENOTFOUND (and cv_error_last) for another. */
CV_EXTERN int cv_granularity_parse(const char *name, cv_granularity *g);

/*
 * How nodes are keyed and valued; pprof's graph.Options. Zeroed: function
 * nodes valued by sample value 0, no mean, units chosen as pprof does.
 */
#define CV_GRAPH_OPTIONS_VERSION 1
typedef struct cv_graph_options {
	unsigned int version;   /* CV_GRAPH_OPTIONS_VERSION (see common.h); 0 reads as 1 */
	cv_granularity granularity;
	bool no_inlines;        /* attribute inlined frames to their caller */
	int sample_index;       /* which of the sample's values to use */
	bool mean;              /* -mean: divide values by value 0 (the
				   sample count), as pprof does */
	const char *tag_unit;   /* unit of the "bytes" numeric label, "" = "bytes" */
	const char *output_unit;/* unit tag names are printed in, "" = "minimum" */
	bool drop_negative;
	bool obj_names;         /* keep mapping file names on nodes */
	bool call_tree;         /* one node per calling context (-call_tree) */
	bool no_tags;           /* leave nodes without label tags: only graph
				   drawings show them (as nodelets), and a
				   text report is faster without */
} cv_graph_options;

/* Fill `o` with the defaults (the zeroed values) and the current version. */
CV_EXTERN void cv_graph_options_init(cv_graph_options *o);

/*
 * How cv_graph_build_trimmed trims. Zeroed: nothing is dropped (fractions
 * 0, no node count); cv_trim_options_init gives pprof's fractions.
 */
#define CV_TRIM_OPTIONS_VERSION 1
typedef struct cv_trim_options {
	unsigned int version;   /* CV_TRIM_OPTIONS_VERSION (see common.h); 0 reads as 1 */
	double node_fraction;   /* init: 0.005 */
	double edge_fraction;   /* init: 0.001 */
	int node_count;         /* 0 = unlimited (init); pprof's graph
				   outputs take 80 */
	bool cum_sort;          /* text outputs: sort by cum */
	bool visual;            /* graph output: entropy order, nodelets count */
} cv_trim_options;

/* Fill `o` with pprof's fractions, no node count, and the current version. */
CV_EXTERN void cv_trim_options_init(cv_trim_options *o);

/* Facts about a trimming, as pprof reports them. */
typedef struct cv_trim_result {
	int orig_count;         /* nodes before the node count limit */
	int dropped_nodes;      /* nodes under the node cutoff */
	int dropped_edges;      /* edges under the edge cutoff */
	int64_t node_cutoff, edge_cutoff;
} cv_trim_result;

/*
 * Build the full graph of a profile. `kept`, if non-NULL, is a graph whose
 * nodes are the only ones to keep (frames of other nodes become residual).
 * With opts->call_tree the result is a forest, one node per calling
 * context, and `kept` is ignored.
 */
CV_EXTERN int cv_graph_build(cv_graph **out, const cv_profile *p,
		   const cv_graph_options *opts, const cv_graph *kept);

/*
 * Build and trim as go tool pprof's report does: drop nodes under
 * nodefraction, order, keep the top nodecount, drop edges under
 * edgefraction, remove redundant residual edges in visual mode. A call
 * tree is trimmed by splicing dropped nodes out instead of rebuilding.
 */
CV_EXTERN int cv_graph_build_trimmed(cv_graph **out, cv_trim_result *res,
			   const cv_profile *p, const cv_graph_options *gopts,
			   const cv_trim_options *topts);

/* Release a graph. NULL is allowed. */
CV_EXTERN void cv_graph_free(cv_graph *g);

/* Sum of flat values and of cum values over the nodes. */
CV_EXTERN void cv_graph_sum(const cv_graph *g, int64_t *flat, int64_t *cum);

/* pprof's Node.FlatValue / CumValue / Edge.WeightValue (mean aware). */
CV_EXTERN int64_t cv_node_flat(const cv_node *n);
CV_EXTERN int64_t cv_node_cum(const cv_node *n);
CV_EXTERN int64_t cv_edge_weight(const cv_edge *e);

/*
 * The printable name of a node: address, function name, file:line or
 * file, or "[objfile]", joined by spaces, as pprof prints it.
 * Returned string lives in the graph's arena.
 */
CV_EXTERN const char *cv_node_name(const cv_graph *g, const cv_node *n);

/*
 * Return n's incoming (dir = 0) or outgoing (dir = 1) edges sorted by
 * weight, heaviest first, ties by source then destination name; the array
 * lives in the graph's arena and has n_in / n_out entries.
 */
CV_EXTERN cv_edge **cv_node_sorted_edges(const cv_graph *g, const cv_node *n, int dir);

/* pprof's ShortenFunctionName: drop package paths and namespaces. */
CV_EXTERN const char *cv_shorten_function_name(const char *name, char *buf, size_t bufsize);

/*
 * Sample filters, applied to the profile in place (pprof's
 * FilterSamplesByName). Zeroed: no filter.
 */
#define CV_FILTER_OPTIONS_VERSION 1
typedef struct cv_filter_options {
	unsigned int version;   /* CV_FILTER_OPTIONS_VERSION (see common.h); 0 reads as 1 */
	const char *focus, *ignore, *hide, *show;  /* RE2-style, NULL if unset */
} cv_filter_options;

/* Fill `o` with no filters and the current version. */
CV_EXTERN void cv_filter_options_init(cv_filter_options *o);

typedef struct cv_filter_result {
	bool focus_matched, ignore_matched, hide_matched, show_matched;
} cv_filter_result;

/*
 * Keep samples with a frame matching focus, drop those with a frame
 * matching ignore, remove frames matching hide, keep only frames matching
 * show. An invalid regex fails with CV_EINVAL naming the option.
 */
CV_EXTERN int cv_filter_samples(cv_profile *p, const cv_filter_options *opts,
		      cv_filter_result *res);

/*
 * pprof's -show_from: cut each stack above its outermost frame matching
 * `pattern` (function name, file name or mapping file), dropping samples
 * with no such frame. *matched tells whether any location matched. An
 * empty or NULL pattern changes nothing.
 */
CV_EXTERN int cv_filter_show_from(cv_profile *p, const char *pattern, bool *matched);

/*
 * pprof's -prune_from: cut each stack below its innermost frame whose
 * function name (without its argument list) matches `pattern`, keeping
 * that frame. An empty or NULL pattern changes nothing.
 */
CV_EXTERN int cv_filter_prune_from(cv_profile *p, const char *pattern);

/* A numeric label range of -tagfocus / -tagignore ("64kb:", ":1mb", ...). */
typedef enum cv_tag_range_kind {
	CV_TAG_RANGE_EQUAL,     /* "N" */
	CV_TAG_RANGE_MIN,       /* "N:", at least N */
	CV_TAG_RANGE_MAX,       /* ":N", at most N */
	CV_TAG_RANGE_BETWEEN    /* "N:M", both included */
} cv_tag_range_kind;

typedef struct cv_tag_range {
	cv_tag_range_kind kind;
	double lo, hi;          /* bounds in `unit` */
	char unit[64];          /* canonical unit of N ("kB", "ms"), its own
				   word if unknown, "" if none */
} cv_tag_range;

/*
 * Read `s` as pprof's parseTagFilterRange does. Returns 1 for a range, 0
 * if s is not one (it is then a list of regexes), or a negative CV_E* code
 * for a number that does not fit in 64 bits.
 */
CV_EXTERN int cv_tag_range_parse(const char *s, cv_tag_range *r);

/* Does a label value in `unit` fall in the range (after unit conversion)? */
CV_EXTERN bool cv_tag_range_match(const cv_tag_range *r, int64_t value, const char *unit);

/* A compiled -tagfocus / -tagignore value. */
typedef struct cv_tag_filter cv_tag_filter;

/*
 * Compile "[key=]value" for option `option` ("tagfocus"): a numeric range
 * (tested against numeric labels in their key's unit from `units`) or
 * comma-separated regexes over string labels. *out is NULL for an empty
 * spec. *is_range (may be NULL) tells which reading was taken, for pprof's
 * "Interpreted ... as range" note. `units` must outlive the filter.
 */
CV_EXTERN int cv_tag_filter_compile(cv_tag_filter **out, const char *option, const char *spec,
			  const cv_num_label_unit *units, size_t n_units, bool *is_range);

/* Does sample s pass the filter's test? */
CV_EXTERN bool cv_tag_filter_match(const cv_tag_filter *f, const cv_sample *s);

/* Release a tag filter. NULL is allowed. */
CV_EXTERN void cv_tag_filter_free(cv_tag_filter *f);

/*
 * pprof's FilterSamplesByTag: keep samples that match focus (if given) and
 * not ignore (if given). *focus_matched / *ignore_matched (may be NULL)
 * tell whether any sample matched each.
 */
CV_EXTERN void cv_filter_samples_by_tag(cv_profile *p, const cv_tag_filter *focus,
			      const cv_tag_filter *ignore, bool *focus_matched,
			      bool *ignore_matched);

/*
 * pprof's FilterTagsByName (-tagshow / -taghide): remove from every sample
 * the labels whose key does not match `show` or matches `hide` (regexes,
 * NULL or empty when unset). The flags tell whether any key matched.
 */
CV_EXTERN int cv_filter_tags_by_name(cv_profile *p, const char *show, const char *hide,
			   bool *show_matched, bool *hide_matched);

/*
 * pprof's -tagroot / -tagleaf: for each comma-separated key, add to every
 * sample a pseudo frame named by its values for that key (numeric values
 * scaled to `output_unit`), with the key as file name; root keys above the
 * stack (the first outermost), leaf keys below it (the last innermost).
 * The flags tell whether any sample had a value for a root / leaf key.
 */
CV_EXTERN int cv_filter_add_label_frames(cv_profile *p, const char *root_keys, const char *leaf_keys,
			       const char *output_unit, bool *root_matched,
			       bool *leaf_matched);

#ifdef __cplusplus
}
#endif

#endif
