#ifndef CALLVIZ_HOTSPOT_H
#define CALLVIZ_HOTSPOT_H

#include "common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Hotspot classes: named groups of functions (allocation, garbage
 * collection, syscalls, locks, scheduling, or the user's own) that reports
 * mark and sum. A class is a list of RE2-style patterns, unanchored as in
 * go tool pprof's -focus. Graph nodes are marked by their function name;
 * shares match frames exactly as -focus does (function name, file name or
 * mapping file), so a class's share is what -focus=<its pattern> keeps.
 * The built-in patterns are anchored (^...$) function names, which file
 * and mapping names (paths) never match.
 *
 * A table holds up to CV_HOTSPOT_MAX classes in priority order: a function
 * belongs to the first class that matches it (cv_hotspot_classify), while a
 * class's share counts every sample with a frame of that class, whatever
 * other classes the sample also belongs to (cv_hotspot_shares).
 *
 * A table is immutable once built and may then be shared between threads
 * only by one thread at a time (its regexes keep per-table match scratch).
 *
 * Ownership: cv_hotspot_new gives the caller a table, freed with
 * cv_hotspot_free. The classes cv_hotspot_get returns and their strings
 * belong to the table and hold until cv_hotspot_free, except a class's
 * `pattern`, which is replaced (the old string freed) when the class gets
 * another pattern. Reports and renderers only read a table during a call.
 */

typedef struct cv_hotspots cv_hotspots;

enum { CV_HOTSPOT_MAX = 64 };

/* One class as the table describes it (see Ownership above). */
typedef struct cv_hotspot_class {
	const char *name;     /* [A-Za-z][A-Za-z0-9_-]*, at most 32 bytes */
	const char *color;    /* "#rrggbb" */
	const char *pattern;  /* the class's patterns as one regex, what
	                         go tool pprof -focus would be given */
	const char *css;      /* "hotspot hs-NAME": the class attribute that
	                         graph nodes and flame graph frames get */
} cv_hotspot_class;

/* A class's share of a profile: samples with at least one of its frames. */
typedef struct cv_hotspot_share {
	int64_t value;        /* sum of those samples' values, each once */
	size_t samples;       /* how many samples, including zero-valued ones */
	bool any;             /* some such sample has a nonzero value */
} cv_hotspot_share;

/* Make an empty table. */
CV_EXTERN int cv_hotspot_new(cv_hotspots **out);

/* Release a table. NULL is allowed. */
CV_EXTERN void cv_hotspot_free(cv_hotspots *h);

/*
 * Append the built-in classes alloc, gc, syscall, lock and sched (Go
 * runtime and C/C++ libc, tcmalloc, jemalloc, pthread names), after any
 * classes already in the table. Adding to an existing class of the same
 * name extends its patterns.
 */
CV_EXTERN int cv_hotspot_add_builtin(cv_hotspots *h);

/*
 * Add `regex` to class `name`, creating the class at the end of the table
 * if it is new. `color` ("#rrggbb") sets a new class's colour; NULL picks
 * the next unused palette colour. Fails with CV_EINVAL on a bad name,
 * colour or regex, or when the table is full.
 */
CV_EXTERN int cv_hotspot_add(cv_hotspots *h, const char *name, const char *regex,
		   const char *color);

/*
 * The -highlight argument: "NAME=REGEX" adds to class NAME when the text
 * before the first '=' is a valid class name, otherwise the whole
 * argument is a regex added to class "custom".
 */
CV_EXTERN int cv_hotspot_highlight(cv_hotspots *h, const char *spec);

/*
 * Add the classes of a hotspots file (see doc/hotspots.md):
 * one "NAME [#rrggbb] REGEX" per line, "builtin" alone for the built-in
 * classes, '#' comment lines and blank lines. Errors name the line
 * ("line 3: ..."); the caller names the file. cv_hotspot_load reads the
 * file at `path` and parses it.
 */
CV_EXTERN int cv_hotspot_parse(cv_hotspots *h, const char *text, size_t len);
CV_EXTERN int cv_hotspot_load(cv_hotspots *h, const char *path);

/* Number of classes, and class i (0 <= i < count), or NULL. */
CV_EXTERN size_t cv_hotspot_count(const cv_hotspots *h);
CV_EXTERN const cv_hotspot_class *cv_hotspot_get(const cv_hotspots *h, size_t i);

/* Index of the class named `name`, or -1. */
CV_EXTERN int cv_hotspot_find(const cv_hotspots *h, const char *name);

/*
 * The class a function belongs to: the index of the first class whose
 * patterns match `function_name`, or -1 for none (also for NULL h).
 * Renderers (DOT, flame graph) call this to colour a frame.
 */
CV_EXTERN int cv_hotspot_classify(const cv_hotspots *h, const char *function_name);

/* Bit i set when class i matches `function_name` (every class, not only the first). */
CV_EXTERN uint64_t cv_hotspot_match_mask(const cv_hotspots *h, const char *function_name);

/*
 * Per-class shares of profile p at sample_index: out[i] for class i, so
 * out needs cv_hotspot_count(h) entries. A sample belongs to a class when
 * any frame of its stack (inlined frames included) has a function name or
 * file name the class matches, or a location whose mapping file it
 * matches, as go tool pprof -focus decides; it counts once per class
 * however many such frames it has. Call it on the filtered profile,
 * before any trimming.
 */
CV_EXTERN int cv_hotspot_shares(cv_hotspot_share *out, const cv_hotspots *h,
		      const cv_profile *p, int sample_index);

#ifdef __cplusplus
}
#endif

#endif
