#ifndef CV_UTIL_INDEX_TABLE_H
#define CV_UTIL_INDEX_TABLE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The slots of an open-addressing table over an array of entries the
 * caller keeps: each slot holds an entry's index + 1, 0 when empty, found
 * by linear probing from the entry's hash. The caller looks up and inserts
 * inline (its keys, its comparison); growing is shared here.
 */

/*
 * Replace *slots by `cap` slots (a power of two) holding entries 0..n-1,
 * placed by hash_of(ctx, k); *mask becomes cap - 1. Returns 0, or
 * CV_ENOMEM with cv_error_last() set (the old slots are kept).
 */
int cv_index_table_rebuild(uint32_t **slots, size_t *mask, size_t cap, size_t n,
			   uint64_t (*hash_of)(const void *ctx, size_t k), const void *ctx);

#endif
