#ifndef CALLVIZ_VIEW_H
#define CALLVIZ_VIEW_H

#include "common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "fetch.h"
#include "graph.h"
#include "hotspot.h"
#include "profile.h"
#include "report.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One entry point from sources to any report, with go tool pprof's rules
 * in between: what pprof does to a profile as it loads it (an empty
 * mapping where there is none, merging, pruning, -add_comment), the
 * filters in pprof's order with the total taken before them, and the
 * report's options. The command line, its shell, its web UI and batch all
 * go through here, so an embedder gets the CLI's numbers:
 *
 *   cv_profile *p;
 *   char *name;
 *   const char *src[] = {"cpu.pb.gz"};
 *   if (cv_load_sources(&p, &name, src, 1, NULL) == 0) {
 *           cv_view_options o;
 *           cv_view_options_init(&o);
 *           o.format = "svg";
 *           o.focus = "json";
 *           char *svg;
 *           size_t len;
 *           if (cv_view_report(&svg, &len, p, &o) == 0)
 *                   ...;
 *   }
 *
 * Ownership: a profile or string handed out (*out, *name) belongs to the
 * caller (cv_profile_free, free). A cv_view borrows the profile it was
 * made from, which it has filtered in place: free the view first.
 */

/* What the library tells besides its result, one message at a time. */
typedef enum cv_message_kind {
	CV_MSG_NOTE,     /* go tool pprof's own words, to print as they are
			    ("Focus expression matched no samples") */
	CV_MSG_WARNING,  /* something was ignored or left out; the run goes on */
	CV_MSG_ERROR     /* one source failed; the run goes on without it */
} cv_message_kind;

/*
 * Receives a message: `subject` names what it is about (a source's file
 * name or URL), NULL when nothing in particular. The command line prints
 * notes as they are and the others as "callviz: SUBJECT: [warning: ]TEXT".
 * A NULL callback drops every message.
 */
typedef void (*cv_message_fn)(void *data, cv_message_kind kind, const char *subject,
			      const char *text);

/*
 * Called about once a second while a URL source downloads, with the seconds
 * since it started and the bytes received, and once more when it ends
 * (elapsed < 0). Several sources download at once, on threads of their own.
 */
typedef void (*cv_load_progress_fn)(void *data, const cv_fetch_target *t,
				    double elapsed, uint64_t received);

/*
 * cv_load_options and cv_view_options follow the options rule of
 * common.h with one difference: they must come from their init, as a
 * zeroed struct (version 0) is refused with CV_EINVAL rather than read
 * (a view needs a format and a divisor; loading saves fetched profiles
 * by default).
 */
#define CV_LOAD_OPTIONS_VERSION 1

typedef struct cv_load_options {
	unsigned int version;       /* CV_LOAD_OPTIONS_VERSION */
	const char *base;           /* profile to compare with, NULL for none */
	bool diff_base;             /* base is -diff_base (kept as a reference,
				       percentages of it), not -base */
	bool normalize;             /* scale the sources to the base's total */
	int seconds;                /* URL sources: collect for N seconds */
	int timeout;                /* URL sources: seconds in all; 0 default */
	size_t max_bytes;           /* inflated size cap; 0: 2 GiB */
	bool save_fetched;          /* save what URL sources gave, as pprof
				       does, and note where (default true) */
	cv_message_fn message;
	void *message_data;
	cv_load_progress_fn progress;
	void *progress_data;
	const char *pprof;          /* a Go execution trace's profile: "net",
				       "sync", "syscall" or "sched" (go tool
				       trace -pprof=TYPE); NULL: none */
} cv_load_options;

/* Fill `o` with go tool pprof's defaults. */
CV_EXTERN void cv_load_options_init(cv_load_options *o);

/*
 * Load sources (files, "-" for standard input, URLs by go tool pprof's
 * rules), merge them, and apply the base, as go tool pprof does (URLs all
 * at once; files in order on two threads, each merged and freed as it
 * comes, so memory does not grow with their number): a source that fails is reported (CV_MSG_ERROR) and left out as
 * long as another loads, with a warning "loaded M of N source profiles".
 * o may be NULL for the defaults. On success *out is the profile and
 * *name what messages should call it (the first source that loaded). On
 * failure the error is in cv_error_last() and *name, when not NULL, is
 * the source it is about. Both are the caller's to free.
 */
CV_EXTERN int cv_load_sources(cv_profile **out, char **name, const char *const *sources, size_t n,
		    const cv_load_options *o);

/*
 * Fetch a resolved URL source as cv_load_sources does: a body that could
 * not inflate to o->max_bytes or less refused while it arrives, progress
 * sent to o->progress, and hints added to messages a user can act on.
 * For callers that want the body as it is (callviz fetch).
 */
CV_EXTERN int cv_load_fetch(cv_fetch_result *res, const cv_fetch_target *t, const cv_load_options *o);

#define CV_VIEW_OPTIONS_VERSION 1

/* pprof's report flags, with pprof's defaults from cv_view_options_init. */
typedef struct cv_view_options {
	unsigned int version;       /* CV_VIEW_OPTIONS_VERSION */
	const char *format;         /* a report cv_view_format_known knows */
	const char *sample_index;   /* name or 0-based number; NULL: the
				       profile's default, else the last */
	/* Sample filters, applied in this order ("" is the same as NULL). */
	const char *focus, *ignore, *hide, *show;
	const char *show_from;
	const char *tagfocus, *tagignore, *tagshow, *taghide;
	const char *prune_from;
	const char *tagroot, *tagleaf; /* label values as frames, before them */
	/* Nodes and trimming. */
	cv_granularity granularity;
	bool no_inlines;
	bool call_tree;
	bool trim;                  /* false: keep every node and edge */
	int node_count;             /* -1: the format's default */
	double node_fraction, edge_fraction;
	bool cum_sort;
	/* Values. */
	bool mean;
	double divide_by;           /* 1; must not be 0 */
	bool drop_negative;
	bool relative_percentages;  /* of what the filters keep */
	const char *unit;           /* NULL: pprof's automatic choice */
	/* Presentation. */
	const char *title;
	bool compact_labels;
	const char *add_comment;
	const char *symbol;         /* -list / -peek regex */
	const char *source_path, *trim_path;
	const cv_hotspots *hotspots;/* classes to mark; NULL: none */
	/* Messages about the profile are about `subject` (its name). */
	const char *subject;
	cv_message_fn message;
	void *message_data;
} cv_view_options;

CV_EXTERN void cv_view_options_init(cv_view_options *o);

/* True if `format` names a report cv_view_render produces. */
CV_EXTERN bool cv_view_format_known(const char *format);

/*
 * The reports pprof draws from its report graph, which sees source file
 * names with -trim_path prefixes removed (top, dot, svg, list, ...); the
 * reports that print the profile itself (traces, raw, proto) do not.
 */
CV_EXTERN bool cv_view_format_trims_paths(const char *format);

/* A profile made ready for o->format: settled, filtered, with its report
 * options. */
typedef struct cv_view cv_view;

/*
 * Everything go tool pprof does between loading and reporting, to p in
 * place: compaction (which samples survive depends on the format),
 * pruning, -add_comment, label units, -tagroot/-tagleaf, the total, then
 * the filters. Fails on a bad sample index, regex or tag filter. The view
 * borrows p and o's strings.
 */
CV_EXTERN int cv_view_new(cv_view **out, cv_profile *p, const cv_view_options *o);
CV_EXTERN void cv_view_free(cv_view *v);

/* The options every cv_report_* function takes, as the view set them. */
CV_EXTERN const cv_report_options *cv_view_report_options(const cv_view *v);
CV_EXTERN cv_profile *cv_view_profile(const cv_view *v);

/* The view's report in memory (*out malloc'd): o->format's bytes. */
CV_EXTERN int cv_view_render(char **out, size_t *len, const cv_view *v);

/*
 * The view's call graph, trimmed as the format draws it (`visual`: as the
 * graph formats do; else as -top does). Free it with cv_graph_free.
 */
CV_EXTERN int cv_view_graph(cv_graph **g, cv_trim_result *tr, const cv_view *v, bool visual);

/* cv_view_new, cv_view_render and cv_view_free in one call. */
CV_EXTERN int cv_view_report(char **out, size_t *len, cv_profile *p, const cv_view_options *o);

#ifdef __cplusplus
}
#endif

#endif
