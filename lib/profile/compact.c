/*
 * Compaction: go tool pprof runs every profile it loads through its merge
 * step, even a single one. That drops samples whose values are all zero,
 * folds samples with the same stack and labels into one, shares equal
 * locations, functions and mappings, forgets the unreferenced ones and
 * renumbers everything in order of first use. The -traces and -raw reports
 * print samples and ids, so callviz must do the same to print the same.
 * Reports that only sum samples see less of it, and where they would see
 * none (settle_for_sums), the passes over every frame are left out.
 */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/profile.h"
#include "profile/decode_internal.h"
#include "profile/sample_key.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/hash.h"
#include "util/task.h"

#define NONE UINT32_MAX

/* Open addressing over entry indexes; sized once, never grows. */
typedef struct table {
	uint32_t *slots;        /* index + 1; 0 is free */
	size_t mask;
} table;

typedef struct merger merger;
typedef bool (*eq_fn)(const merger *m, uint32_t idx, const void *probe);

struct merger {
	cv_profile *p;
	cv_mapping *maps;
	size_t n_maps;
	uint32_t *map_of;       /* old mapping index -> new */
	int64_t *map_shift;     /* old mapping index -> address adjustment */
	cv_function *fns;
	size_t n_fns;
	uint32_t *fn_of;
	cv_location *locs;
	size_t n_locs;
	uint32_t *loc_of;
	cv_sample *samples;
	size_t n_samples;
	table t_maps, t_fns, t_locs, t_samples;
};

static int table_init(table *t, size_t n)
{
	size_t cap = 16;
	while (cap < 2 * n + 2)
		cap <<= 1;
	t->slots = calloc(cap, sizeof(*t->slots));
	t->mask = cap - 1;
	return t->slots ? 0 : cv_error_nomem();
}

/* The slot holding an entry equal to `probe`, or the free slot for it. */
static uint32_t *table_slot(const merger *m, table *t, uint64_t h, eq_fn eq,
			    const void *probe)
{
	for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
		uint32_t *s = &t->slots[i];
		if (*s == 0 || eq(m, *s - 1, probe))
			return s;
	}
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

static bool map_eq(const merger *m, uint32_t idx, const void *probe)
{
	const cv_mapping *a = &m->maps[idx], *b = probe;
	return map_size(a) == map_size(b) && a->offset == b->offset &&
	       strcmp(map_identity(a), map_identity(b)) == 0;
}

static uint64_t map_hash(const cv_mapping *mp)
{
	return cv_hash_mix(cv_hash_mix_str(cv_hash_mix(0, map_size(mp)), map_identity(mp)), mp->offset);
}

static uint32_t map_mapping(merger *m, const cv_mapping *src)
{
	size_t old = (size_t)(src - m->p->mappings);
	if (m->map_of[old] != NONE)
		return m->map_of[old];
	uint32_t *slot = table_slot(m, &m->t_maps, map_hash(src), map_eq, src);
	if (*slot) {
		uint32_t idx = *slot - 1;
		m->map_shift[old] = (int64_t)(m->maps[idx].start - src->start);
		return m->map_of[old] = idx;
	}
	uint32_t idx = (uint32_t)m->n_maps++;
	m->maps[idx] = *src;
	m->maps[idx].id = idx + 1;
	*slot = idx + 1;
	m->map_shift[old] = 0;
	return m->map_of[old] = idx;
}

/* ---- functions: same name, system name, file and start line ---- */

static bool fn_eq(const merger *m, uint32_t idx, const void *probe)
{
	const cv_function *a = &m->fns[idx], *b = probe;
	return a->start_line == b->start_line && strcmp(a->name, b->name) == 0 &&
	       strcmp(a->system_name, b->system_name) == 0 &&
	       strcmp(a->filename, b->filename) == 0;
}

static const cv_function *map_function(merger *m, const cv_function *src)
{
	if (!src)
		return NULL;
	size_t old = (size_t)(src - m->p->functions);
	if (old >= m->p->n_functions)
		return src; /* not one of the profile's own: keep it as it is */
	if (m->fn_of[old] != NONE)
		return &m->fns[m->fn_of[old]];
	uint64_t h = cv_hash_mix(cv_hash_mix_str(cv_hash_mix_str(cv_hash_mix_str(0, src->name), src->system_name),
				 src->filename), (uint64_t)src->start_line);
	uint32_t *slot = table_slot(m, &m->t_fns, h, fn_eq, src);
	if (!*slot) {
		uint32_t idx = (uint32_t)m->n_fns++;
		m->fns[idx] = *src;
		m->fns[idx].id = idx + 1;
		*slot = idx + 1;
	}
	m->fn_of[old] = *slot - 1;
	return &m->fns[*slot - 1];
}

/* ---- locations: same mapping, relative address, lines and fold mark ---- */

static uint64_t loc_key_addr(const cv_location *l)
{
	return l->mapping ? l->address - l->mapping->start : l->address;
}

static bool loc_eq(const merger *m, uint32_t idx, const void *probe)
{
	const cv_location *a = &m->locs[idx], *b = probe;
	if (a->mapping != b->mapping || loc_key_addr(a) != loc_key_addr(b) ||
	    a->is_folded != b->is_folded || a->n_lines != b->n_lines)
		return false;
	for (size_t i = 0; i < a->n_lines; i++)
		if (a->lines[i].function != b->lines[i].function ||
		    a->lines[i].line != b->lines[i].line)
			return false;
	return true;
}

static uint32_t map_location(merger *m, cv_arena *arena, uint32_t old)
{
	if (m->loc_of[old] != NONE)
		return m->loc_of[old];
	const cv_location *src = &m->p->locations[old];
	cv_location l = *src;
	if (src->mapping) {
		uint32_t mi = map_mapping(m, src->mapping);
		l.mapping = &m->maps[mi];
		l.address = (uint64_t)((int64_t)src->address +
				       m->map_shift[src->mapping - m->p->mappings]);
	}
	l.lines = src->n_lines ? cv_arena_calloc(arena, src->n_lines, sizeof(*l.lines)) : NULL;
	if (src->n_lines && !l.lines)
		return NONE;
	for (size_t i = 0; i < src->n_lines; i++) {
		l.lines[i].line = src->lines[i].line;
		l.lines[i].function = map_function(m, src->lines[i].function);
	}
	uint64_t h = cv_hash_mix(cv_hash_mix(cv_hash_mix(0, loc_key_addr(&l)), l.mapping ? l.mapping->id : 0),
			 l.is_folded);
	for (size_t i = 0; i < l.n_lines; i++)
		h = cv_hash_mix(cv_hash_mix(h, l.lines[i].function ? l.lines[i].function->id : 0),
			(uint64_t)l.lines[i].line);
	uint32_t *slot = table_slot(m, &m->t_locs, h, loc_eq, &l);
	if (!*slot) {
		uint32_t idx = (uint32_t)m->n_locs++;
		l.id = idx + 1;
		m->locs[idx] = l;
		*slot = idx + 1;
	}
	return m->loc_of[old] = *slot - 1;
}

/* ---- samples: same locations and the same labels ---- */

static bool sample_eq(const merger *m, uint32_t idx, const void *probe)
{
	return cv_sample_key_eq(&m->samples[idx], probe);
}

static bool is_zero(const cv_sample *s, size_t n_values)
{
	for (size_t i = 0; i < n_values; i++)
		if (s->values[i] != 0)
			return false;
	return true;
}

/* Remap one sample's locations in place and, when `fold`, fold it into
 * an equal one. */
static int map_sample(merger *m, cv_arena *arena, cv_sample *s, bool fold)
{
	for (size_t i = 0; i < s->n_locs; i++) {
		/* (the lookup inline: this runs once per frame of every sample) */
		uint32_t idx = m->loc_of[s->locs[i]];
		if (idx == NONE && (idx = map_location(m, arena, s->locs[i])) == NONE)
			return cv_error_nomem();
		s->locs[i] = idx;
	}
	cv_labels_sort(s->labels, s->n_labels);
	if (!fold) {
		m->samples[m->n_samples++] = *s;
		return 0;
	}
	uint32_t *slot = table_slot(m, &m->t_samples, cv_sample_key_hash(s), sample_eq, s);
	if (*slot) {
		cv_sample *into = &m->samples[*slot - 1];
		for (size_t i = 0; i < m->p->n_sample_types; i++)
			into->values[i] = (int64_t)((uint64_t)into->values[i] + (uint64_t)s->values[i]);
		return 0;
	}
	m->samples[m->n_samples] = *s;
	*slot = (uint32_t)++m->n_samples;
	return 0;
}

static void merger_free(merger *m)
{
	free(m->map_of);
	free(m->map_shift);
	free(m->fn_of);
	free(m->loc_of);
	free(m->t_maps.slots);
	free(m->t_fns.slots);
	free(m->t_locs.slots);
	free(m->t_samples.slots);
}

static int merger_init(merger *m, cv_profile *p, bool fold)
{
	memset(m, 0, sizeof(*m));
	m->p = p;
	cv_arena *a = p->arena;
	m->maps = cv_arena_calloc(a, p->n_mappings + 1, sizeof(*m->maps));
	m->fns = cv_arena_calloc(a, p->n_functions + 1, sizeof(*m->fns));
	m->locs = cv_arena_calloc(a, p->n_locations + 1, sizeof(*m->locs));
	/* Samples are only dropped or folded into earlier ones, never moved
	 * later: the kept ones are written over the array being read (on big
	 * profiles a second array would be tens of megabytes). */
	m->samples = p->samples;
	m->map_of = malloc((p->n_mappings + 1) * sizeof(*m->map_of));
	m->map_shift = calloc(p->n_mappings + 1, sizeof(*m->map_shift));
	m->fn_of = malloc((p->n_functions + 1) * sizeof(*m->fn_of));
	m->loc_of = malloc((p->n_locations + 1) * sizeof(*m->loc_of));
	if (!m->maps || !m->fns || !m->locs || !m->map_of ||
	    !m->map_shift || !m->fn_of || !m->loc_of ||
	    table_init(&m->t_maps, p->n_mappings) || table_init(&m->t_fns, p->n_functions) ||
	    table_init(&m->t_locs, p->n_locations) ||
	    table_init(&m->t_samples, fold ? p->n_samples : 0))
		return cv_error_nomem();
	memset(m->map_of, 0xff, (p->n_mappings + 1) * sizeof(*m->map_of));
	memset(m->fn_of, 0xff, (p->n_functions + 1) * sizeof(*m->fn_of));
	memset(m->loc_of, 0xff, (p->n_locations + 1) * sizeof(*m->loc_of));
	return 0;
}

/*
 * Big profiles with no zero sample, when not folding: the pass over every
 * frame in two halves on two threads. Locations are numbered in order of
 * first use, so each half first lists the ones it uses in that order,
 * reading only; numbered here from the first half's list, then the
 * second's, they get the numbers one pass would give them. Then each half
 * rewrites its frames. Every sample stays where it is.
 */
typedef struct half_pass {
	cv_profile *p;
	size_t from, to;        /* samples */
	uint8_t *seen;          /* by old location index */
	uint32_t *used;         /* old location indexes in order of first use */
	size_t n_used;
	const uint32_t *loc_of;
	bool has_zero;
} half_pass;

static void list_uses(void *arg)
{
	half_pass *h = arg;
	/* Locals: a byte store may alias anything, h's fields included. */
	uint8_t *seen = h->seen;
	uint32_t *used = h->used;
	size_t n_used = 0;
	for (size_t i = h->from; i < h->to; i++) {
		const cv_sample *s = &h->p->samples[i];
		if (is_zero(s, h->p->n_sample_types)) {
			h->has_zero = true;
			break;
		}
		const uint32_t *locs = s->locs;
		for (size_t k = 0, n = s->n_locs; k < n; k++)
			if (!seen[locs[k]]) {
				seen[locs[k]] = 1;
				used[n_used++] = locs[k];
			}
	}
	h->n_used = n_used;
}

static void rewrite_frames(void *arg)
{
	half_pass *h = arg;
	for (size_t i = h->from; i < h->to; i++) {
		cv_sample *s = &h->p->samples[i];
		for (size_t k = 0; k < s->n_locs; k++)
			s->locs[k] = h->loc_of[s->locs[k]];
		cv_labels_sort(s->labels, s->n_labels);
	}
}

/* 1: the samples are mapped; 0: not done (a zero sample), map them one by one. */
static int map_samples_in_halves(merger *m, cv_profile *p)
{
	half_pass h[2];
	int rc = 1;
	for (int k = 0; k < 2; k++) {
		h[k] = (half_pass){.p = p, .from = k ? p->n_samples / 2 : 0,
				   .to = k ? p->n_samples : p->n_samples / 2, .loc_of = m->loc_of};
		h[k].seen = calloc(p->n_locations + 1, 1);
		h[k].used = malloc((p->n_locations + 1) * sizeof(*h[k].used));
		if (!h[k].seen || !h[k].used)
			rc = cv_error_nomem();
	}
	if (rc == 1) {
		cv_task_run_pair(list_uses, &h[0], &h[1]);
		if (h[0].has_zero || h[1].has_zero)
			rc = 0;
	}
	for (int k = 0; rc == 1 && k < 2; k++)
		for (size_t j = 0; j < h[k].n_used; j++)
			if (map_location(m, p->arena, h[k].used[j]) == NONE) {
				rc = cv_error_nomem();
				break;
			}
	if (rc == 1) {
		cv_task_run_pair(rewrite_frames, &h[0], &h[1]);
		m->n_samples = p->n_samples;
	}
	for (int k = 0; k < 2; k++) {
		free(h[k].seen);
		free(h[k].used);
	}
	return rc;
}

static size_t count_frames(const cv_profile *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n_samples; i++)
		n += p->samples[i].n_locs;
	return n;
}

/* One merge pass; *again is set when folding produced all-zero samples. */
static int compact_once(cv_profile *p, bool fold, bool *again)
{
	merger m;
	int rc = merger_init(&m, p, fold);
	/* The first mapping is the main binary: it keeps its place. */
	if (!rc && p->n_mappings > 0)
		map_mapping(&m, &p->mappings[0]);
	int halves = 0;
	if (!rc && !fold && count_frames(p) >= cv_halves_min_frames)
		rc = (halves = map_samples_in_halves(&m, p)) < 0 ? halves : 0;
	for (size_t i = 0; !rc && !halves && i < p->n_samples; i++)
		if (!is_zero(&p->samples[i], p->n_sample_types))
			rc = map_sample(&m, p->arena, &p->samples[i], fold);
	if (!rc) {
		p->mappings = m.maps;
		p->n_mappings = m.n_maps;
		p->functions = m.fns;
		p->n_functions = m.n_fns;
		p->locations = m.locs;
		p->n_locations = m.n_locs;
		p->samples = m.samples;
		p->n_samples = m.n_samples;
		*again = false;
		for (size_t i = 0; i < p->n_samples; i++)
			if (is_zero(&p->samples[i], p->n_sample_types))
				*again = true;
	}
	merger_free(&m);
	return rc;
}

static bool comment_eq(const merger *m, uint32_t idx, const void *probe)
{
	return strcmp(m->p->comments[idx], probe) == 0;
}

/* Comments repeat only once, as when pprof combines profile headers. */
static int dedup_comments(cv_profile *p)
{
	merger m = {.p = p};
	table t;
	if (table_init(&t, p->n_comments))
		return cv_error_nomem();
	size_t kept = 0;
	for (size_t i = 0; i < p->n_comments; i++) {
		uint32_t *slot = table_slot(&m, &t, cv_hash_mix_str(0, p->comments[i]), comment_eq,
					    p->comments[i]);
		if (*slot)
			continue;
		p->comments[kept] = p->comments[i];
		*slot = (uint32_t)++kept;
	}
	p->n_comments = kept;
	free(t.slots);
	return 0;
}

static int compact(cv_profile *p, bool fold)
{
	bool again = true;
	int rc = dedup_comments(p);
	while (!rc && again)
		rc = compact_once(p, fold, &again);
	return rc ? cv_error_nomem() : 0;
}

int cv_profile_compact(cv_profile *p)
{
	return compact(p, true);
}

/* ---- sums: when merging changes nothing a sum can see ---- */

/* Which locations samples [from, to) use, one byte each; whether one of
 * them is all zeros, or has a negative value. */
typedef struct use_marks {
	const cv_profile *p;
	size_t from, to;
	uint8_t *used;
	bool has_zero, has_negative;
} use_marks;

static void mark_uses(void *arg)
{
	use_marks *u = arg;
	const cv_profile *p = u->p;
	/* Locals: a byte store may alias anything, and the compiler would
	 * load every pointer and count again after each one. */
	uint8_t *used = u->used;
	bool has_zero = false, has_negative = false;
	for (size_t i = u->from; i < u->to; i++) {
		const cv_sample *s = &p->samples[i];
		const uint32_t *locs = s->locs;
		size_t n = s->n_locs;
		has_zero |= is_zero(s, p->n_sample_types);
		for (size_t k = 0; k < p->n_sample_types; k++)
			has_negative |= s->values[k] < 0;
		for (size_t k = 0; k < n; k++)
			used[locs[k]] = 1;
	}
	u->has_zero = has_zero;
	u->has_negative = has_negative;
}

/* 1: every location is used and no sample is all zeros (*negative: one
 * has a negative value); 0: not; or CV_ENOMEM. Big profiles are marked
 * in halves on two threads. */
static int all_used_none_zero(const cv_profile *p, bool *negative)
{
	int halves = count_frames(p) >= cv_halves_min_frames ? 2 : 1, rc = 1;
	use_marks u[2];
	for (int k = 0; k < 2; k++) {
		u[k] = (use_marks){.p = p, .from = k ? p->n_samples / 2 : 0,
				   .to = halves == 1 || k ? p->n_samples : p->n_samples / 2};
		if (k < halves && !(u[k].used = calloc(p->n_locations + 1, 1)))
			rc = cv_error_nomem();
	}
	if (rc == 1) {
		cv_task_run_pair(mark_uses, &u[0], halves == 2 ? &u[1] : NULL);
		rc = !u[0].has_zero && !u[1].has_zero;
		*negative = u[0].has_negative || u[1].has_negative;
	}
	for (size_t i = 0; rc == 1 && i < p->n_locations; i++)
		if (!u[0].used[i] && !(halves == 2 && u[1].used[i]))
			rc = 0;
	free(u[0].used);
	free(u[1].used);
	return rc;
}

/* 1: two mappings would be merged into one (map_eq); 0: none; CV_ENOMEM. */
static int mappings_merge(cv_profile *p)
{
	merger m = {.p = p, .maps = p->mappings};
	if (table_init(&m.t_maps, p->n_mappings))
		return cv_error_nomem();
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < p->n_mappings; i++) {
		uint32_t *slot = table_slot(&m, &m.t_maps, map_hash(&p->mappings[i]), map_eq,
					    &p->mappings[i]);
		if (*slot)
			rc = 1;
		*slot = (uint32_t)i + 1;
	}
	free(m.t_maps.slots);
	return rc;
}

/*
 * A report that sums samples through the graph keys its nodes by what a
 * frame says (function, file, line, address), never by where a location
 * or function sits in the profile's tables or what id it has. So of what
 * compaction does, such a report sees only: all-zero samples dropped,
 * unused locations dropped (each would be a node of value zero, shown
 * with -nodefraction=0), mappings merged (addresses shift), labels
 * sorted. When there is nothing of the first three to do, the renumbering
 * and the sharing of equal locations and functions, which read and
 * rewrite every frame, are left out: only labels are sorted. 1: done so;
 * 0: compaction is needed (*negative: with folding); or CV_ENOMEM.
 */
static int settle_for_sums(cv_profile *p, bool *negative)
{
	int rc = all_used_none_zero(p, negative);
	if (rc != 1 || *negative)
		return rc < 0 ? rc : 0;
	if ((rc = mappings_merge(p)) != 0)
		return rc < 0 ? rc : 0;
	if (dedup_comments(p))
		return cv_error_nomem();
	for (size_t i = 0; i < p->n_samples; i++)
		cv_labels_sort(p->samples[i].labels, p->samples[i].n_labels);
	return 1;
}

int cv_profile_compact_for_sums(cv_profile *p)
{
	bool negative = false;
	int rc = settle_for_sums(p, &negative);
	if (rc < 0)
		return cv_error_nomem();
	/* With no negative value, a sum of samples is zero only when each of
	 * them is, and those are dropped one by one: folding changes no total. */
	return rc == 1 ? 0 : compact(p, negative);
}
