#ifndef CV_PROFILE_SIMPLIFY_H
#define CV_PROFILE_SIMPLIFY_H

#include <stddef.h>

/*
 * A function name as pprof's frame pruning compares it (simplifyFunc):
 * without one leading '.' (the PPC64 ELFv1 descriptor prefix) and without
 * the argument list, which starts at the first '(' that is not part of
 * "(anonymous namespace)" or "operator()". Returns a pointer into `name`
 * and the simplified length in *len; nothing is copied.
 */
const char *cv_simplify_func_name(const char *name, size_t *len);

#endif
