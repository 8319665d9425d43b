/*
 * Limits checked on a decoded profile: the work every report does per frame,
 * and value sums that must fit in 64 bits. See limits.h for the numbers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "callviz/error.h"
#include "profile/limits.h"

const char *cv_format_size(char *buf, size_t size, size_t bytes)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
	size_t u = 0;
	while (u < 4 && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, size, "%zu %s", bytes, units[u]);
	return buf;
}

void cv_profile_parse_options_init(cv_profile_parse_options *o)
{
	memset(o, 0, sizeof(*o));
	o->version = CV_PROFILE_PARSE_OPTIONS_VERSION;
	o->max_bytes = CV_MAX_BYTES_DEFAULT;
}

/*
 * Every graph pass walks each sample's frames, inlined ones included; a
 * location with many lines named by many samples multiplies the work far
 * beyond the file's size, so frames are counted, not location ids.
 */
static int count_frames(const cv_profile *p)
{
	uint64_t all = 0;
	for (size_t i = 0; i < p->n_samples; i++) {
		const cv_sample *s = &p->samples[i];
		uint64_t frames = 0;
		for (size_t j = 0; j < s->n_locs; j++) {
			size_t n = p->locations[s->locs[j]].n_lines;
			frames += n ? n : 1;
		}
		if (frames > CV_MAX_DEPTH)
			return cv_error_set(CV_EFORMAT,
					    "sample %zu has a stack of %" PRIu64
					    " frames, over the %" PRIu64 " limit", i, frames,
					    CV_MAX_DEPTH);
		all += frames;
		if (all > CV_MAX_FRAMES)
			return cv_error_set(CV_EFORMAT,
					    "samples have more than %" PRIu64
					    " frames in all, a limit no real profile reaches",
					    CV_MAX_FRAMES);
	}
	return 0;
}

/*
 * Counting every frame reads a location per frame. Bounding first (each
 * location as deep as the deepest) needs one look per sample, and real
 * profiles are orders of magnitude under the limits; only a profile the
 * bound cannot clear is counted exactly.
 */
static int check_frames(const cv_profile *p)
{
	uint64_t lines = 1, locs = 0, deepest = 0;
	for (size_t i = 0; i < p->n_locations; i++)
		if (p->locations[i].n_lines > lines)
			lines = p->locations[i].n_lines;
	for (size_t i = 0; i < p->n_samples; i++) {
		locs += p->samples[i].n_locs;
		if (p->samples[i].n_locs > deepest)
			deepest = p->samples[i].n_locs;
	}
	if (deepest <= CV_MAX_DEPTH / lines && locs <= CV_MAX_FRAMES / lines)
		return 0;
	return count_frames(p);
}

/*
 * Flat, cum, edge weights and totals are sums of subsets of one value
 * type's samples, so if the sum of |value| fits in int64 every one of them
 * does. go tool pprof would wrap around silently; callviz refuses, since
 * a wrapped total would print confidently wrong numbers.
 */
static int check_sums(const cv_profile *p)
{
	for (size_t t = 0; t < p->n_sample_types; t++) {
		uint64_t sum = 0;
		for (size_t i = 0; i < p->n_samples; i++) {
			int64_t v = p->samples[i].values[t];
			uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
			if (mag > (uint64_t)INT64_MAX - sum)
				return cv_error_set(CV_EFORMAT,
						    "values of sample type %zu (%s) overflow 64 bits "
						    "when summed (at sample %zu)",
						    t, p->sample_types[t].type, i);
			sum += mag;
		}
	}
	return 0;
}

int cv_profile_check_limits(const cv_profile *p)
{
	int rc = check_frames(p);
	return rc ? rc : check_sums(p);
}
