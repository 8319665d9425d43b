/*
 * Merging several profiles into one, as go tool pprof merges the sources
 * of one command line: values brought to common units, headers combined
 * (earliest time, summed durations, largest period), then every sample of
 * every profile appended to a fresh profile and the whole compacted, so
 * that equal stacks with equal labels add up and equal mappings,
 * functions and locations are shared. The inputs are left untouched; the
 * result copies what it keeps into its own arena.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "callviz/units.h"
#include "profile/merge_internal.h"
#include "profile/merge_types.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/bytemap.h"
#include "util/goconv.h"

typedef struct builder {
	cv_profile *p;
	cv_arena *a;
	cv_bytemap *strs;          /* interned copies: text -> index in tab */
	const char **tab;
	size_t n_tab, cap_tab;
} builder;

static int oom(void)
{
	return cv_error_nomem();
}

/* The result's copy of s; NULL when out of memory. */
static const char *intern(builder *b, const char *s)
{
	size_t len = strlen(s);
	uint32_t i = cv_bytemap_get(b->strs, s, len);
	if (i != CV_BYTEMAP_NONE)
		return b->tab[i];
	if (CV_GROW(b->tab, b->cap_tab, b->n_tab + 1, 256))
		return NULL;
	char *c = cv_arena_strndup(b->a, s, len);
	if (!c || cv_bytemap_put(b->strs, c, len, (uint32_t)b->n_tab))
		return NULL;
	b->tab[b->n_tab] = c;
	return b->tab[b->n_tab++];
}

bool cv_merge_scale_values(int64_t *values, const double *ratios, size_t n)
{
	bool all_ones = true, keep = false;
	for (size_t i = 0; i < n; i++)
		all_ones = all_ones && ratios[i] == 1;
	if (all_ones)
		return true;
	for (size_t i = 0; i < n; i++) {
		if (ratios[i] == 1)
			continue;
		values[i] = cv_go_int64(round((double)values[i] * ratios[i]));
		keep = keep || values[i] != 0;
	}
	return keep;
}

static int copy_mappings(builder *b, const cv_profile *s)
{
	cv_profile *p = b->p;
	for (size_t i = 0; i < s->n_mappings; i++) {
		cv_mapping *m = &p->mappings[p->n_mappings++];
		*m = s->mappings[i];
		m->file = intern(b, m->file);
		m->build_id = intern(b, m->build_id);
		if (!m->file || !m->build_id)
			return oom();
	}
	return 0;
}

static int copy_functions(builder *b, const cv_profile *s)
{
	cv_profile *p = b->p;
	for (size_t i = 0; i < s->n_functions; i++) {
		cv_function *f = &p->functions[p->n_functions++];
		*f = s->functions[i];
		f->name = intern(b, f->name);
		f->system_name = intern(b, f->system_name);
		f->filename = intern(b, f->filename);
		if (!f->name || !f->system_name || !f->filename)
			return oom();
	}
	return 0;
}

/* Locations, re-aimed at the copies of their mapping and functions. */
static int copy_locations(builder *b, const cv_profile *s, size_t map0, size_t fn0)
{
	cv_profile *p = b->p;
	for (size_t i = 0; i < s->n_locations; i++) {
		const cv_location *src = &s->locations[i];
		cv_location *l = &p->locations[p->n_locations++];
		*l = *src;
		if (src->mapping)
			l->mapping = &p->mappings[map0 + (size_t)(src->mapping - s->mappings)];
		l->lines = src->n_lines ? cv_arena_calloc(b->a, src->n_lines, sizeof(*l->lines)) : NULL;
		if (src->n_lines && !l->lines)
			return oom();
		for (size_t j = 0; j < src->n_lines; j++) {
			const cv_function *f = src->lines[j].function;
			size_t fi = f ? (size_t)(f - s->functions) : s->n_functions;
			l->lines[j].line = src->lines[j].line;
			/* a frame not among the profile's own functions has none */
			l->lines[j].function = fi < s->n_functions ? &p->functions[fn0 + fi] : NULL;
		}
	}
	return 0;
}

/* A sample's labels; a diff base's get pprof::base=true instead of any it had. */
static int copy_labels(builder *b, cv_sample *d, const cv_sample *s, bool mark_base)
{
	d->n_labels = 0;
	d->labels = cv_arena_calloc(b->a, s->n_labels + 1, sizeof(*d->labels));
	if (!d->labels)
		return oom();
	for (size_t i = 0; i < s->n_labels; i++) {
		const cv_label *l = &s->labels[i];
		if (mark_base && l->str && strcmp(l->key, CV_DIFF_BASE_LABEL) == 0)
			continue;
		cv_label *c = &d->labels[d->n_labels++];
		*c = *l;
		c->key = intern(b, l->key);
		c->num_unit = intern(b, l->num_unit ? l->num_unit : "");
		c->str = l->str ? intern(b, l->str) : NULL;
		if (!c->key || !c->num_unit || (l->str && !c->str))
			return oom();
	}
	if (mark_base) {
		cv_label *c = &d->labels[d->n_labels++];
		c->key = intern(b, CV_DIFF_BASE_LABEL);
		c->str = intern(b, "true");
		c->num_unit = intern(b, "");
		if (!c->key || !c->str || !c->num_unit)
			return oom();
	}
	return 0;
}

static int copy_samples(builder *b, const cv_merge_input *in, const double *ratios,
			size_t loc0)
{
	cv_profile *p = b->p;
	const cv_profile *s = in->p;
	size_t nt = p->n_sample_types;
	for (size_t i = 0; i < s->n_samples; i++) {
		const cv_sample *src = &s->samples[i];
		cv_sample *d = &p->samples[p->n_samples];
		d->values = cv_arena_calloc(b->a, nt + 1, sizeof(*d->values));
		d->locs = cv_arena_calloc(b->a, src->n_locs + 1, sizeof(*d->locs));
		if (!d->values || !d->locs)
			return oom();
		memcpy(d->values, src->values, nt * sizeof(*d->values));
		/* pprof scales each profile as a whole before merging: the -normalize
		 * or -base factor first, then the units, each dropping the samples
		 * it zeroes. */
		if (in->pre && !cv_merge_scale_values(d->values, in->pre, nt))
			continue;
		if (!cv_merge_scale_values(d->values, ratios, nt))
			continue;
		d->n_locs = src->n_locs;
		for (size_t j = 0; j < src->n_locs; j++)
			d->locs[j] = (uint32_t)(loc0 + src->locs[j]);
		int rc = copy_labels(b, d, src, in->mark_base);
		if (rc)
			return rc;
		p->n_samples++;
	}
	return 0;
}

static int append_input(builder *b, const cv_merge_input *in, const cv_merge_units_result *u)
{
	cv_profile *p = b->p;
	const cv_profile *s = in->p;
	size_t map0 = p->n_mappings, fn0 = p->n_functions, loc0 = p->n_locations;
	double *ratios = calloc(p->n_sample_types + 1, sizeof(*ratios));
	if (!ratios)
		return oom();
	for (size_t i = 0; i < p->n_sample_types; i++)
		ratios[i] = cv_merge_unit_ratio(u, s, i);
	int rc = copy_mappings(b, s);
	if (!rc)
		rc = copy_functions(b, s);
	if (!rc)
		rc = copy_locations(b, s, map0, fn0);
	if (!rc)
		rc = copy_samples(b, in, ratios, loc0);
	free(ratios);
	for (size_t i = 0; !rc && i < s->n_comments; i++) {
		const char *c = intern(b, s->comments[i]);
		if (!c)
			return oom();
		p->comments[p->n_comments++] = c;
	}
	return rc;
}

static const char *unit_or(const cv_value_type *common, const char *own)
{
	return common ? common->unit : own;
}

/* pprof's combineHeaders, on the inputs brought to their common units. */
static int combine_headers(builder *b, const cv_merge_input *in, size_t n,
			   const cv_merge_units_result *u)
{
	cv_profile *p = b->p;
	const cv_profile *first = in[0].p;
	p->n_sample_types = first->n_sample_types;
	p->sample_types = cv_arena_calloc(b->a, p->n_sample_types + 1, sizeof(*p->sample_types));
	if (!p->sample_types)
		return oom();
	for (size_t i = 0; i < p->n_sample_types; i++) {
		p->sample_types[i].type = intern(b, first->sample_types[i].type);
		p->sample_types[i].unit = intern(b, unit_or(u->types[i], first->sample_types[i].unit));
	}
	p->period_type.type = intern(b, first->period_type.type);
	p->period_type.unit = intern(b, unit_or(u->period, first->period_type.unit));
	p->drop_frames = intern(b, first->drop_frames);
	p->keep_frames = intern(b, first->keep_frames);
	const char *dst = "";
	for (size_t k = 0; k < n; k++) {
		const cv_profile *s = in[k].p;
		int64_t period = s->period;
		if (u->period)
			period = cv_go_int64(cv_unit_scale(period, s->period_type.unit, u->period->unit, NULL));
		/* the first time, then any earlier one, zero included, as pprof has it */
		if (p->time_nanos == 0 || s->time_nanos < p->time_nanos)
			p->time_nanos = s->time_nanos;
		p->duration_nanos = (int64_t)((uint64_t)p->duration_nanos + (uint64_t)s->duration_nanos);
		if (p->period == 0 || p->period < period)
			p->period = period;
		if (!dst[0])
			dst = s->default_sample_type;
	}
	p->default_sample_type = intern(b, dst);
	if (!p->period_type.type || !p->period_type.unit || !p->drop_frames ||
	    !p->keep_frames || !p->default_sample_type)
		return oom();
	for (size_t i = 0; i < p->n_sample_types; i++)
		if (!p->sample_types[i].type || !p->sample_types[i].unit)
			return oom();
	return 0;
}

/* Room for every input's entities; compaction shrinks them afterwards. */
static int reserve(builder *b, const cv_merge_input *in, size_t n)
{
	size_t maps = 0, fns = 0, locs = 0, samples = 0, comments = 0;
	for (size_t k = 0; k < n; k++) {
		maps += in[k].p->n_mappings;
		fns += in[k].p->n_functions;
		locs += in[k].p->n_locations;
		samples += in[k].p->n_samples;
		comments += in[k].p->n_comments;
	}
	if (locs >= UINT32_MAX || samples >= UINT32_MAX)
		return cv_error_set(CV_EFORMAT, "merged profile too large");
	cv_profile *p = b->p;
	p->mappings = cv_arena_calloc(b->a, maps + 1, sizeof(*p->mappings));
	p->functions = cv_arena_calloc(b->a, fns + 1, sizeof(*p->functions));
	p->locations = cv_arena_calloc(b->a, locs + 1, sizeof(*p->locations));
	p->samples = cv_arena_calloc(b->a, samples + 1, sizeof(*p->samples));
	p->comments = cv_arena_calloc(b->a, comments + 1, sizeof(*p->comments));
	if (!p->mappings || !p->functions || !p->locations || !p->samples || !p->comments)
		return oom();
	return 0;
}

static int build(builder *b, const cv_merge_input *in, size_t n)
{
	const cv_profile **ps = calloc(n, sizeof(*ps));
	if (!ps)
		return oom();
	for (size_t k = 0; k < n; k++)
		ps[k] = in[k].p;
	cv_merge_units_result u;
	int rc = cv_merge_units(&u, ps, n);
	free(ps);
	if (rc)
		return rc;
	rc = combine_headers(b, in, n, &u);
	if (!rc)
		rc = reserve(b, in, n);
	for (size_t k = 0; !rc && k < n; k++)
		rc = append_input(b, &in[k], &u);
	cv_merge_units_free(&u);
	if (!rc)
		rc = cv_profile_compact(b->p);
	if (!rc)
		rc = cv_profile_check_limits(b->p);
	return rc;
}

int cv_merge_inputs(cv_profile **out, const cv_merge_input *in, size_t n)
{
	*out = NULL;
	if (n == 0)
		return cv_error_set(CV_EINVAL, "no profiles to merge");
	builder b = {0};
	b.a = cv_arena_new();
	b.strs = cv_bytemap_new();
	b.p = b.a ? cv_arena_alloc(b.a, sizeof(*b.p)) : NULL;
	int rc = b.p && b.strs ? 0 : oom();
	if (!rc) {
		b.p->arena = b.a;
		rc = build(&b, in, n);
	}
	cv_bytemap_free(b.strs);
	free(b.tab);
	if (rc) {
		cv_arena_free(b.a);
		return rc;
	}
	*out = b.p;
	return 0;
}

int cv_profile_merge(cv_profile **out, const cv_profile *const *srcs, size_t n)
{
	cv_merge_input *in = calloc(n + 1, sizeof(*in));
	if (!in)
		return oom();
	for (size_t k = 0; k < n; k++)
		in[k].p = srcs[k];
	int rc = cv_merge_inputs(out, in, n);
	free(in);
	return rc;
}

int cv_profile_compatible(const cv_profile *a, const cv_profile *b)
{
	const cv_profile *ps[2] = {a, b};
	cv_merge_units_result u;
	int rc = cv_merge_units(&u, ps, 2);
	if (!rc)
		cv_merge_units_free(&u);
	return rc;
}
