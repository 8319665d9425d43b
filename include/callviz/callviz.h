#ifndef CALLVIZ_H
#define CALLVIZ_H

#include "common.h"

/*
 * callviz: read pprof profiles, build the weighted call graph, trim it as
 * go tool pprof does, and render it (DOT, SVG, PDF, PNG through libgvc)
 * or report on it (top).
 *
 * The one entry point, with go tool pprof's rules (view.h):
 *   cv_load_sources -> cv_view_new -> cv_view_render (any report) or
 *   cv_view_graph (the call graph), or cv_view_report for all three.
 * Underneath, each stage is its own module: cv_profile_read ->
 * cv_filter_samples -> cv_graph_build_trimmed -> cv_render_dot /
 * cv_render_layout, or cv_report_top.
 *
 * Conventions (doc/library.md has them in full):
 * - Fallible calls return 0 or a negative CV_E* code and set
 *   cv_error_last() (error.h).
 * - Ownership, stated in each header: an object handed out through
 *   `T **out` is the caller's, freed with its cv_*_free; a buffer handed
 *   out as `char **out` or `uint8_t **out` is malloc'd, freed with free();
 *   arguments are only read during the call. Graphs and stacks point into
 *   the profile they were built from: free them first.
 * - Options structs: cv_*_options_init, or zeroed; a version field leaves
 *   room to grow (common.h).
 * - Only functions declared here with CV_EXTERN are exported; the headers
 *   work from C++.
 * - cv_set_threads(1), below, keeps the library on the caller's thread.
 */

#include "error.h"
#include "profile.h"
#include "graph.h"
#include "stacks.h"
#include "units.h"
#include "render.h"
#include "report.h"
#include "html.h"
#include "fetch.h"
#include "trace.h"
#include "view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library version, "MAJOR.MINOR.PATCH". */
CV_EXTERN const char *cv_version(void);

/*
 * Threads. A call into the library runs on the caller's thread and, for
 * big profiles and a few overlapping steps (decoding, the stack trie, the
 * graph walk, compaction, hotspot shares), on one more thread it starts
 * and joins before returning: at most 2 threads per call. cv_set_threads
 * bounds that for the whole process: 1 keeps every call on its caller's
 * thread (the library then never calls pthread_create), 0 restores the
 * default (2 today); larger values mean the default for now. Results are
 * the same bytes whatever the setting; only the time differs. It may be
 * called at any time from any thread; calls already running keep their
 * setting. Returns 0, or CV_EINVAL for n < 0.
 *
 * Outside this: cv_fetch_url runs libcurl, whose resolver may start a
 * thread of its own for a host name lookup.
 */
CV_EXTERN int cv_set_threads(int n);

/* The bound cv_set_threads set: 1, or 2 (the default). */
CV_EXTERN int cv_threads(void);

#ifdef __cplusplus
}
#endif

#endif
