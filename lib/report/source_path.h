#ifndef CV_REPORT_SOURCE_PATH_H
#define CV_REPORT_SOURCE_PATH_H

#include <stddef.h>
#include <stdio.h>

/*
 * pprof's trimPath: `path` without the first matching -trim_path prefix
 * (':'-separated; a '/' is appended to each), or, when no trim path is
 * given, without everything up to "/BASE/" for the base name of some
 * search path directory; "/proc/self/cwd/" prefixes always go. Returns a
 * pointer into `path`.
 */
const char *cv_source_trim(const char *path, const char *trim_path, const char *search_path);

/*
 * Open a source file named in a profile: trimmed as above, then as is if
 * absolute, else under each search path directory or any of its parents.
 * On failure returns NULL with pprof's message in err.
 */
FILE *cv_source_open(const char *path, const char *trim_path, const char *search_path,
		     char *err, size_t err_size);

#endif
