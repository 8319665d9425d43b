#ifndef CV_PROFILE_MERGE_TYPES_H
#define CV_PROFILE_MERGE_TYPES_H

#include <stdbool.h>
#include <stddef.h>

#include "callviz/profile.h"

/* The common units of profiles to merge (pprof's ScaleProfiles). */
typedef struct cv_merge_units_result {
	const cv_value_type *period;    /* finest period type; NULL: keep each */
	const cv_value_type **types;    /* per sample type, the finest; NULL
					   entries (one profile): keep units */
	size_t n_types;
} cv_merge_units_result;

/*
 * Decide the common units of ps[0..n), or fail with a CV_EFORMAT message
 * when their period or sample types cannot be merged. The result points
 * into the profiles; release it with cv_merge_units_free.
 */
int cv_merge_units(cv_merge_units_result *r, const cv_profile *const *ps, size_t n);
void cv_merge_units_free(cv_merge_units_result *r);

/* What one value of sample type i of p is multiplied by to reach the common unit. */
double cv_merge_unit_ratio(const cv_merge_units_result *r, const cv_profile *p, size_t i);

/*
 * Identical sample and period types, names and units (pprof's
 * Profile.compatible, which -normalize requires of the base).
 */
int cv_merge_same_types(const cv_profile *a, const cv_profile *b);

#endif
