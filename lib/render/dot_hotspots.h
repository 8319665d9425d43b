#ifndef CV_RENDER_DOT_HOTSPOTS_H
#define CV_RENDER_DOT_HOTSPOTS_H

#include <stddef.h>

#include "callviz/render.h"
#include "util/strbuf.h"

/*
 * Hotspot marks in DOT. They are written as statements of their own so
 * that every statement pprof would write stays byte for byte as pprof
 * writes it: a node in a class is restated right after its own line,
 *
 *     N3 [class="hotspot hs-alloc" color="#1f77b4" penwidth=4 label="...\n[alloc]"]
 *
 * (graphviz merges the attributes, the later ones winning), and the
 * legend cluster gets a second box listing the classes.
 */

/*
 * Restate node `id` if its function is in a class of cfg->hotspots. The
 * node's label is the text at [label_at, label_end) of sb, as the node's
 * own statement wrote it.
 */
void cv_dot_hotspot_node(cv_strbuf *sb, const cv_node *n, int id,
			 size_t label_at, size_t label_end,
			 const cv_dot_config *cfg);

/* The legend box: every class with samples, its colour and share. */
void cv_dot_hotspot_legend(cv_strbuf *sb, const cv_dot_config *cfg);

#endif
