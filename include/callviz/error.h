#ifndef CALLVIZ_ERROR_H
#define CALLVIZ_ERROR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes returned (negated) by every fallible callviz function. */
enum {
	CV_OK = 0,
	CV_ERROR = -1,    /* generic failure */
	CV_ENOMEM = -2,   /* out of memory */
	CV_EIO = -3,      /* reading or writing a file failed */
	CV_EFORMAT = -4,  /* input is not a valid profile */
	CV_EINVAL = -5,   /* an argument or option is invalid */
	CV_ENOTFOUND = -6,/* a named thing (sample index, format) does not exist */
	CV_ERENDER = -7,  /* graphviz failed to lay out or render */
	CV_ENET = -8      /* fetching a URL failed (connection, HTTP status, timeout) */
};

/*
 * The message of the last error set on this thread, or "" if none.
 * Ownership: the string is the library's (one per thread); it stays
 * valid until the next callviz call on the same thread.
 */
CV_EXTERN const char *cv_error_last(void);

/* Forget the last error. */
CV_EXTERN void cv_error_clear(void);

/*
 * Set the last error with printf-style formatting and return `code`,
 * so that library code can write `return cv_error_set(CV_EFORMAT, ...)`.
 */
CV_EXTERN int cv_error_set(int code, const char *fmt, ...)
	CV_FORMAT_PRINTF(2, 3);

#ifdef __cplusplus
}
#endif

#endif
