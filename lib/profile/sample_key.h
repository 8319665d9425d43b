#ifndef CV_PROFILE_SAMPLE_KEY_H
#define CV_PROFILE_SAMPLE_KEY_H

/*
 * What makes two samples one when pprof merges: the same locations and
 * the same labels, labels sorted first (string labels, then numeric, by
 * key, equal keys in their order). Shared by compaction (compact.c) and
 * the streamed merge (merge_stream.c); inline, for their hash tables.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "callviz/profile.h"
#include "util/hash.h"

/* h with a string and a terminator, so that ("ab", "c") != ("a", "bc"). */
static inline uint64_t cv_hash_mix_str(uint64_t h, const char *s)
{
	return cv_hash_mix(cv_fnv1a_str(h, s), 0xff);
}

static inline int cv_label_rank(const cv_label *a, const cv_label *b)
{
	if ((a->str == NULL) != (b->str == NULL))
		return a->str ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* Insertion sort: stable, and label lists are short. */
static inline void cv_labels_sort(cv_label *l, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cv_label_rank(&l[j - 1], &l[j]) > 0; j--) {
			cv_label t = l[j];
			l[j] = l[j - 1];
			l[j - 1] = t;
		}
}

static inline bool cv_label_eq(const cv_label *a, const cv_label *b)
{
	if (strcmp(a->key, b->key) != 0 || (a->str == NULL) != (b->str == NULL))
		return false;
	if (a->str)
		return strcmp(a->str, b->str) == 0;
	return a->num == b->num && strcmp(a->num_unit, b->num_unit) == 0;
}

/* Same locations and labels (labels sorted by cv_labels_sort). */
static inline bool cv_sample_key_eq(const cv_sample *a, const cv_sample *b)
{
	if (a->n_locs != b->n_locs || a->n_labels != b->n_labels)
		return false;
	if (a->n_locs && memcmp(a->locs, b->locs, a->n_locs * sizeof(*a->locs)) != 0)
		return false;
	for (size_t i = 0; i < a->n_labels; i++)
		if (!cv_label_eq(&a->labels[i], &b->labels[i]))
			return false;
	return true;
}

static inline uint64_t cv_sample_key_hash(const cv_sample *s)
{
	uint64_t h = cv_hash_mix(0, s->n_locs);
	for (size_t i = 0; i < s->n_locs; i++)
		h = cv_hash_mix(h, s->locs[i]);
	for (size_t i = 0; i < s->n_labels; i++) {
		const cv_label *l = &s->labels[i];
		h = cv_hash_mix_str(h, l->key);
		h = l->str ? cv_hash_mix_str(h, l->str)
			   : cv_hash_mix_str(cv_hash_mix(h, (uint64_t)l->num), l->num_unit);
	}
	return h;
}

#endif
