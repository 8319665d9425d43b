#ifndef CV_GRAPH_NAMES_H
#define CV_GRAPH_NAMES_H

#include "util/arena.h"

/* Go's filepath.Clean: collapse "//", "./" and "dir/.." lexically. */
const char *cv_clean_path(cv_arena *a, const char *path);

/*
 * pprof's NodeInfo.PrintableName: address, function name, file:line or
 * file, or "[objfile]", joined by spaces. Allocated in `a`.
 */
struct cv_node_info;
const char *cv_node_info_name(cv_arena *a, const struct cv_node_info *info);

#endif
