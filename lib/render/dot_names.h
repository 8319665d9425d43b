#ifndef CV_RENDER_DOT_NAMES_H
#define CV_RENDER_DOT_NAMES_H

#include "callviz/graph.h"
#include "util/strbuf.h"

/* pprof's NodeInfo.PrintableName, unescaped. */
void cv_dot_printable_name(cv_strbuf *sb, const cv_node_info *info);

/* pprof's multilinePrintableName: DOT-escaped, lines joined by \n. */
void cv_dot_label_name(cv_strbuf *sb, const cv_node_info *info);

#endif
