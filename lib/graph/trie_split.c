/*
 * Splitting the samples in two for the two-thread trie build (trie.c).
 * Any split gives the same graph, but each half's tree repeats the frames
 * its samples share with the other half's: split at random, the tops of
 * all stacks are built and walked twice. So samples are grouped by their
 * outermost `depth` frames, and whole groups go to one half or the other,
 * the biggest first, to the lighter half. One frame deep is tried first;
 * where one group outweighs the rest (every goroutine starts in
 * runtime.goexit), one frame deeper, up to MAX_DEPTH.
 */
#include <stdlib.h>

#include "graph/trie.h"

#define MAX_DEPTH 4

typedef struct group {
	uint64_t key;
	uint64_t frames;
	uint8_t half;
} group;

typedef struct grouping {
	group *groups;
	size_t n, cap;
	uint32_t *slots;        /* open addressing: index + 1 into groups */
	size_t mask;
	uint32_t *group_of;     /* by sample */
} grouping;

/* The outermost `depth` frames as one hash; a hash shared by two groups
 * only merges them, which is still a valid split. */
static uint64_t prefix_key(const cv_sample *s, size_t depth)
{
	size_t n = s->n_locs, d = n < depth ? n : depth;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ d;
	for (size_t k = 1; k <= d; k++) {
		h = (h ^ s->locs[n - k]) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return h;
}

static int grow(grouping *g)
{
	size_t cap = g->slots ? (g->mask + 1) * 2 : 1024;
	uint32_t *slots = calloc(cap, sizeof(*slots));
	group *groups = realloc(g->groups, cap / 2 * sizeof(*groups));
	if (groups)
		g->groups = groups;
	if (!slots || !groups) {
		free(slots);
		return -1;
	}
	for (size_t k = 0; k < g->n; k++) {
		size_t i = g->groups[k].key & (cap - 1);
		while (slots[i])
			i = (i + 1) & (cap - 1);
		slots[i] = (uint32_t)k + 1;
	}
	free(g->slots);
	g->slots = slots;
	g->mask = cap - 1;
	g->cap = cap / 2;
	return 0;
}

/* The group of `key`, made on first sight; UINT32_MAX: no memory. */
static uint32_t group_of(grouping *g, uint64_t key)
{
	size_t i = key & g->mask;
	for (; g->slots[i]; i = (i + 1) & g->mask)
		if (g->groups[g->slots[i] - 1].key == key)
			return g->slots[i] - 1;
	if (g->n == g->cap) {
		if (grow(g))
			return UINT32_MAX;
		return group_of(g, key);
	}
	g->groups[g->n] = (group){.key = key};
	g->slots[i] = (uint32_t)++g->n;
	return (uint32_t)g->n - 1;
}

static int heavier_first(const void *a, const void *b)
{
	const group *x = *(const group *const *)a, *y = *(const group *const *)b;
	return x->frames < y->frames ? 1 : x->frames > y->frames ? -1 : 0;
}

/* Whole groups to the lighter half, biggest first; balanced enough? */
static int balance(grouping *g, uint64_t total)
{
	group **order = malloc((g->n + 1) * sizeof(*order));
	if (!order)
		return -1;
	for (size_t k = 0; k < g->n; k++)
		order[k] = &g->groups[k];
	qsort(order, g->n, sizeof(*order), heavier_first);
	uint64_t load[2] = {0, 0};
	for (size_t k = 0; k < g->n; k++) {
		order[k]->half = load[1] < load[0];
		load[order[k]->half] += order[k]->frames;
	}
	free(order);
	uint64_t heavier = load[0] > load[1] ? load[0] : load[1];
	return heavier * 100 <= total * (uint64_t)cv_trie_tune.max_heavier;
}

/* Group the samples by their outermost `depth` frames; 1 if balanced. */
static int try_depth(grouping *g, const cv_profile *p, int si, int mi, size_t depth)
{
	g->n = 0;
	for (size_t i = 0; i <= g->mask; i++)
		g->slots[i] = 0;
	uint64_t total = 0;
	for (size_t i = 0; i < p->n_samples; i++) {
		const cv_sample *s = &p->samples[i];
		if (!cv_trie_takes(s, si, mi))
			continue;
		uint32_t k = group_of(g, prefix_key(s, depth));
		if (k == UINT32_MAX)
			return -1;
		g->group_of[i] = k;
		g->groups[k].frames += s->n_locs + 1;
		total += s->n_locs + 1;
	}
	return balance(g, total);
}

int cv_trie_split(const cv_profile *p, int si, int mi, uint8_t *half_of)
{
	grouping g = {0};
	g.group_of = malloc((p->n_samples + 1) * sizeof(*g.group_of));
	int rc = g.group_of && grow(&g) == 0 ? 0 : -1;
	for (size_t depth = 1; rc == 0 && depth <= MAX_DEPTH; depth++)
		rc = try_depth(&g, p, si, mi, depth);
	if (rc == 1)
		for (size_t i = 0; i < p->n_samples; i++)
			half_of[i] = cv_trie_takes(&p->samples[i], si, mi)
					     ? g.groups[g.group_of[i]].half : 0;
	free(g.group_of);
	free(g.groups);
	free(g.slots);
	return rc;
}
