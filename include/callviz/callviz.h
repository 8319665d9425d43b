#ifndef CALLVIZ_H
#define CALLVIZ_H

#include "common.h"

/*
 * callviz: read pprof profiles, build the weighted call graph, trim it as
 * go tool pprof does, and render it (DOT, SVG, PDF, PNG through libgvc)
 * or report on it (top).
 *
 * Pipeline: cv_profile_read -> cv_filter_samples -> cv_graph_build_trimmed
 *           -> cv_render_dot / cv_render_layout, or cv_report_top.
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

#ifdef __cplusplus
extern "C" {
#endif

/* The library version, "MAJOR.MINOR.PATCH". */
CV_EXTERN const char *cv_version(void);

#ifdef __cplusplus
}
#endif

#endif
