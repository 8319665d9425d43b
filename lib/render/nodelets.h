#ifndef CV_RENDER_NODELETS_H
#define CV_RENDER_NODELETS_H

#include <stdbool.h>

#include "callviz/render.h"
#include "util/strbuf.h"

/*
 * Write the tag boxes hanging off node `id` (pprof's addNodelets): the
 * heaviest string labels and, under them or the node, numeric tags
 * collapsed into at most four ranges. Returns true if any were written,
 * in which case the node's outgoing edges get minlen=2.
 */
bool cv_dot_nodelets(cv_strbuf *sb, const cv_node *n, int id,
		     const cv_dot_config *cfg);

#endif
