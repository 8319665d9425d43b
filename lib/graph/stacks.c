/*
 * Distinct call stacks with summed values, the input of -folded and the
 * flame graph. Frames are interned by (printable name, inlined), so two
 * locations of one function at function granularity are one frame, as they
 * are one node in the graph.
 */
#define _GNU_SOURCE /* qsort_r */
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "callviz/stacks.h"
#include "graph/graph_internal.h"
#include "graph/names.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/bytemap.h"
#include "util/options.h"

typedef struct loc_frames {
	uint32_t *ids;          /* frame ids, innermost first */
	uint32_t n;
} loc_frames;

typedef struct builder {
	cv_stacks *s;
	cv_arena *a;
	cv_bytemap *frame_map, *stack_map;
	size_t cap_frames, cap_stacks;
	loc_frames *locs;
	uint32_t *buf;          /* the stack being assembled */
	size_t cap_buf;
} builder;

/* The id of frame (name, inlined), added on first sight. */
static int intern_frame(builder *b, const char *name, bool inlined, uint32_t *id)
{
	size_t len = strlen(name);
	char *key = cv_arena_alloc(b->a, len + 2);
	if (!key)
		return cv_error_nomem();
	memcpy(key, name, len);
	key[len + 1] = inlined ? 'i' : '-';
	*id = cv_bytemap_get(b->frame_map, key, len + 2);
	if (*id != CV_BYTEMAP_NONE)
		return 0;
	cv_stacks *s = b->s;
	if (CV_GROW(s->frames, b->cap_frames, s->n_frames + 1, 64))
		return cv_error_nomem();
	*id = (uint32_t)s->n_frames;
	s->frames[s->n_frames++] = (cv_frame){key, inlined};
	return cv_bytemap_put(b->frame_map, key, len + 2, *id);
}

/* Name every location's frames once; -noinlines keeps only the outermost. */
static int map_locations(builder *b, const cv_profile *p, const cv_graph_options *o)
{
	cv_graph_options go = {.granularity = o->granularity};
	b->locs = cv_arena_calloc(b->a, p->n_locations + 1, sizeof(*b->locs));
	if (!b->locs)
		return cv_error_nomem();
	for (size_t i = 0; i < p->n_locations; i++) {
		const cv_location *loc = &p->locations[i];
		size_t from = o->no_inlines && loc->n_lines > 1 ? loc->n_lines - 1 : 0;
		size_t n = loc->n_lines ? loc->n_lines - from : 1;
		loc_frames *lf = &b->locs[i];
		if (!(lf->ids = cv_arena_calloc(b->a, n, sizeof(*lf->ids))))
			return cv_error_nomem();
		lf->n = (uint32_t)n;
		for (size_t k = 0; k < n; k++) {
			cv_node_info ni;
			cv_graph_frame_info(&ni, loc, loc->n_lines ? &loc->lines[from + k] : NULL,
					    &go, b->a);
			const char *name = cv_node_info_name(b->a, &ni);
			/* All but the outermost line of a location were inlined. */
			int rc = intern_frame(b, name, k + 1 < n, &lf->ids[k]);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Add one sample's value to its stack, root first. */
static int add_sample(builder *b, const cv_sample *s, int64_t value)
{
	size_t depth = 0;
	for (size_t i = 0; i < s->n_locs; i++)
		depth += b->locs[s->locs[i]].n;
	if (depth == 0)
		return 0;
	if (CV_GROW(b->buf, b->cap_buf, depth, 64))
		return cv_error_nomem();
	size_t d = 0;
	for (size_t i = s->n_locs; i-- > 0;) {
		const loc_frames *lf = &b->locs[s->locs[i]];
		for (size_t k = lf->n; k-- > 0;)
			b->buf[d++] = lf->ids[k];
	}
	size_t bytes = depth * sizeof(*b->buf);
	cv_stacks *st = b->s;
	uint32_t idx = cv_bytemap_get(b->stack_map, b->buf, bytes);
	if (idx != CV_BYTEMAP_NONE) {
		st->stacks[idx].value += value;
		return 0;
	}
	uint32_t *frames = cv_arena_alloc(b->a, bytes);
	if (!frames)
		return cv_error_nomem();
	if (CV_GROW(st->stacks, b->cap_stacks, st->n_stacks + 1, 64))
		return cv_error_nomem();
	memcpy(frames, b->buf, bytes);
	idx = (uint32_t)st->n_stacks;
	st->stacks[st->n_stacks++] = (cv_stack){frames, (uint32_t)depth, value};
	return cv_bytemap_put(b->stack_map, frames, bytes, idx);
}

/* Frames are ranked by (name, inlined), so stacks compare as integer runs. */
static int cmp_frame_ids(const void *x, const void *y, void *ctx)
{
	const cv_frame *frames = ctx;
	const cv_frame *a = &frames[*(const uint32_t *)x];
	const cv_frame *b = &frames[*(const uint32_t *)y];
	int c = strcmp(a->name, b->name);
	return c ? c : (int)a->inlined - (int)b->inlined;
}

static int cmp_stacks(const void *x, const void *y, void *ctx)
{
	const uint32_t *rank = ctx;
	const cv_stack *a = x, *b = y;
	uint32_t n = a->depth < b->depth ? a->depth : b->depth;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t ra = rank[a->frames[i]], rb = rank[b->frames[i]];
		if (ra != rb)
			return ra < rb ? -1 : 1;
	}
	return (a->depth > b->depth) - (a->depth < b->depth);
}

static int sort_stacks(cv_stacks *s)
{
	uint32_t *order = malloc((s->n_frames + 1) * sizeof(*order));
	uint32_t *rank = malloc((s->n_frames + 1) * sizeof(*rank));
	if (!order || !rank) {
		free(order);
		free(rank);
		return cv_error_nomem();
	}
	for (uint32_t i = 0; i < s->n_frames; i++)
		order[i] = i;
	qsort_r(order, s->n_frames, sizeof(*order), cmp_frame_ids, s->frames);
	for (uint32_t i = 0; i < s->n_frames; i++)
		rank[order[i]] = i;
	if (s->n_stacks > 1) /* qsort_r(NULL, 0, ...) is undefined behaviour */
		qsort_r(s->stacks, s->n_stacks, sizeof(*s->stacks), cmp_stacks, rank);
	free(order);
	free(rank);
	return 0;
}

static int collect(builder *b, const cv_profile *p, const cv_graph_options *o)
{
	int rc = map_locations(b, p, o);
	for (size_t i = 0; rc == 0 && i < p->n_samples; i++) {
		const cv_sample *s = &p->samples[i];
		int64_t v = s->values[o->sample_index];
		if (v != 0)
			rc = add_sample(b, s, v);
	}
	if (rc)
		return rc;
	/* Opposite values can cancel out (diff profiles): nothing to draw. */
	size_t k = 0;
	for (size_t i = 0; i < b->s->n_stacks; i++)
		if (b->s->stacks[i].value != 0)
			b->s->stacks[k++] = b->s->stacks[i];
	b->s->n_stacks = k;
	return sort_stacks(b->s);
}

int cv_stacks_build(cv_stacks **out, const cv_profile *p, const cv_graph_options *o)
{
	int vrc = CV_OPTIONS_CHECK(o, CV_GRAPH_OPTIONS_VERSION, "cv_graph_options");
	if (vrc)
		return vrc;
	*out = NULL;
	if (o->sample_index < 0 || (size_t)o->sample_index >= p->n_sample_types)
		return cv_error_set(CV_EINVAL, "sample index %d out of range", o->sample_index);
	builder b = {0};
	b.s = calloc(1, sizeof(*b.s));
	b.a = cv_arena_new();
	b.frame_map = cv_bytemap_new();
	b.stack_map = cv_bytemap_new();
	int rc = 0;
	if (!b.s || !b.a || !b.frame_map || !b.stack_map)
		rc = cv_error_nomem();
	else
		rc = collect(&b, p, o);
	cv_bytemap_free(b.frame_map);
	cv_bytemap_free(b.stack_map);
	free(b.buf);
	if (b.s)
		b.s->arena = b.a;
	if (rc) {
		cv_stacks_free(b.s);
		if (!b.s)
			cv_arena_free(b.a);
		return rc;
	}
	*out = b.s;
	return 0;
}

void cv_stacks_free(cv_stacks *s)
{
	if (!s)
		return;
	free(s->frames);
	free(s->stacks);
	cv_arena_free(s->arena);
	free(s);
}
