#ifndef CV_GRAPH_TRIE_H
#define CV_GRAPH_TRIE_H

#include <stdbool.h>
#include <stdint.h>

#include "callviz/profile.h"

/*
 * A profile's samples merged into a prefix tree of locations, root first,
 * one tree per distinct label set (two, one per half of the samples, when
 * built on two threads). Real profiles share most of every stack
 * with other stacks, so the tree has far fewer nodes than the samples have
 * frames, and the graph builds (2-3 per trimmed report) walk it instead of
 * every frame of every sample.
 *
 * Exact for graph building because all it needs is additive: a sample adds
 * its value to a graph node's cum (and an edge's weight) at the sample's
 * outermost occurrence of that node (edge); every sample through a trie
 * node shares the path above it, so that occurrence is at the same trie
 * node for all of them, and the trie node's subtree sum is what they add.
 */
typedef struct cv_trie_node {
	uint32_t loc;           /* index into the profile's locations; roots: none */
	uint32_t end;           /* index just past this node's subtree */
	uint32_t n_self;        /* samples whose leaf frame is here */
	uint32_t n;             /* samples through here */
	int64_t w;              /* value of the samples through here */
	int64_t self_w;         /* ... of the n_self samples ending here */
} cv_trie_node;

/* -mean's divisors, kept apart: without -mean they are all zero. */
typedef struct cv_trie_div {
	int64_t dw, self_dw;
} cv_trie_div;

#define CV_TRIE_ROOT UINT32_MAX /* the loc of a root */

typedef struct cv_stack_trie {
	cv_trie_node *nodes;    /* in depth-first preorder: the walk reads
				   memory in order; a root (one per label set
				   and half, no labels first) heads each tree */
	cv_trie_div *div;       /* by node, with a mean index; else NULL */
	uint32_t n_nodes;
	uint32_t n_roots;
	/* Built in two halves (trie.c): the second's trees are the nodes from
	 * `second` on, from root `second_root` on; second == n_nodes if not. */
	uint32_t second, second_root;
	const cv_sample **root_sample; /* a sample with root i's labels (NULL: none) */
} cv_stack_trie;

/*
 * Merge p's samples whose value at sample_index (or divisor at mean_index,
 * when not -1) is nonzero, as the graph build skips the others. Without
 * `by_labels` all samples share root 0, for a build that wants no tags.
 */
int cv_stack_trie_build(cv_stack_trie **out, const cv_profile *p, int sample_index,
			int mean_index, bool by_labels);
void cv_stack_trie_free(cv_stack_trie *t);

/* Does the trie take sample s: is its value or divisor nonzero? */
static inline bool cv_trie_takes(const cv_sample *s, int sample_index, int mean_index)
{
	return s->values[sample_index] != 0 || (mean_index >= 0 && s->values[mean_index] != 0);
}

/* A hash of s's outermost `depth` frames (all, if fewer), from `seed`:
 * what splits the samples in halves (trie_split.c) and into clusters
 * (trie_cluster.c) goes by. */
static inline uint64_t cv_trie_outer_hash(const cv_sample *s, size_t depth, uint64_t seed)
{
	size_t n = s->n_locs, d = n < depth ? n : depth;
	uint64_t h = seed;
	for (size_t k = 1; k <= d; k++) {
		h = (h ^ s->locs[n - k]) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return h;
}

/*
 * The insertion order (trie_cluster.c). cv_trie_order: the samples whose
 * taker is `half`, sorted by key (cv_trie_cluster_key) so that samples of
 * the same outermost frames follow each other; *deepest: the most frames
 * of any; -1 if out of memory. cv_trie_shared_frames: how many outermost
 * frames two samples share. cv_trie_prefetch: fetch what the insertion of
 * order[j + 8] and order[j + 16] will read.
 */
uint32_t cv_trie_cluster_key(const cv_sample *s, uint32_t root);
int cv_trie_order(uint32_t **order, size_t *m, size_t *deepest, const cv_profile *p,
		  const uint8_t *taker, const uint32_t *key, unsigned half);
size_t cv_trie_shared_frames(const cv_sample *a, const cv_sample *b);
void cv_trie_prefetch(const cv_profile *p, const uint32_t *order, size_t j, size_t m);

/*
 * When the build goes on two threads (trie.c, trie_split.c). A global, for
 * the tests: they lower both to take every path on small profiles.
 */
typedef struct cv_trie_tuning {
	size_t split_min_samples; /* fewer samples: one trie, one thread */
	int max_heavier;        /* percent of the frames a grouped half may have */
} cv_trie_tuning;
extern cv_trie_tuning cv_trie_tune;

/*
 * How a build on two threads splits the samples (trie_split.c): by their
 * outermost `depth` frames, whole groups to either half so the halves come
 * out about even; or, where no grouping does (depth 0), the first and the
 * second half of the samples.
 */
struct cv_trie_group;
typedef struct cv_trie_plan {
	size_t depth;
	size_t n_samples;
	struct cv_trie_group *groups;
	size_t n_groups, cap_groups;
	uint32_t *slots;        /* open addressing by key: index + 1 into groups */
	size_t mask;
} cv_trie_plan;
int cv_trie_plan_make(cv_trie_plan *plan, const cv_profile *p, int sample_index,
		      int mean_index);
void cv_trie_plan_free(cv_trie_plan *plan);
/* The half (0 or 1) that builds sample i. */
unsigned cv_trie_plan_half(const cv_trie_plan *plan, const cv_profile *p, size_t i);

#endif
