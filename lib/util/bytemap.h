#ifndef CV_UTIL_BYTEMAP_H
#define CV_UTIL_BYTEMAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * A hash map from byte strings to 32-bit values, for interning: string
 * tables, distinct stacks, distinct frames. Keys are not copied; the caller
 * keeps them alive (usually in an arena) as long as the map.
 */
typedef struct cv_bytemap cv_bytemap;

#define CV_BYTEMAP_NONE UINT32_MAX

/* An empty map, or NULL when out of memory. */
cv_bytemap *cv_bytemap_new(void);
void cv_bytemap_free(cv_bytemap *m);

/* The value stored for key, or CV_BYTEMAP_NONE. */
uint32_t cv_bytemap_get(const cv_bytemap *m, const void *key, size_t len);

/*
 * Store val for a key known to be absent. Returns 0, or CV_ENOMEM with
 * cv_error_last() set.
 */
int cv_bytemap_put(cv_bytemap *m, const void *key, size_t len, uint32_t val);

/* Number of keys stored. */
size_t cv_bytemap_count(const cv_bytemap *m);

#endif
