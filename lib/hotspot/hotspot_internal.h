#ifndef CV_HOTSPOT_INTERNAL_H
#define CV_HOTSPOT_INTERNAL_H

#include "callviz/hotspot.h"
#include "util/regex.h"

/* One class: its public description plus the compiled union of its patterns. */
typedef struct hs_class {
	cv_hotspot_class pub;
	char name[33];
	char color[8];
	char css[48];
	char *pattern;        /* malloc'd "(?:p1)|(?:p2)..." source, shown as pub.pattern */
	cv_regex *re;
} hs_class;

struct cv_hotspots {
	hs_class cls[CV_HOTSPOT_MAX];
	size_t n;
};

/* The built-in classes: name, colour and patterns, NULL-terminated. */
typedef struct hs_builtin {
	const char *name;
	const char *color;
	const char *const *patterns;
} hs_builtin;

extern const hs_builtin cv_hotspot_builtins[];

/* True if `name` is a valid class name (also usable as a CSS class). */
bool hs_valid_name(const char *name, size_t len);

/* Bit i set when class i matches s anywhere ("" included, as in Go). */
uint64_t hs_mask(const cv_hotspots *h, const char *s);

/* Every location's mask, by index: the classes of all its frames (function
 * or file name) and of its mapping. malloc'd; NULL: out of memory. */
uint64_t *cv_hotspot_location_masks(const cv_hotspots *h, const cv_profile *p);

/* Add each sample (or only those without a value at sample_index) to the
 * out[0..n) of the classes its locations' masks name, once per class. */
void cv_hotspot_count_samples(cv_hotspot_share *out, size_t n, const uint64_t *lmask,
			      const cv_profile *p, int sample_index, bool zero_only);

/* True if `color` is "#rrggbb". */
bool hs_valid_color(const char *color);

#endif
