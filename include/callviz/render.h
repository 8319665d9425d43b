#ifndef CALLVIZ_RENDER_H
#define CALLVIZ_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "graph.h"

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
} cv_dot_config;

/* Write the graph as DOT in go tool pprof's visual language. */
int cv_render_dot(FILE *out, const cv_graph *g, const cv_dot_config *cfg);

/* Same, into a malloc'd NUL-terminated string (*len excludes the NUL). */
int cv_render_dot_string(char **out, size_t *len, const cv_graph *g,
			 const cv_dot_config *cfg);

/*
 * Lay out DOT text with graphviz's "dot" engine in this process (libgvc)
 * and render it in `format` ("svg", "pdf", "png", "ps", "gif", ...).
 * *out receives a malloc'd buffer (free with free()).
 */
int cv_render_layout(char **out, size_t *len, const char *dot_text,
		     const char *format);

/* True if this graphviz build can render `format`. */
bool cv_render_format_available(const char *format);

#endif
