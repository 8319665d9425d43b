#ifndef CV_REPORT_INTERNAL_H
#define CV_REPORT_INTERNAL_H

#include "callviz/report.h"
#include "graph/class_count.h"
#include "util/task.h"

/* The facts a report is computed from, resolved once per report. */
typedef struct report_ctx {
	const cv_report_options *opts;
	const char *sample_type;   /* "cpu", "alloc_space", ... */
	const char *sample_unit;   /* that type's unit */
	const char *output_unit;   /* chosen after trimming */
	int64_t total;
	bool call_tree;            /* build a call tree (pprof honours -call_tree
				      only for graphs and callgrind: such reports
				      set this from opts before report_graph) */
	char mean_type[128];       /* "mean_" + type, for -mean */
	bool obj_names;            /* keep mapping file names on nodes (pprof
				      does for -list, -callgrind and -raw) */
	bool want_shares;          /* reports that show hotspot shares set this
				      before report_graph, which then has them
				      computed on another thread meanwhile */
	bool shares_done;
	int shares_rc;
	cv_hotspot_share *shares;  /* until report_hotspot_shares takes them */
} report_ctx;

/* Resolve the sample type and total; fails on a bad sample index. */
int report_ctx_init(report_ctx *c, const cv_profile *p, const cv_report_options *o);

/* pprof's rpt.formatValue: the value times -divide_by's ratio, scaled to the output unit. */
char *report_format_value(const report_ctx *c, char *buf, size_t size, int64_t v);

/* v times ratio as pprof applies it: only a positive ratio other than 1. */
int64_t report_apply_ratio(int64_t v, double ratio);

/* pprof's selectOutputUnit: cv_report_output_unit with the -divide_by ratio. */
const char *report_output_unit(const cv_graph *g, int64_t total, const char *sample_unit,
			       const char *requested, double ratio);

/* Graph options and trimmed graph for a report in text or visual mode;
 * the hotspot shares too, on another thread, when c->want_shares. */
int report_graph(cv_graph **g, cv_trim_result *tr, const cv_profile *p,
		 report_ctx *c, bool visual);

/*
 * The start of the -top and -tree reports: c resolved, the graph trimmed
 * for text and the legend printed above the table (without the dropped
 * edges line: text reports do not mention edges). With want_shares, the
 * hotspot shares are computed meanwhile (report_ctx). Free *g after.
 */
int report_text_graph(cv_graph **g, report_ctx *c, FILE *out, const cv_profile *p,
		      const cv_report_options *o, bool want_shares);

/* A node's table columns as -top and -tree print them; sum% is flat_sum's share. */
typedef struct report_row {
	char flat[64], flat_pct[32], sum_pct[32], cum[64], cum_pct[32];
} report_row;

void report_row_format(report_row *r, const report_ctx *c, const cv_node *n,
		       int64_t flat_sum);

/* " (inline)" if every call into n was inlined, " (partial-inline)" if some, else "". */
const char *report_inline_mark(const cv_node *n);

/*
 * c resolved and the profile's stacks at the report's granularity, for
 * the reports drawn from whole stacks (-folded, -flame). Free *st after.
 */
struct cv_stacks;
int report_stacks(struct cv_stacks **st, report_ctx *c, const cv_profile *p,
		  const cv_report_options *o);

char **report_labels(const cv_profile *p, const report_ctx *c, const cv_graph *g,
		     const cv_trim_result *tr, bool full);
char *report_filter_line(const char *filter);

/*
 * Hotspot shares of the (filtered) profile for c's sample index: *out is
 * a malloc'd array, one per class of c->opts->hotspots, or NULL when the
 * report has no hotspot classes.
 */
int report_hotspot_shares(cv_hotspot_share **out, const cv_profile *p, report_ctx *c);

/* The shares on another thread (report_graph's, with c->want_shares):
 * end leaves them in c for report_hotspot_shares. */
typedef struct report_shares_job {
	cv_task task;
	const cv_profile *p;
	const report_ctx *c;
	cv_hotspot_share *out;
	int rc;
} report_shares_job;
void report_shares_begin(report_shares_job *j, const cv_profile *p, const report_ctx *c);
void report_shares_end(report_shares_job *j, report_ctx *c);
/*
 * The shares counted by the graph build itself (class_count.h), where it
 * walks a trie first: the class masks are made on another thread while
 * the trie is built, and the build's walk counts the samples. Begin sets
 * up cc for cv_graph_build_trimmed_counting; end leaves the shares in c
 * when the build counted them (else report_hotspot_shares computes them).
 */
typedef struct report_counting {
	cv_task task;
	bool joined;
	const cv_profile *p;
	const report_ctx *c;
	uint64_t *masks;
	cv_hotspot_share *zero; /* the samples without a value, which no trie holds */
} report_counting;
void report_counting_begin(report_counting *j, cv_class_count *cc, const cv_profile *p,
			   const report_ctx *c);
void report_counting_end(report_counting *j, cv_class_count *cc, report_ctx *c);
/* Drop shares computed for c and never taken (a report failing midway). */
void report_ctx_release(report_ctx *c);

/* "Hotspots: alloc 13.91%, syscall 14.43%" (malloc'd), or NULL if no class has samples. */
char *report_hotspot_line(const cv_hotspots *h, const cv_hotspot_share *s, int64_t total);

/* Print that line for a text report, if it has hotspot classes with samples. */
int report_print_hotspot_line(FILE *out, const cv_profile *p, report_ctx *c);

/*
 * Colour a flame graph's frames by hotspot class: unless the caller set a
 * frame_class hook, frames of class NAME get "hotspot hs-NAME" and a CSS
 * rule fills them with the class colour. Returns the malloc'd stylesheet
 * now in fo->extra_css (free it after rendering), or NULL if none.
 */
struct cv_flame_options;
char *report_flame_hotspots(struct cv_flame_options *fo, const cv_hotspots *h);

/*
 * The -list report as pprof's source view (weblist) has it: a routine
 * whose file cannot be read lists each sampled line, its flat and cum and
 * "???" for text, and sampled lines past a file's end are listed the same
 * way. Then missing(file, why, arg) for each file that could not be read.
 */
typedef void (*report_missing_fn)(const char *file, const char *why, void *arg);
int report_source_view(FILE *out, const cv_profile *p, const cv_report_options *o,
		       report_missing_fn missing, void *arg);

/* pprof's ProfileLabels: File, Build ID, comments, Type, Time, Duration
 * (free with cv_report_labels_free; NULL when out of memory). */
char **report_profile_labels(const cv_profile *p, const report_ctx *c);

#endif
