#ifndef CALLVIZ_UNITS_H
#define CALLVIZ_UNITS_H

#include "common.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Measurement units as go tool pprof scales them: bytes (B, kB, MB, ...
 * in powers of 1024), time (ns, us, ms, s, hrs) and GCU. Unit names are
 * matched case-insensitively with a plural "s" allowed ("nanoseconds").
 * `to` may be a unit name, "minimum" or "auto" (pick a readable unit).
 *
 * Ownership: formatted text goes into the caller's buffer; *unit_out
 * points to a static string or to `to`.
 */

/*
 * Scale `value` from unit `from` to unit `to`. Stores the unit name of the
 * result in *unit_out ("" when the unit is not worth printing, such as
 * "count") and returns the scaled value.
 */
CV_EXTERN double cv_unit_scale(int64_t value, const char *from, const char *to,
		     const char **unit_out);

/*
 * Format a value as pprof's ScaledLabel: two decimals with a trailing
 * ".00" dropped, then the unit ("1.50MB", "30ms", "0").
 * Writes at most `size` bytes to buf and returns buf.
 */
CV_EXTERN char *cv_unit_label(char *buf, size_t size, int64_t value, const char *from,
		    const char *to);

/*
 * Format value/total as pprof's Percentage: "  100%", "12.34%", or two
 * significant digits for less than 1% (" 0.12%"). Returns buf.
 */
CV_EXTERN char *cv_unit_percent(char *buf, size_t size, int64_t value, int64_t total);

/* True if `unit` is a known unit name (or "minimum"/"auto"). */
CV_EXTERN int cv_unit_known(const char *unit);

/*
 * The family of a unit name: 0 bytes, 1 time, 2 GCU, -1 none (also for
 * "minimum" and "auto"). pprof merges values whose units share a family.
 */
CV_EXTERN int cv_unit_family(const char *unit);

#ifdef __cplusplus
}
#endif

#endif
