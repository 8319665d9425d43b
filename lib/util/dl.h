#ifndef CV_UTIL_DL_H
#define CV_UTIL_DL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A shared library opened on first use instead of linked (fetch/curl_dl.c,
 * the CLI's mhd_dl.c): its functions, by name, into a table of function
 * pointers. Libraries that few runs need then cost nothing at start-up.
 */
typedef struct cv_dl_symbol {
	const char *name;       /* as the library exports it */
	size_t offset;          /* where its address goes in the table */
} cv_dl_symbol;

/*
 * dlopen soname and fill `table` with the n symbols. On failure, false,
 * with the reason (dlerror's, or the missing name) in why; the library is
 * closed again. On success it stays open for the rest of the process.
 */
bool cv_dl_load(const char *soname, const cv_dl_symbol *symbols, size_t n, void *table,
		char *why, size_t why_size);

#endif
