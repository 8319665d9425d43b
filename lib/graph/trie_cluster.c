/*
 * The order the trie's builders insert their samples in (trie.c): in
 * clusters of those with the same outermost frames (and label set), one
 * after another. A sample then shares most of its path with the one
 * before (38 of 42 frames on the 10^5 bench profile, 19 of 25 on a Go CPU
 * profile), and the builder walks only the rest. The order shows nowhere
 * else: a node's children are laid out in the order they were made, but
 * every graph build adds up the same trees whatever their order.
 */
#include <stddef.h>
#include <stdlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "graph/trie.h"

/* Frames a cluster shares: more makes smaller clusters, fewer looser ones
 * (4: 32 frames shared on average, 8: 38, 64: 17 on the bench profile). */
#define CLUSTER_FRAMES 8

uint32_t cv_trie_cluster_key(const cv_sample *s, uint32_t root)
{
	return (uint32_t)cv_trie_outer_hash(s, CLUSTER_FRAMES, 0x9e3779b97f4a7c15ULL ^ root);
}

/* order[0, m) by keys, stably: a radix sort, a byte at a time. */
static int sort_by_key(uint32_t *order, uint32_t *keys, size_t m)
{
	uint32_t *order2 = malloc((m + 1) * sizeof(*order2));
	uint32_t *keys2 = malloc((m + 1) * sizeof(*keys2));
	if (!order2 || !keys2) {
		free(order2);
		free(keys2);
		return -1;
	}
	uint32_t *o[2] = {order, order2}, *k[2] = {keys, keys2};
	for (int pass = 0; pass < 4; pass++) {
		const uint32_t *from_o = o[pass & 1], *from_k = k[pass & 1];
		uint32_t *to_o = o[!(pass & 1)], *to_k = k[!(pass & 1)];
		size_t at[256] = {0}, sum = 0;
		int shift = 8 * pass;
		for (size_t i = 0; i < m; i++)
			at[from_k[i] >> shift & 255]++;
		for (int d = 0; d < 256; d++) {
			size_t c = at[d];
			at[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < m; i++) {
			size_t to = at[from_k[i] >> shift & 255]++;
			to_o[to] = from_o[i];
			to_k[to] = from_k[i];
		}
	}
	/* An even number of passes: the result is back in order and keys. */
	free(order2);
	free(keys2);
	return 0;
}

int cv_trie_order(uint32_t **order, size_t *m, size_t *deepest, const cv_profile *p,
		  const uint8_t *taker, const uint32_t *key, unsigned half)
{
	uint32_t *keys = malloc((p->n_samples + 1) * sizeof(*keys));
	*order = malloc((p->n_samples + 1) * sizeof(**order));
	*m = *deepest = 0;
	if (!keys || !*order) {
		free(keys);
		return -1;
	}
	for (size_t i = 0; i < p->n_samples; i++) {
		if (taker[i] != half)
			continue;
		(*order)[*m] = (uint32_t)i;
		keys[(*m)++] = key[i];
		if (p->samples[i].n_locs > *deepest)
			*deepest = p->samples[i].n_locs;
	}
	int rc = sort_by_key(*order, keys, *m);
	free(keys);
	return rc;
}

/* How many outermost frames a and b share: nearly all of them, in
 * cluster order, so four are compared at a time where SSE2 is there. */
size_t cv_trie_shared_frames(const cv_sample *a, const cv_sample *b)
{
	size_t most = a->n_locs < b->n_locs ? a->n_locs : b->n_locs, d = 0;
	const uint32_t *x = a->locs + a->n_locs, *y = b->locs + b->n_locs;
#ifdef __SSE2__
	for (; d + 4 <= most; d += 4) {
		__m128i u = _mm_loadu_si128((const __m128i *)(x - d - 4));
		__m128i v = _mm_loadu_si128((const __m128i *)(y - d - 4));
		unsigned differ = ~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi32(u, v)) & 0xffff;
		/* The outermost frames are the block's last: equal ones are the
		 * mask's top bits, four to a frame. */
		if (differ)
			return d + (size_t)__builtin_clz(differ << 16) / 4;
	}
#endif
	while (d < most && x[-1 - (ptrdiff_t)d] == y[-1 - (ptrdiff_t)d])
		d++;
	return d;
}

/*
 * In cluster order the samples' frames are read all over memory, where in
 * the profile's order the processor streams them: fetch a sample's entry
 * 16 samples ahead and its outermost frames 8 ahead, which the insertion
 * reads first (and, sharing most of them, nearly all).
 */
#define FRAMES_PER_LINE 16

void cv_trie_prefetch(const cv_profile *p, const uint32_t *order, size_t j, size_t m)
{
	if (j + 16 < m)
		__builtin_prefetch(&p->samples[order[j + 16]]);
	if (j + 8 < m) {
		const cv_sample *s = &p->samples[order[j + 8]];
		for (size_t k = 0; k < s->n_locs && k < 4 * FRAMES_PER_LINE; k += FRAMES_PER_LINE)
			__builtin_prefetch(&s->locs[s->n_locs - 1 - k]);
	}
}

