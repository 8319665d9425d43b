/*
 * Per-class shares: the value of every sample whose stack holds a frame of
 * the class, each sample counted once per class. Frames are matched as go
 * tool pprof -focus matches them (function name or file name of any line,
 * inlined ones included, or the location's mapping file), so a class's
 * share equals the "Showing nodes accounting for" line of an untrimmed
 * report focused on the class's pattern, for any pattern.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "hotspot/hotspot_internal.h"
#include "util/alloc.h"

/* Masks cached per function and per mapping, by array slot. */
typedef struct mask_cache {
	const cv_hotspots *h;
	const cv_profile *p;
	uint64_t *fn;
	uint64_t *map;
} mask_cache;

static uint64_t function_mask(const mask_cache *mc, const cv_function *f)
{
	const cv_profile *p = mc->p;
	if (!f)
		return 0;
	/* Hand-built profiles may point outside the function array. */
	if (p->functions && f >= p->functions && f < p->functions + p->n_functions)
		return mc->fn[f - p->functions];
	return hs_mask(mc->h, f->name) | hs_mask(mc->h, f->filename);
}

static uint64_t mapping_mask(const mask_cache *mc, const cv_mapping *m)
{
	const cv_profile *p = mc->p;
	if (!m)
		return 0;
	if (p->mappings && m >= p->mappings && m < p->mappings + p->n_mappings)
		return mc->map[m - p->mappings];
	return hs_mask(mc->h, m->file);
}

uint64_t *cv_hotspot_location_masks(const cv_hotspots *h, const cv_profile *p)
{
	mask_cache mc = {h, p, calloc(p->n_functions + 1, sizeof(uint64_t)),
			 calloc(p->n_mappings + 1, sizeof(uint64_t))};
	uint64_t *lmask = calloc(p->n_locations + 1, sizeof(*lmask));
	if (mc.fn && mc.map && lmask) {
		for (size_t i = 0; i < p->n_functions; i++)
			mc.fn[i] = hs_mask(h, p->functions[i].name) |
				   hs_mask(h, p->functions[i].filename);
		for (size_t i = 0; i < p->n_mappings; i++)
			mc.map[i] = hs_mask(h, p->mappings[i].file);
		for (size_t i = 0; i < p->n_locations; i++) {
			const cv_location *loc = &p->locations[i];
			lmask[i] = mapping_mask(&mc, loc->mapping);
			for (size_t k = 0; k < loc->n_lines; k++)
				lmask[i] |= function_mask(&mc, loc->lines[k].function);
		}
	} else {
		free(lmask);
		lmask = NULL;
	}
	free(mc.fn);
	free(mc.map);
	return lmask;
}

void cv_hotspot_count_samples(cv_hotspot_share *out, size_t n, const uint64_t *lmask,
			      const cv_profile *p, int sample_index, bool zero_only)
{
	for (size_t i = 0; i < p->n_samples; i++) {
		const cv_sample *s = &p->samples[i];
		int64_t v = s->values[sample_index];
		if (zero_only && v != 0)
			continue;
		uint64_t m = 0;
		for (size_t k = 0; k < s->n_locs; k++)
			if (s->locs[k] < p->n_locations)
				m |= lmask[s->locs[k]];
		for (size_t c = 0; m && c < n; c++, m >>= 1) {
			if (!(m & 1))
				continue;
			out[c].value += v;
			out[c].samples++;
			out[c].any |= v != 0;
		}
	}
}

int cv_hotspot_shares(cv_hotspot_share *out, const cv_hotspots *h,
		      const cv_profile *p, int sample_index)
{
	size_t n = cv_hotspot_count(h);
	if (n == 0)
		return 0;
	memset(out, 0, n * sizeof(*out));
	if (!p || sample_index < 0 || (size_t)sample_index >= p->n_sample_types)
		return cv_error_set(CV_EINVAL, "hotspot shares: sample index %d out of range",
				    sample_index);
	uint64_t *lmask = cv_hotspot_location_masks(h, p);
	if (!lmask)
		return cv_error_nomem();
	cv_hotspot_count_samples(out, n, lmask, p, sample_index, false);
	free(lmask);
	return 0;
}
