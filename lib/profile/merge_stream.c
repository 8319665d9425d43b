/*
 * Merging profiles one at a time, as go tool pprof's Merge walks its
 * sources: each profile's samples are folded into a running result the
 * moment it is added, so the caller can free it right after and only the
 * merged profile stays in memory however many sources there are.
 *
 * The result is the one cv_merge_inputs gives (appending every profile and
 * compacting the whole): zero samples are skipped, mappings, functions and
 * locations are shared by value and numbered in order of first use (the
 * first profile's first mapping first), samples with equal locations and
 * labels add up, in order of first appearance, comments repeat once. A
 * sample whose values add up to zero is left to one more compaction at
 * the end, as pprof merges once more then.
 *
 * Locations refer to mappings and functions by pointer, and the tables
 * grow as profiles come: while merging they hold indexes, and pointers are
 * set when the profile is made.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "callviz/units.h"
#include "profile/merge_internal.h"
#include "profile/sample_key.h"
#include "util/arena.h"
#include "util/bytemap.h"

#define NONE UINT32_MAX

/* Open addressing over entry indexes, with each entry's hash beside it. */
typedef struct slot {
	uint32_t idx;           /* index + 1; 0 is free */
	uint32_t hash;
} slot;

typedef struct table {
	slot *slots;
	size_t mask, used;
} table;

/* A location while merging: its mapping and functions as indexes. */
typedef struct loc_rec {
	uint64_t address;       /* shifted to the merged mapping */
	uint64_t key_addr;      /* relative to the mapping's start */
	uint32_t mapping;       /* NONE: no mapping */
	uint32_t n_lines;
	uint32_t lines;         /* first in line_fn / line_no */
	bool is_folded;
} loc_rec;

struct cv_merge_stream {
	cv_profile *p;
	cv_arena *a;
	cv_bytemap *strs;       /* interned copies: text -> index in tab */
	const char **tab;
	size_t n_tab, cap_tab;
	cv_bytemap *comment_seen;
	bool started;

	cv_mapping *maps;
	size_t n_maps, cap_maps;
	cv_function *fns;
	size_t n_fns, cap_fns;
	loc_rec *locs;
	size_t n_locs, cap_locs;
	uint32_t *line_fn;
	int64_t *line_no;
	size_t n_line, cap_line;
	cv_sample *samples;
	size_t n_samples, cap_samples;
	size_t n_comments, cap_comments;
	const char **comments;
	table t_maps, t_fns, t_locs, t_samples;

	/* Per input profile: its entities' places in the result. */
	uint32_t *map_of;
	int64_t *map_shift;
	size_t cap_map_of;
	uint32_t *fn_of;
	size_t cap_fn_of;
	uint32_t *loc_of;
	size_t cap_loc_of;
	/* One sample being looked up. */
	uint32_t *s_locs;
	size_t cap_s_locs;
	cv_label *s_labels;
	size_t cap_s_labels;
	int64_t *s_values;
	/* Sizes of every input as appended, for the limit of the whole. */
	uint64_t total_locs, total_samples;
};

static int oom(void)
{
	return cv_error_set(CV_ENOMEM, "out of memory");
}

/* Make room for `need` elements of `size` bytes at *arr (capacity *cap). */
static int grow(void *arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	void *n = realloc(*(void **)arr, c * size);
	if (!n)
		return CV_ENOMEM;
	*(void **)arr = n;
	*cap = c;
	return 0;
}

/* ---- hashing ---- */

/* A string's hash, eight bytes at a time (for the long names of functions
 * and files, looked up once per profile each). */
static uint64_t hash_str(const char *s)
{
	size_t n = strlen(s);
	uint64_t h = 0x84222325cbf29ce4ULL ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x9fb21c651e98df25ULL;
		h ^= h >> 29;
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0x9fb21c651e98df25ULL;
	return h ^ (h >> 32);
}

static uint32_t fold32(uint64_t h)
{
	return (uint32_t)(h ^ (h >> 32));
}

/* ---- the tables ---- */

static int table_grow(table *t)
{
	size_t cap = t->slots ? 2 * (t->mask + 1) : 64;
	slot *s = calloc(cap, sizeof(*s));
	if (!s)
		return CV_ENOMEM;
	size_t mask = cap - 1;
	if (t->slots)
		for (size_t i = 0; i <= t->mask; i++) {
			if (!t->slots[i].idx)
				continue;
			size_t j = t->slots[i].hash & mask;
			while (s[j].idx)
				j = (j + 1) & mask;
			s[j] = t->slots[i];
		}
	free(t->slots);
	t->slots = s;
	t->mask = mask;
	return 0;
}

typedef bool (*eq_fn)(const cv_merge_stream *m, uint32_t idx, const void *probe);

/* The slot holding an entry equal to `probe`, or the free one for it; NULL
 * when out of memory. A free slot returned is taken: fill it. */
static slot *table_find(const cv_merge_stream *m, table *t, uint32_t h, eq_fn eq,
			const void *probe)
{
	if (!t->slots || 2 * (t->used + 1) > t->mask + 1)
		if (table_grow(t))
			return NULL;
	for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
		slot *s = &t->slots[i];
		if (!s->idx) {
			s->hash = h;
			t->used++;
			return s;
		}
		if (s->hash == h && eq(m, s->idx - 1, probe))
			return s;
	}
}

/* The result's copy of s; NULL when out of memory. */
static const char *intern(cv_merge_stream *m, const char *s)
{
	size_t len = strlen(s);
	uint32_t i = cv_bytemap_get(m->strs, s, len);
	if (i != CV_BYTEMAP_NONE)
		return m->tab[i];
	if (grow(&m->tab, &m->cap_tab, m->n_tab + 1, sizeof(*m->tab)))
		return NULL;
	char *c = cv_arena_strndup(m->a, s, len);
	if (!c || cv_bytemap_put(m->strs, c, len, (uint32_t)m->n_tab))
		return NULL;
	m->tab[m->n_tab] = c;
	return m->tab[m->n_tab++];
}

/* ---- mappings: same size (rounded to 4 KiB), offset and identity ---- */

static uint64_t map_size(const cv_mapping *mp)
{
	uint64_t size = mp->limit - mp->start + 0xfff;
	return size - size % 0x1000;
}

static const char *map_identity(const cv_mapping *mp)
{
	return mp->build_id[0] ? mp->build_id : mp->file;
}

static bool map_eq(const cv_merge_stream *m, uint32_t idx, const void *probe)
{
	const cv_mapping *a = &m->maps[idx], *b = probe;
	return map_size(a) == map_size(b) && a->offset == b->offset &&
	       strcmp(map_identity(a), map_identity(b)) == 0;
}

static uint32_t map_mapping(cv_merge_stream *m, const cv_profile *src, size_t old)
{
	if (m->map_of[old] != NONE)
		return m->map_of[old];
	const cv_mapping *sm = &src->mappings[old];
	uint64_t h = cv_hash_mix(cv_hash_mix(cv_hash_mix(0, map_size(sm)), hash_str(map_identity(sm))), sm->offset);
	slot *s = table_find(m, &m->t_maps, fold32(h), map_eq, sm);
	if (!s)
		return NONE;
	if (s->idx) {
		uint32_t idx = s->idx - 1;
		m->map_shift[old] = (int64_t)(m->maps[idx].start - sm->start);
		return m->map_of[old] = idx;
	}
	if (grow(&m->maps, &m->cap_maps, m->n_maps + 1, sizeof(*m->maps)))
		return NONE;
	uint32_t idx = (uint32_t)m->n_maps;
	cv_mapping *d = &m->maps[idx];
	*d = *sm;
	d->id = idx + 1;
	d->file = intern(m, sm->file);
	d->build_id = intern(m, sm->build_id);
	if (!d->file || !d->build_id)
		return NONE;
	m->n_maps++;
	s->idx = idx + 1;
	m->map_shift[old] = 0;
	return m->map_of[old] = idx;
}

/* ---- functions: same name, system name, file and start line ---- */

static bool fn_eq(const cv_merge_stream *m, uint32_t idx, const void *probe)
{
	const cv_function *a = &m->fns[idx], *b = probe;
	return a->start_line == b->start_line && strcmp(a->name, b->name) == 0 &&
	       strcmp(a->system_name, b->system_name) == 0 &&
	       strcmp(a->filename, b->filename) == 0;
}

/* The function's index in the result; NONE for a line without one (or
 * one not among the profile's own: merge.c leaves those out too); and
 * NONE - 1 when out of memory. */
static uint32_t map_function(cv_merge_stream *m, const cv_profile *src, const cv_function *f)
{
	size_t old = f ? (size_t)(f - src->functions) : src->n_functions;
	if (!f || old >= src->n_functions)
		return NONE;
	if (m->fn_of[old] != NONE)
		return m->fn_of[old];
	uint64_t hn = hash_str(f->name);
	uint64_t hs = f->system_name == f->name ? hn : hash_str(f->system_name);
	uint64_t h = cv_hash_mix(cv_hash_mix(cv_hash_mix(cv_hash_mix(0, hn), hs), hash_str(f->filename)), (uint64_t)f->start_line);
	slot *s = table_find(m, &m->t_fns, fold32(h), fn_eq, f);
	if (!s)
		return NONE - 1;
	if (!s->idx) {
		if (grow(&m->fns, &m->cap_fns, m->n_fns + 1, sizeof(*m->fns)))
			return NONE - 1;
		cv_function *d = &m->fns[m->n_fns];
		*d = *f;
		d->id = m->n_fns + 1;
		d->name = intern(m, f->name);
		d->system_name = intern(m, f->system_name);
		d->filename = intern(m, f->filename);
		if (!d->name || !d->system_name || !d->filename)
			return NONE - 1;
		s->idx = (uint32_t)++m->n_fns;
	}
	return m->fn_of[old] = s->idx - 1;
}

/* ---- locations: same mapping, relative address, lines and fold mark ---- */

/* A location looked up: the record, its lines in the scratch arrays. */
typedef struct loc_probe {
	loc_rec r;
	const uint32_t *fn;
	const int64_t *no;
} loc_probe;

static bool loc_eq(const cv_merge_stream *m, uint32_t idx, const void *probe)
{
	const loc_rec *a = &m->locs[idx];
	const loc_probe *b = probe;
	if (a->mapping != b->r.mapping || a->key_addr != b->r.key_addr ||
	    a->is_folded != b->r.is_folded || a->n_lines != b->r.n_lines)
		return false;
	for (size_t i = 0; i < a->n_lines; i++)
		if (m->line_fn[a->lines + i] != b->fn[i] || m->line_no[a->lines + i] != b->no[i])
			return false;
	return true;
}

static uint32_t map_location(cv_merge_stream *m, const cv_profile *src, uint32_t old)
{
	const cv_location *sl = &src->locations[old];
	loc_probe pr = {.r = {.mapping = NONE, .address = sl->address, .is_folded = sl->is_folded,
			      .n_lines = (uint32_t)sl->n_lines}};
	if (sl->mapping) {
		size_t mo = (size_t)(sl->mapping - src->mappings);
		uint32_t mi = map_mapping(m, src, mo);
		if (mi == NONE)
			return NONE;
		pr.r.mapping = mi;
		pr.r.address = (uint64_t)((int64_t)sl->address + m->map_shift[mo]);
		pr.r.key_addr = pr.r.address - m->maps[mi].start;
	} else {
		pr.r.key_addr = sl->address;
	}
	/* The lines go where a new location's would: at the end of the arrays. */
	if (m->n_line + sl->n_lines + 1 > m->cap_line) {
		size_t cap = m->cap_line;
		if (grow(&m->line_fn, &cap, m->n_line + sl->n_lines + 1, sizeof(*m->line_fn)))
			return NONE;
		int64_t *no = realloc(m->line_no, cap * sizeof(*no));
		if (!no)
			return NONE;
		m->line_no = no;
		m->cap_line = cap;
	}
	for (size_t i = 0; i < sl->n_lines; i++) {
		uint32_t f = map_function(m, src, sl->lines[i].function);
		if (f == NONE - 1)
			return NONE;
		m->line_fn[m->n_line + i] = f;
		m->line_no[m->n_line + i] = sl->lines[i].line;
	}
	pr.fn = m->line_fn + m->n_line;
	pr.no = m->line_no + m->n_line;
	uint64_t h = cv_hash_mix(cv_hash_mix(cv_hash_mix(0, pr.r.key_addr),
			     pr.r.mapping == NONE ? 0 : (uint64_t)pr.r.mapping + 1), pr.r.is_folded);
	for (size_t i = 0; i < sl->n_lines; i++)
		h = cv_hash_mix(cv_hash_mix(h, pr.fn[i] == NONE ? 0 : (uint64_t)pr.fn[i] + 1), (uint64_t)pr.no[i]);
	slot *s = table_find(m, &m->t_locs, fold32(h), loc_eq, &pr);
	if (!s)
		return NONE;
	if (!s->idx) {
		if (grow(&m->locs, &m->cap_locs, m->n_locs + 1, sizeof(*m->locs)))
			return NONE;
		pr.r.lines = (uint32_t)m->n_line;
		m->n_line += sl->n_lines;
		m->locs[m->n_locs] = pr.r;
		s->idx = (uint32_t)++m->n_locs;
	}
	return m->loc_of[old] = s->idx - 1;
}

/* ---- samples: same locations and the same labels ---- */

static bool sample_eq(const cv_merge_stream *m, uint32_t idx, const void *probe)
{
	return cv_sample_key_eq(&m->samples[idx], probe);
}

static bool is_zero(const int64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] != 0)
			return false;
	return true;
}

/* A new sample of the result, copied into its arena. */
static int add_sample(cv_merge_stream *m, const cv_sample *s, slot *sl)
{
	size_t nt = m->p->n_sample_types;
	if (grow(&m->samples, &m->cap_samples, m->n_samples + 1, sizeof(*m->samples)))
		return oom();
	cv_sample *d = &m->samples[m->n_samples];
	d->n_locs = s->n_locs;
	d->n_labels = s->n_labels;
	d->values = cv_arena_alloc(m->a, (nt + 1) * sizeof(*d->values));
	d->locs = cv_arena_alloc(m->a, (s->n_locs + 1) * sizeof(*d->locs));
	d->labels = s->n_labels ? cv_arena_alloc(m->a, s->n_labels * sizeof(*d->labels)) : NULL;
	if (!d->values || !d->locs || (s->n_labels && !d->labels))
		return oom();
	memcpy(d->values, s->values, nt * sizeof(*d->values));
	if (s->n_locs)
		memcpy(d->locs, s->locs, s->n_locs * sizeof(*d->locs));
	for (size_t i = 0; i < s->n_labels; i++) {
		const cv_label *l = &s->labels[i];
		cv_label *c = &d->labels[i];
		*c = *l;
		c->key = intern(m, l->key);
		c->num_unit = intern(m, l->num_unit);
		c->str = l->str ? intern(m, l->str) : NULL;
		if (!c->key || !c->num_unit || (l->str && !c->str))
			return oom();
	}
	sl->idx = (uint32_t)++m->n_samples;
	return 0;
}

/* One sample of `src`, its values already scaled. */
static int merge_sample(cv_merge_stream *m, const cv_profile *src, const cv_sample *s,
			const int64_t *values)
{
	size_t nt = m->p->n_sample_types;
	if (grow(&m->s_locs, &m->cap_s_locs, s->n_locs + 1, sizeof(*m->s_locs)) ||
	    grow(&m->s_labels, &m->cap_s_labels, s->n_labels + 1, sizeof(*m->s_labels)))
		return oom();
	for (size_t i = 0; i < s->n_locs; i++) {
		uint32_t idx = m->loc_of[s->locs[i]];
		if (idx == NONE && (idx = map_location(m, src, s->locs[i])) == NONE)
			return oom();
		m->s_locs[i] = idx;
	}
	for (size_t i = 0; i < s->n_labels; i++) {
		m->s_labels[i] = s->labels[i];
		if (!m->s_labels[i].num_unit)
			m->s_labels[i].num_unit = "";
	}
	cv_labels_sort(m->s_labels, s->n_labels);
	cv_sample probe = {.locs = m->s_locs, .n_locs = s->n_locs, .values = (int64_t *)values,
			   .labels = m->s_labels, .n_labels = s->n_labels};
	slot *sl = table_find(m, &m->t_samples, fold32(cv_sample_key_hash(&probe)), sample_eq, &probe);
	if (!sl)
		return oom();
	if (!sl->idx)
		return add_sample(m, &probe, sl);
	int64_t *into = m->samples[sl->idx - 1].values;
	for (size_t i = 0; i < nt; i++)
		into[i] = (int64_t)((uint64_t)into[i] + (uint64_t)values[i]);
	return 0;
}

/* ---- headers ---- */

/* Go's int64(f): out of range gives the "integer indefinite" value. */
static int64_t go_int64(double f)
{
	if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0))
		return INT64_MIN;
	return (int64_t)f;
}

/* The first profile's types, in the common units; its frame filters. */
static int start_headers(cv_merge_stream *m, const cv_profile *s, const cv_merge_stream_units *u)
{
	cv_profile *p = m->p;
	p->n_sample_types = s->n_sample_types;
	p->sample_types = cv_arena_calloc(m->a, p->n_sample_types + 1, sizeof(*p->sample_types));
	if (!p->sample_types)
		return oom();
	for (size_t i = 0; i < p->n_sample_types; i++) {
		p->sample_types[i].type = intern(m, s->sample_types[i].type);
		p->sample_types[i].unit = intern(m, u->types ? u->types[i] : s->sample_types[i].unit);
		if (!p->sample_types[i].type || !p->sample_types[i].unit)
			return oom();
	}
	p->period_type.type = intern(m, s->period_type.type);
	p->period_type.unit = intern(m, u->period ? u->period : s->period_type.unit);
	p->drop_frames = intern(m, s->drop_frames);
	p->keep_frames = intern(m, s->keep_frames);
	p->default_sample_type = intern(m, "");
	if (!p->period_type.type || !p->period_type.unit || !p->drop_frames || !p->keep_frames ||
	    !p->default_sample_type)
		return oom();
	m->s_values = cv_arena_calloc(m->a, p->n_sample_types + 1, sizeof(*m->s_values));
	return m->s_values ? 0 : oom();
}

/* pprof's combineHeaders, one profile at a time. */
static int add_headers(cv_merge_stream *m, const cv_profile *s, const cv_merge_stream_units *u)
{
	cv_profile *p = m->p;
	int64_t period = s->period;
	if (u->period)
		period = go_int64(cv_unit_scale(period, s->period_type.unit, u->period, NULL));
	/* the first time, then any earlier one, zero included, as pprof has it */
	if (p->time_nanos == 0 || s->time_nanos < p->time_nanos)
		p->time_nanos = s->time_nanos;
	p->duration_nanos = (int64_t)((uint64_t)p->duration_nanos + (uint64_t)s->duration_nanos);
	if (p->period == 0 || p->period < period)
		p->period = period;
	if (!p->default_sample_type[0] && s->default_sample_type[0] &&
	    !(p->default_sample_type = intern(m, s->default_sample_type)))
		return oom();
	for (size_t i = 0; i < s->n_comments; i++) {
		const char *c = s->comments[i];
		size_t len = strlen(c);
		if (cv_bytemap_get(m->comment_seen, c, len) != CV_BYTEMAP_NONE)
			continue;
		const char *k = intern(m, c);
		if (!k || grow(&m->comments, &m->cap_comments, m->n_comments + 1,
			       sizeof(*m->comments)) ||
		    cv_bytemap_put(m->comment_seen, k, len, 0))
			return oom();
		m->comments[m->n_comments++] = k;
	}
	return 0;
}

/* ---- the stream ---- */

int cv_merge_stream_new(cv_merge_stream **out)
{
	*out = NULL;
	cv_merge_stream *m = calloc(1, sizeof(*m));
	if (!m)
		return oom();
	m->a = cv_arena_new();
	m->strs = cv_bytemap_new();
	m->comment_seen = cv_bytemap_new();
	m->p = m->a ? cv_arena_calloc(m->a, 1, sizeof(*m->p)) : NULL;
	if (!m->p || !m->strs || !m->comment_seen) {
		cv_merge_stream_free(m);
		return oom();
	}
	m->p->arena = m->a;
	*out = m;
	return 0;
}

static int reset_maps(cv_merge_stream *m, const cv_profile *s)
{
	if (grow(&m->map_of, &m->cap_map_of, s->n_mappings + 1, sizeof(*m->map_of)))
		return oom();
	int64_t *shift = realloc(m->map_shift, m->cap_map_of * sizeof(*shift));
	if (!shift)
		return oom();
	m->map_shift = shift;
	if (grow(&m->fn_of, &m->cap_fn_of, s->n_functions + 1, sizeof(*m->fn_of)) ||
	    grow(&m->loc_of, &m->cap_loc_of, s->n_locations + 1, sizeof(*m->loc_of)))
		return oom();
	memset(m->map_of, 0xff, (s->n_mappings + 1) * sizeof(*m->map_of));
	memset(m->fn_of, 0xff, (s->n_functions + 1) * sizeof(*m->fn_of));
	memset(m->loc_of, 0xff, (s->n_locations + 1) * sizeof(*m->loc_of));
	return 0;
}

int cv_merge_stream_add(cv_merge_stream *m, const cv_profile *s, const double *ratios,
			const cv_merge_stream_units *u)
{
	int rc = 0;
	if (!m->started) {
		rc = start_headers(m, s, u);
		m->started = true;
	} else if (s->n_sample_types != m->p->n_sample_types) {
		return cv_error_set(CV_EFORMAT, "different numbers of sample types: %zu and %zu",
				    m->p->n_sample_types, s->n_sample_types);
	}
	if (!rc)
		rc = add_headers(m, s, u);
	if (!rc)
		rc = reset_maps(m, s);
	if (rc)
		return rc;
	m->total_locs += s->n_locations;
	m->total_samples += s->n_samples;
	/* The first profile's first mapping is the main binary: it comes first. */
	if (m->n_maps == 0 && s->n_mappings > 0 && map_mapping(m, s, 0) == NONE)
		return oom();
	size_t nt = m->p->n_sample_types;
	for (size_t i = 0; i < s->n_samples; i++) {
		const cv_sample *smp = &s->samples[i];
		const int64_t *v = smp->values;
		if (ratios) {
			memcpy(m->s_values, v, nt * sizeof(*v));
			/* pprof's ScaleN drops the samples it zeroes */
			if (!cv_merge_scale_values(m->s_values, ratios, nt))
				continue;
			v = m->s_values;
		}
		if (is_zero(v, nt))
			continue;
		rc = merge_sample(m, s, smp, v);
		if (rc)
			return rc;
	}
	return 0;
}

/* Lay the tables out as the profile's arrays, pointers set. */
static int make_profile(cv_merge_stream *m)
{
	cv_profile *p = m->p;
	cv_arena *a = m->a;
	p->mappings = cv_arena_calloc(a, m->n_maps + 1, sizeof(*p->mappings));
	p->functions = cv_arena_calloc(a, m->n_fns + 1, sizeof(*p->functions));
	p->locations = cv_arena_calloc(a, m->n_locs + 1, sizeof(*p->locations));
	p->comments = cv_arena_calloc(a, m->n_comments + 1, sizeof(*p->comments));
	if (!p->mappings || !p->functions || !p->locations || !p->comments)
		return oom();
	if (m->n_maps)
		memcpy(p->mappings, m->maps, m->n_maps * sizeof(*p->mappings));
	if (m->n_fns)
		memcpy(p->functions, m->fns, m->n_fns * sizeof(*p->functions));
	if (m->n_comments)
		memcpy(p->comments, m->comments, m->n_comments * sizeof(*p->comments));
	p->n_mappings = m->n_maps;
	p->n_functions = m->n_fns;
	p->n_comments = m->n_comments;
	cv_line *lines = cv_arena_calloc(a, m->n_line + 1, sizeof(*lines));
	if (!lines)
		return oom();
	for (size_t i = 0; i < m->n_locs; i++) {
		const loc_rec *r = &m->locs[i];
		cv_location *l = &p->locations[i];
		l->id = i + 1;
		l->mapping = r->mapping == NONE ? NULL : &p->mappings[r->mapping];
		l->address = r->address;
		l->is_folded = r->is_folded;
		l->n_lines = r->n_lines;
		l->lines = r->n_lines ? lines + r->lines : NULL;
		for (size_t j = 0; j < r->n_lines; j++) {
			uint32_t f = m->line_fn[r->lines + j];
			l->lines[j].function = f == NONE ? NULL : &p->functions[f];
			l->lines[j].line = m->line_no[r->lines + j];
		}
	}
	p->n_locations = m->n_locs;
	if (grow(&m->samples, &m->cap_samples, m->n_samples + 1, sizeof(*m->samples)) ||
	    cv_arena_adopt(a, m->samples))
		return oom();
	p->samples = m->samples;
	p->n_samples = m->n_samples;
	m->samples = NULL;
	m->cap_samples = 0;
	return 0;
}

int cv_merge_stream_finish(cv_merge_stream *m, cv_profile **out)
{
	*out = NULL;
	if (!m->started)
		return cv_error_set(CV_EINVAL, "no profiles to merge");
	if (m->total_locs >= UINT32_MAX || m->total_samples >= UINT32_MAX)
		return cv_error_set(CV_EFORMAT, "merged profile too large");
	int rc = make_profile(m);
	if (rc)
		return rc;
	/* Samples that added up to zero: pprof merges the result once more. */
	bool zero = false;
	for (size_t i = 0; !zero && i < m->p->n_samples; i++)
		zero = is_zero(m->p->samples[i].values, m->p->n_sample_types);
	if (zero && (rc = cv_profile_compact(m->p)) != 0)
		return rc;
	if ((rc = cv_profile_check_limits(m->p)) != 0)
		return rc;
	*out = m->p;
	m->p = NULL;
	m->a = NULL;
	return 0;
}

void cv_merge_stream_free(cv_merge_stream *m)
{
	if (!m)
		return;
	cv_arena_free(m->a);
	cv_bytemap_free(m->strs);
	cv_bytemap_free(m->comment_seen);
	free(m->tab);
	free(m->maps);
	free(m->fns);
	free(m->locs);
	free(m->line_fn);
	free(m->line_no);
	free(m->samples);
	free(m->comments);
	free(m->t_maps.slots);
	free(m->t_fns.slots);
	free(m->t_locs.slots);
	free(m->t_samples.slots);
	free(m->map_of);
	free(m->map_shift);
	free(m->fn_of);
	free(m->loc_of);
	free(m->s_locs);
	free(m->s_labels);
	free(m);
}
