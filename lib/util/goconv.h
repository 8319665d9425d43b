#ifndef CV_UTIL_GOCONV_H
#define CV_UTIL_GOCONV_H

#include <stdint.h>

/*
 * Go's integer arithmetic as pprof relies on it: two's complement
 * wrap-around where C would have undefined behaviour.
 */

/* pprof's abs64: |v|, with INT64_MIN staying INT64_MIN as Go's -v wraps. */
static inline int64_t cv_abs64(int64_t v)
{
	return (int64_t)(v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

/*
 * Go's int64(f) as amd64 computes it (CVTTSD2SQ): NaN and values out of
 * range give INT64_MIN. In C that cast is undefined behaviour, and pprof's
 * arithmetic on totals near 2^63 reaches it (total * nodefraction 1.0).
 */
static inline int64_t cv_go_int64(double f)
{
	if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0))
		return INT64_MIN;
	return (int64_t)f;
}

#endif
