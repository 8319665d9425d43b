#ifndef CALLVIZ_H
#define CALLVIZ_H

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
#include "view.h"

/* The library version, "MAJOR.MINOR.PATCH". */
const char *cv_version(void);

#endif
