#ifndef CALLVIZ_UTIL_OPTIONS_H
#define CALLVIZ_UTIL_OPTIONS_H

#include "callviz/error.h"

/*
 * The version check of include/callviz/common.h's options rule: 0 when
 * `o` is NULL or its version is at most `current` (0 reads as 1), else
 * CV_EINVAL with cv_error_last() naming the struct.
 */
#define CV_OPTIONS_CHECK(o, current, name)                                         \
	((o) && (o)->version > (unsigned)(current)                                 \
		 ? cv_error_set(CV_EINVAL, "%s version %u is newer than this "     \
				"library's (%u)", name, (o)->version,              \
				(unsigned)(current))                               \
		 : 0)

#endif
