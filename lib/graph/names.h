#ifndef CV_GRAPH_NAMES_H
#define CV_GRAPH_NAMES_H

#include "util/arena.h"

/* Go's filepath.Clean: collapse "//", "./" and "dir/.." lexically. */
const char *cv_clean_path(cv_arena *a, const char *path);

#endif
