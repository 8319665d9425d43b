#include "util/strpair_map.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/hash.h"

/* FNV-1a over both strings, with a separator byte so ("ab", "c") != ("a", "bc"). */
static uint64_t hash_pair(const char *a, const char *b)
{
	uint64_t h = cv_fnv1a_str(CV_FNV_OFFSET, a);
	h = cv_fnv1a_byte(h, 0x1f);
	return cv_fnv1a_str(h, b);
}

/* The slot holding (a, b), or the empty slot where it would go. */
static size_t probe(const cv_strpair_map *m, const char *a, const char *b)
{
	size_t k = hash_pair(a, b) & m->mask;
	for (; m->slots[k]; k = (k + 1) & m->mask) {
		const cv_strpair *p = &m->pairs[m->slots[k] - 1];
		if (strcmp(p->a, a) == 0 && strcmp(p->b, b) == 0)
			break;
	}
	return k;
}

/* Twice the pairs' capacity in slots keeps the table at most half full. */
static int grow(cv_strpair_map *m)
{
	size_t cap = cv_grow_cap(m->cap, m->cap + 1, 64);
	cv_strpair *p = cap && cap <= UINT32_MAX ? cv_realloc_array(m->pairs, cap, sizeof(*p)) : NULL;
	if (p)
		m->pairs = p;
	uint32_t *slots = p ? calloc(cap * 2, sizeof(*slots)) : NULL;
	if (!slots)
		return cv_error_nomem();
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	m->mask = cap * 2 - 1;
	for (size_t i = 0; i < m->n; i++) {
		size_t k = hash_pair(p[i].a, p[i].b) & m->mask;
		while (slots[k])
			k = (k + 1) & m->mask;
		slots[k] = (uint32_t)i + 1;
	}
	return 0;
}

long cv_strpair_map_find(const cv_strpair_map *m, const char *a, const char *b)
{
	if (!m->slots)
		return -1;
	size_t k = probe(m, a, b);
	return m->slots[k] ? (long)m->slots[k] - 1 : -1;
}

long cv_strpair_map_add(cv_strpair_map *m, const char *a, const char *b)
{
	if (m->n == m->cap && grow(m))
		return -1;
	size_t k = probe(m, a, b);
	m->pairs[m->n] = (cv_strpair){a, b, 0};
	m->slots[k] = (uint32_t)++m->n;
	return (long)m->n - 1;
}

void cv_strpair_map_free(cv_strpair_map *m)
{
	free(m->pairs);
	free(m->slots);
	*m = (cv_strpair_map){0};
}
