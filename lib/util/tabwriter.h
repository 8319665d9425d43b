#ifndef CV_UTIL_TABWRITER_H
#define CV_UTIL_TABWRITER_H

#include <stdio.h>

#include "util/strbuf.h"

/*
 * Column alignment as Go's text/tabwriter does it with AlignRight, no
 * minimum width, padding 1 and spaces as padding (the settings pprof's
 * -tags report uses). In `text`, a cell ends with '\t'; the text after a
 * line's last tab is not aligned. A column spans the consecutive lines
 * that have a cell in it, so a line with fewer cells (such as a blank
 * line) starts new columns. Widths count UTF-8 characters. Go's escape,
 * form feed and HTML handling are not reproduced.
 */
void cv_tabwrite_right(cv_strbuf *out, const char *text);

#endif
