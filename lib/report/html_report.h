#ifndef CV_REPORT_HTML_REPORT_H
#define CV_REPORT_HTML_REPORT_H

#include "callviz/report.h"

/* The report's call graph as graphviz lays it out in SVG (*svg malloc'd). */
int html_graph_svg(char **svg, const cv_profile *p, const cv_report_options *o);

/* Free n malloc'd cells and the array. */
void html_cells_free(char **cells, size_t n);

#endif
