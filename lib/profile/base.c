/*
 * Comparing with a base profile, as go tool pprof's -base and -diff_base
 * do: the base's values are negated and the two profiles merged, so equal
 * stacks cancel and what remains is the change. For -diff_base every base
 * sample also carries the label pprof::base=true: such samples do not
 * cancel, and reports take their total (the base's) for percentages.
 * -normalize first scales the source so that each sample type sums to
 * the base's sum.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "profile/merge_internal.h"
#include "profile/merge_types.h"
#include "util/alloc.h"
#include "util/options.h"

void cv_base_options_init(cv_base_options *o)
{
	memset(o, 0, sizeof(*o));
	o->version = CV_BASE_OPTIONS_VERSION;
}

/* Sum of each sample type's values, wrapping as Go's int64 sums do. */
static void sums(const cv_profile *p, int64_t *out)
{
	for (size_t i = 0; i < p->n_sample_types; i++)
		out[i] = 0;
	for (size_t s = 0; s < p->n_samples; s++)
		for (size_t i = 0; i < p->n_sample_types; i++)
			out[i] = (int64_t)((uint64_t)out[i] + (uint64_t)p->samples[s].values[i]);
}

/* pprof's Profile.Normalize: base sum / source sum, 0 for an empty source. */
static int normalize_ratios(const cv_profile *p, const cv_profile *base, double *ratios)
{
	int rc = cv_merge_same_types(p, base);
	if (rc)
		return rc;
	size_t n = p->n_sample_types;
	int64_t *sp = calloc(n + 1, sizeof(*sp)), *sb = calloc(n + 1, sizeof(*sb));
	if (!sp || !sb) {
		free(sp);
		free(sb);
		return cv_error_nomem();
	}
	sums(p, sp);
	sums(base, sb);
	for (size_t i = 0; i < n; i++)
		ratios[i] = sp[i] == 0 ? 0.0 : (double)sb[i] / (double)sp[i];
	free(sp);
	free(sb);
	return 0;
}

int cv_profile_subtract_base(cv_profile **out, const cv_profile *p, const cv_profile *base,
			     const cv_base_options *o)
{
	int vrc = CV_OPTIONS_CHECK(o, CV_BASE_OPTIONS_VERSION, "cv_base_options");
	if (vrc)
		return vrc;
	*out = NULL;
	cv_base_options defaults;
	if (!o) {
		cv_base_options_init(&defaults);
		o = &defaults;
	}
	size_t n = base->n_sample_types;
	double *neg = calloc(n + 1, sizeof(*neg));
	double *norm = calloc(p->n_sample_types + 1, sizeof(*norm));
	int rc = neg && norm ? 0 : cv_error_nomem();
	for (size_t i = 0; !rc && i < n; i++)
		neg[i] = -1;
	if (!rc && o->normalize)
		rc = normalize_ratios(p, base, norm);
	if (!rc) {
		cv_merge_input in[2] = {
			{.p = p, .pre = o->normalize ? norm : NULL},
			{.p = base, .pre = neg, .mark_base = o->diff_base},
		};
		rc = cv_merge_inputs(out, in, 2);
	}
	free(neg);
	free(norm);
	return rc;
}
