#ifndef CALLVIZ_HTML_H
#define CALLVIZ_HTML_H

#include "common.h"

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Self-contained HTML pages: one report for a ticket (-html), a side by
 * side comparison of two reports, and the index of a batch run. Pages load
 * nothing (no network, no other file, except the index's relative links to
 * the renders beside it); every text is HTML-escaped; embedded SVGs are
 * inlined as they are. The same input gives the same bytes.
 *
 * The cv_render_html_* functions lay out what the caller computed; the
 * cv_report_*_html functions compute it from a profile first.
 *
 * Ownership: a page (*out) is malloc'd and the caller's: free() it. The
 * page descriptions and their strings are the caller's, only read during
 * the call.
 */

/* A table of text cells; the writer escapes them. */
typedef struct cv_html_table {
	const char *const *head;    /* n_cols header cells */
	size_t n_cols;
	const char *const *cells;   /* n_rows * n_cols, row by row; NULL cells are empty */
	size_t n_rows;
	unsigned numeric;           /* bit i: column i holds numbers (right-aligned) */
} cv_html_table;

/* One hotspot class's share, as the report shows it. */
typedef struct cv_html_hotspot {
	const char *name, *color;   /* class name, "#rrggbb" */
	const char *value, *percent;/* formatted */
} cv_html_hotspot;

/* What one -html report page shows, top to bottom. */
typedef struct cv_html_report {
	const char *title;          /* page heading and <title> */
	const char *const *legend;  /* pprof's legend lines */
	size_t n_legend;
	const cv_html_hotspot *hotspots; /* classes with samples; NULL: no section */
	size_t n_hotspots;
	cv_html_table top;          /* the -top table */
	const char *graph_svg;      /* the call graph as graphviz wrote it, or NULL */
	const char *flame_svg;      /* cv_render_flame's output, or NULL */
} cv_html_report;

/*
 * Write the report page: legend, hotspot shares, top table, the call graph
 * inline with wheel zoom and drag pan, and the interactive flame graph.
 * *out is malloc'd and NUL-terminated (*len excludes the NUL).
 */
CV_EXTERN int cv_render_html_report(char **out, size_t *len, const cv_html_report *r);

/* Two reports side by side: one table, then the two graphs. */
typedef struct cv_html_compare {
	const char *title;
	const char *name_a, *name_b;        /* what each side is */
	const char *const *legend_a, *const *legend_b;
	size_t n_legend_a, n_legend_b;
	cv_html_table table;                /* functions with both values */
	const char *svg_a, *svg_b;          /* the two call graphs, or NULL */
} cv_html_compare;

/* Write the comparison page (same conventions as cv_render_html_report). */
CV_EXTERN int cv_render_html_compare(char **out, size_t *len, const cv_html_compare *c);

/* A link on the index page to a file beside it. */
typedef struct cv_html_link {
	const char *href;           /* relative path */
	const char *label;          /* link text */
	bool image;                 /* show it inline as <img> (svg, png, gif) */
	bool failed;                /* the render failed: label only, marked */
} cv_html_link;

/* A list of links: one cell of the index table. */
typedef struct cv_html_links {
	const cv_html_link *links;
	size_t n;
} cv_html_links;

/* The index of a batch run: a row per source, a column per sample index. */
typedef struct cv_html_index {
	const char *title;
	const char *const *rows;    /* n_rows row headings (sources) */
	size_t n_rows;
	const char *const *cols;    /* n_cols column headings (sample indexes) */
	size_t n_cols;
	const cv_html_links *cells; /* n_rows * n_cols, row by row */
	cv_html_links extra;        /* links under the table (comparisons) */
} cv_html_index;

/* Write the index page (same conventions as cv_render_html_report). */
CV_EXTERN int cv_render_html_index(char **out, size_t *len, const cv_html_index *ix);

/*
 * The -html report of profile p: the legend, the hotspot shares of
 * o->hotspots, the -top table, the call graph (laid out by graphviz in this
 * process) and the flame graph, as cv_render_html_report writes them.
 */
CV_EXTERN int cv_report_html(FILE *out, const cv_profile *p, const cv_report_options *o);

/* One side of a comparison: a filtered profile, its options and its name. */
typedef struct cv_compare_side {
	const cv_profile *profile;
	const cv_report_options *opts;
	const char *name;           /* "heap.pb.gz inuse_space" */
} cv_compare_side;

/*
 * The comparison page of two reports: their heaviest functions (by flat,
 * or cum with o->cum_sort; o->node_count of them, else 50) with both
 * values and shares, the delta b - a (when the sample units agree) and the
 * change of rank, beside both call graphs.
 */
CV_EXTERN int cv_report_compare_html(FILE *out, const cv_compare_side *a, const cv_compare_side *b);

#ifdef __cplusplus
}
#endif

#endif
