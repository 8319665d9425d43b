/*
 * Splitting the samples in two for the two-thread trie build (trie.c).
 * Any split gives the same graph, but each half's tree repeats the frames
 * its samples share with the other half's: split at random, the tops of
 * all stacks are built and walked twice. So samples are grouped by their
 * outermost `depth` frames, and whole groups go to one half or the other,
 * the biggest first, to the lighter half. One frame deep is tried first;
 * where one group outweighs the rest (every goroutine starts in
 * runtime.goexit), one frame deeper, up to MAX_DEPTH.
 *
 * The groups are weighed on a sample of the samples (every step-th), so
 * making the plan costs little on big profiles; each builder then looks
 * a sample's group up as it goes. A group the sample missed is small and
 * goes by its hash.
 */
#include <stdlib.h>

#include "graph/trie.h"
#include "util/alloc.h"
#include "util/index_table.h"

#define MAX_DEPTH 4
/* Samples weighed to make the plan, at most about. */
#define PLAN_SAMPLES 16384

typedef struct cv_trie_group {
	uint64_t key;
	uint64_t frames;
	uint8_t half;
} group;

/* The outermost `depth` frames as one hash, never 0; a hash shared by two
 * groups only merges them, which is still a valid split. */
static uint64_t prefix_key(const cv_sample *s, size_t depth)
{
	size_t d = s->n_locs < depth ? s->n_locs : depth;
	uint64_t h = cv_trie_outer_hash(s, d, 0x9e3779b97f4a7c15ULL ^ d);
	return h ? h : 1;
}

static uint64_t group_hash(const void *ctx, size_t k)
{
	return ((const cv_trie_plan *)ctx)->groups[k].key;
}

static int grow(cv_trie_plan *pl)
{
	size_t cap = pl->slots ? (pl->mask + 1) * 2 : 1024;
	group *groups = cv_realloc_array(pl->groups, cap / 2, sizeof(*groups));
	if (!groups)
		return cv_error_nomem();
	pl->groups = groups;
	if (cv_index_table_rebuild(&pl->slots, &pl->mask, cap, pl->n_groups, group_hash, pl))
		return cv_error_nomem();
	pl->cap_groups = cap / 2;
	return 0;
}

/* The slot of `key`: its group's index + 1, or 0 where it would go. */
static uint32_t *slot_of(const cv_trie_plan *pl, uint64_t key)
{
	size_t i = key & pl->mask;
	while (pl->slots[i] && pl->groups[pl->slots[i] - 1].key != key)
		i = (i + 1) & pl->mask;
	return &pl->slots[i];
}

/* The group of `key`, made on first sight; NULL: no memory. */
static group *group_of(cv_trie_plan *pl, uint64_t key)
{
	uint32_t *slot = slot_of(pl, key);
	if (*slot)
		return &pl->groups[*slot - 1];
	if (pl->n_groups == pl->cap_groups) {
		if (grow(pl))
			return NULL;
		slot = slot_of(pl, key);
	}
	pl->groups[pl->n_groups] = (group){.key = key};
	*slot = (uint32_t)++pl->n_groups;
	return &pl->groups[pl->n_groups - 1];
}

static int heavier_first(const void *a, const void *b)
{
	const group *x = *(const group *const *)a, *y = *(const group *const *)b;
	return x->frames < y->frames ? 1 : x->frames > y->frames ? -1 : 0;
}

/* Whole groups to the lighter half, biggest first: 1 if balanced enough. */
static int balance(cv_trie_plan *pl, uint64_t total)
{
	group **order = malloc((pl->n_groups + 1) * sizeof(*order));
	if (!order)
		return cv_error_nomem();
	for (size_t k = 0; k < pl->n_groups; k++)
		order[k] = &pl->groups[k];
	qsort(order, pl->n_groups, sizeof(*order), heavier_first);
	uint64_t load[2] = {0, 0};
	for (size_t k = 0; k < pl->n_groups; k++) {
		order[k]->half = load[1] < load[0];
		load[order[k]->half] += order[k]->frames;
	}
	free(order);
	uint64_t heavier = load[0] > load[1] ? load[0] : load[1];
	return heavier * 100 <= total * (uint64_t)cv_trie_tune.max_heavier;
}

/* Weigh the groups `depth` frames deep: 1 if they split evenly. */
static int try_depth(cv_trie_plan *pl, const cv_profile *p, int si, int mi, size_t depth)
{
	size_t step = p->n_samples / PLAN_SAMPLES + 1;
	pl->n_groups = 0;
	for (size_t i = 0; i <= pl->mask; i++)
		pl->slots[i] = 0;
	uint64_t total = 0;
	for (size_t i = 0; i < p->n_samples; i += step) {
		const cv_sample *s = &p->samples[i];
		if (!cv_trie_takes(s, si, mi))
			continue;
		group *g = group_of(pl, prefix_key(s, depth));
		if (!g)
			return cv_error_nomem();
		g->frames += s->n_locs + 1;
		total += s->n_locs + 1;
	}
	return balance(pl, total);
}

int cv_trie_plan_make(cv_trie_plan *pl, const cv_profile *p, int si, int mi)
{
	*pl = (cv_trie_plan){.n_samples = p->n_samples};
	int rc = grow(pl) == 0 ? 0 : -1;
	for (size_t depth = 1; rc == 0 && depth <= MAX_DEPTH; depth++)
		if ((rc = try_depth(pl, p, si, mi, depth)) == 1)
			pl->depth = depth;
	if (rc < 0) {
		cv_trie_plan_free(pl);
		return -1;
	}
	return 0;
}

void cv_trie_plan_free(cv_trie_plan *pl)
{
	free(pl->groups);
	free(pl->slots);
	pl->groups = NULL;
	pl->slots = NULL;
}

unsigned cv_trie_plan_half(const cv_trie_plan *pl, const cv_profile *p, size_t i)
{
	if (pl->depth == 0)
		return i >= pl->n_samples / 2;
	uint64_t key = prefix_key(&p->samples[i], pl->depth);
	uint32_t slot = *slot_of(pl, key);
	return slot ? pl->groups[slot - 1].half : (unsigned)(key >> 40) & 1;
}
