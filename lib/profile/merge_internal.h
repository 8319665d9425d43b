#ifndef CV_PROFILE_MERGE_INTERNAL_H
#define CV_PROFILE_MERGE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "callviz/profile.h"

/* The label go tool pprof puts on every sample of a -diff_base profile. */
#define CV_DIFF_BASE_LABEL "pprof::base"

/*
 * One profile to merge, with what pprof does to it first: `pre` (one ratio
 * per sample type, NULL for none) is applied as Profile.ScaleN would, before
 * the unit scaling of the merge; `mark_base` sets pprof::base=true on each
 * sample, as -diff_base does.
 */
typedef struct cv_merge_input {
	const cv_profile *p;
	const double *pre;
	bool mark_base;
} cv_merge_input;

/* Merge the inputs, in order, into a new compacted profile (see merge.c). */
int cv_merge_inputs(cv_profile **out, const cv_merge_input *in, size_t n);

/*
 * pprof's ScaleN on one sample's values: each value whose ratio is not 1
 * becomes round(v * ratio). Returns whether the sample stays: ScaleN drops
 * a sample when every value it scaled became 0 (and keeps every sample when
 * all ratios are 1).
 */
bool cv_merge_scale_values(int64_t *values, const double *ratios, size_t n);

/*
 * Merging one profile at a time (merge_stream.c): the same result as
 * cv_merge_inputs on all of them, with no `pre` and no base mark, while
 * each input can be freed as soon as it is added.
 */
typedef struct cv_merge_stream cv_merge_stream;

/* The common units of the merge: per sample type the unit every value is
 * brought to, and the period's; NULL keeps each profile's own (one
 * profile alone). */
typedef struct cv_merge_stream_units {
	const char *const *types;
	const char *period;
} cv_merge_stream_units;

int cv_merge_stream_new(cv_merge_stream **out);

/*
 * Fold s into the merge. `ratios` (one per sample type, NULL when all are
 * 1) bring its values to the common units, which every call must give
 * alike; the first call takes the types and frame filters from s.
 */
int cv_merge_stream_add(cv_merge_stream *m, const cv_profile *s, const double *ratios,
			const cv_merge_stream_units *u);

/* The merged profile, compacted and checked against the limits; the
 * stream is then only to be freed. */
int cv_merge_stream_finish(cv_merge_stream *m, cv_profile **out);
void cv_merge_stream_free(cv_merge_stream *m);

#endif
