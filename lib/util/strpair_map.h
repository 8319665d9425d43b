#ifndef CV_UTIL_STRPAIR_MAP_H
#define CV_UTIL_STRPAIR_MAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * Distinct pairs of strings, numbered in the order they were first added:
 * label frames are keyed by (name, label key), -tags sums by (key, value).
 * The strings are not copied; the caller keeps them alive as long as the
 * map. A zeroed struct is an empty map.
 */
typedef struct cv_strpair {
	const char *a, *b;
	int64_t value;              /* the caller's, e.g. a running sum */
} cv_strpair;

typedef struct cv_strpair_map {
	cv_strpair *pairs;          /* in first-added order */
	size_t n, cap;
	uint32_t *slots;            /* open addressing: index+1, 0 empty */
	size_t mask;
} cv_strpair_map;

/* The index of (a, b), or -1 if it was never added. */
long cv_strpair_map_find(const cv_strpair_map *m, const char *a, const char *b);

/*
 * Add (a, b), known to be absent, with value 0. Returns its index, or -1
 * when out of memory, with cv_error_last() set.
 */
long cv_strpair_map_add(cv_strpair_map *m, const char *a, const char *b);

void cv_strpair_map_free(cv_strpair_map *m);

#endif
