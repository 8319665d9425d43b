#ifndef CALLVIZ_RENDER_H
#define CALLVIZ_RENDER_H

#include "common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "graph.h"
#include "stacks.h"
#include "hotspot.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Rendering: DOT text, graphviz layouts, flame graphs.
 *
 * Ownership: every buffer a cv_render_* function hands out (*out) is
 * malloc'd and the caller's: free() it. The graph, stacks, configuration
 * and options are only read during the call.
 */

/* Everything the DOT writer needs besides the graph itself. */
typedef struct cv_dot_config {
	const char *title;          /* graph label title, usually the binary */
	const char **labels;        /* legend lines, in order */
	size_t n_labels;
	int64_t total;              /* the report total, for percentages */
	const char *sample_unit;    /* unit of the values in the graph */
	const char *output_unit;    /* unit to print them in */
	double ratio;               /* -ratio: printed values are multiplied
	                               by it first; 0 or 1 for none */
	const cv_hotspots *hotspots;/* classes to mark nodes with; NULL: none */
	const cv_hotspot_share *hotspot_shares; /* one per class, for the
	                               legend; NULL: no hotspot legend */
} cv_dot_config;

/* Write the graph as DOT in go tool pprof's visual language. */
CV_EXTERN int cv_render_dot(FILE *out, const cv_graph *g, const cv_dot_config *cfg);

/* Same, into a malloc'd NUL-terminated string (*len excludes the NUL). */
CV_EXTERN int cv_render_dot_string(char **out, size_t *len, const cv_graph *g,
			 const cv_dot_config *cfg);

/*
 * Lay out DOT text with graphviz's "dot" engine in this process (libgvc)
 * and render it in `format` ("svg", "pdf", "png", "ps", "gif", ...).
 * *out receives a malloc'd buffer (free with free()).
 */
CV_EXTERN int cv_render_layout(char **out, size_t *len, const char *dot_text,
		     const char *format);

/* True if this graphviz build can render `format`. */
CV_EXTERN bool cv_render_format_available(const char *format);

/*
 * How cv_render_flame draws a flame graph; cv_flame_options_init fills it.
 * Zeroed: the same defaults, except min_width 0 (only max_frames merges).
 */
#define CV_FLAME_OPTIONS_VERSION 1
typedef struct cv_flame_options {
	unsigned int version;   /* CV_FLAME_OPTIONS_VERSION (see common.h); 0 reads as 1 */
	bool icicle;                /* roots at the top instead of the bottom */
	const char *title;          /* heading; NULL: "Flame graph" / "Icicle graph" */
	const char *subtitle;       /* second line (type, total, filters), or NULL */
	int64_t total;              /* percentages are of this; 0: what is drawn */
	const char *sample_unit;    /* unit of the values ("nanoseconds"); NULL: count */
	const char *output_unit;    /* unit to print them in ("minimum": automatic) */
	int width;                  /* pixels (1200; 0: 1200) */
	double min_width;           /* merge frames narrower than this many pixels (0.1) */
	size_t max_frames;          /* merge more if needed to stay under this
				       (12000; 0: 12000) */
	/*
	 * Hotspot hook: called for every drawn frame but the root; a non-empty
	 * result is added to the frame's class attribute (space-separated CSS
	 * class names), so rules in extra_css such as
	 * ".f.hs-gc rect{fill:#4a90d9}" colour it.
	 */
	const char *(*frame_class)(void *arg, const cv_frame *frame);
	void *frame_class_arg;
	const char *extra_css;      /* appended to the stylesheet, or NULL */
} cv_flame_options;

/* go tool pprof has no flame graph; these are callviz's defaults. Sets the version. */
CV_EXTERN void cv_flame_options_init(cv_flame_options *o);

/*
 * Draw stacks as a self-contained interactive SVG flame graph: frames sized
 * by value, warm colours by name, a <title> per frame (name, value, share of
 * o->total), click to zoom into a frame's subtree, a regex search box that
 * shows the matched share (each sample counted once). *out is malloc'd.
 * o may be NULL for the defaults.
 */
CV_EXTERN int cv_render_flame(char **out, size_t *len, const cv_stacks *s,
		    const cv_flame_options *o);

#ifdef __cplusplus
}
#endif

#endif
