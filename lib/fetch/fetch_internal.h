#ifndef CV_FETCH_INTERNAL_H
#define CV_FETCH_INTERNAL_H

#include <stddef.h>

#include "callviz/profile.h"
#include "util/strbuf.h"

/*
 * Rewrite a raw query string as Go's url.Values does after Query() and
 * Encode(): pairs with ';' or bad escapes dropped, keys sorted (values of
 * one key keep their order), every byte but [A-Za-z0-9-_.~] escaped.
 * With `seconds` > 0 every "seconds" pair is replaced by seconds=N.
 * *url_seconds receives the first remaining "seconds" value as a 32-bit
 * integer, or 0 when absent or not a number.
 */
int cv_fetch_rewrite_query(cv_strbuf *out, const char *raw, size_t len,
			   int seconds, long *url_seconds);

/*
 * The name go tool pprof saves a fetched profile under, less the number
 * and suffix: "pprof.", the first mapping file's base name and ".", then
 * each sample type and ".". Returns a malloc'd string or NULL.
 */
char *cv_fetch_save_prefix(const cv_profile *p);

#endif
