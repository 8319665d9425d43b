/*
 * Merging and base subtraction on whatever the decoder accepts. The input
 * is split at its first "\n--\n" into two profiles (the same one twice
 * when there is no split or one half does not decode). Besides the
 * sanitizers, two oracles:
 *  - a profile merged with itself holds exactly twice its sums;
 *  - a profile minus itself (-base) keeps no sample, unless some value is
 *    beyond 2^53, where pprof's float negation is inexact too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/callviz.h"

static uint64_t type_sum(const cv_profile *p, size_t i, bool *big)
{
	uint64_t s = 0;
	for (size_t k = 0; k < p->n_samples; k++) {
		int64_t v = p->samples[k].values[i];
		if (v > (1LL << 53) || v < -(1LL << 53))
			*big = true;
		s += (uint64_t)v;
	}
	return s;
}

static cv_profile *decode(const uint8_t *data, size_t size)
{
	cv_profile *p = NULL;
	if (cv_profile_parse(&p, data, size) || cv_profile_ensure_mapping(p)) {
		cv_profile_free(p);
		return NULL;
	}
	return p;
}

static void check_self(const cv_profile *a)
{
	const cv_profile *two[] = {a, a};
	cv_profile *m = NULL;
	if (cv_profile_merge(&m, two, 2))
		return; /* limits: twice the values may overflow */
	bool big = false;
	for (size_t i = 0; i < a->n_sample_types; i++)
		if (type_sum(m, i, &big) != 2 * type_sum(a, i, &big))
			abort();
	cv_profile_free(m);
	if (cv_profile_subtract_base(&m, a, a, NULL))
		return;
	if (!big && m->n_samples != 0)
		abort();
	cv_profile_free(m);
}

static void compare(const cv_profile *a, const cv_profile *b, uint8_t mode)
{
	const cv_profile *two[] = {a, b};
	cv_profile *m = NULL;
	if (cv_profile_merge(&m, two, 2) == 0)
		cv_profile_free(m);
	cv_base_options o;
	cv_base_options_init(&o);
	o.diff_base = mode & 1;
	o.normalize = mode & 2;
	if (cv_profile_subtract_base(&m, a, b, &o) == 0) {
		cv_profile_compact(m);
		cv_profile_free(m);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *cut = NULL;
	for (size_t i = 0; i + 4 <= size && !cut; i++)
		if (!memcmp(data + i, "\n--\n", 4))
			cut = data + i;
	cv_profile *a = decode(data, cut ? (size_t)(cut - data) : size);
	cv_profile *b = cut ? decode(cut + 4, size - (size_t)(cut - data) - 4) : NULL;
	if (!a) {
		a = b;
		b = NULL;
	}
	if (a) {
		check_self(a);
		compare(a, b ? b : a, size ? data[size - 1] : 0);
	}
	cv_profile_free(a);
	cv_profile_free(b);
	return 0;
}
