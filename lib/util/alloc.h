#ifndef CV_UTIL_ALLOC_H
#define CV_UTIL_ALLOC_H

#include <stddef.h>

#include "callviz/error.h"

/*
 * Allocation helpers for lib/: one checked way to size and grow arrays, and
 * one out-of-memory error. Every failure here sets cv_error_last().
 */

/* Set cv_error_last() to "out of memory" and return CV_ENOMEM. */
int cv_error_nomem(void);

/*
 * realloc(ptr, n * elem), with the multiplication checked. On overflow or
 * failure: NULL, ptr untouched (still the caller's to free), and
 * cv_error_last() set.
 */
void *cv_realloc_array(void *ptr, size_t n, size_t elem);

/*
 * The capacity an array of `cap` elements grows to so that it holds `need`:
 * cap (or `min` when cap is 0) doubled until it does; `need` itself when
 * already `cap >= need`. 0 when the doubling overflows a size_t, with
 * cv_error_last() set.
 */
size_t cv_grow_cap(size_t cap, size_t need, size_t min);

/*
 * Grow the array whose address is `arrp` (a T **, taken as void * so that
 * any element type fits), of *cap elements of `elem` bytes, to hold `need`,
 * by cv_grow_cap's doubling from `min`. 0, with *arrp and *cap updated; or
 * CV_ENOMEM, with both as they were and cv_error_last() set. CV_GROW is
 * the way to call it.
 */
int cv_grow(void *arrp, size_t *cap, size_t need, size_t elem, size_t min);

/*
 * Make room for `need` elements in the array `arr` whose capacity (a
 * size_t lvalue) is `cap`, doubling from `min` elements: 0, or CV_ENOMEM
 * with cv_error_last() set and arr and cap as they were. In the manner of
 * git's ALLOC_GROW: the test for room is inline, so the common case costs
 * one comparison. `need` is evaluated twice, both times before arr and cap
 * change.
 */
#define CV_GROW(arr, cap, need, min)                                           \
	((size_t)(need) <= (cap)                                               \
		 ? 0                                                           \
		 : cv_grow(&(arr), &(cap), (need), sizeof(*(arr)), (min)))

#endif
