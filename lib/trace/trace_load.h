#ifndef CV_TRACE_LOAD_H
#define CV_TRACE_LOAD_H

/* Execution traces as sources (load.c); not a public API. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "callviz/view.h"

/* True if the bytes, gzipped or not, start like a Go execution trace. */
bool trace_sniff(const uint8_t *data, size_t len);

/* True if the file (gzipped or not) starts like one. */
bool trace_sniff_file(const char *path);

/* The -pprof profile of a trace in memory or in a file (gzipped or not);
 * warnings go to o->message about `name`. */
int trace_load_mem(cv_profile **out, const uint8_t *data, size_t len, const cv_load_options *o,
		   const char *name);
int trace_load_file(cv_profile **out, const char *path, const cv_load_options *o);

/* Standard input (or any descriptor) whole, up to max bytes (0: 2 GiB). */
int trace_read_all(int fd, uint8_t **out, size_t *len, size_t max);

#endif
