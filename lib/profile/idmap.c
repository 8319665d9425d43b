#include <string.h>

#include "callviz/error.h"
#include "profile/decode_internal.h"
#include "util/alloc.h"

/*
 * Most writers number ids 1..n, so a plain array indexed by id is the
 * common case; addresses used as ids (some C++ profilers do that) fall
 * back to a hash table. Either way a lookup is O(1).
 */

static uint64_t mix(uint64_t x)
{
	/* splitmix64's finaliser: sequential ids must not share buckets. */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

int cv_idmap_init(cv_idmap *m, cv_scratch *s, size_t n, uint64_t max_id)
{
	memset(m, 0, sizeof(*m));
	if (max_id <= 4 * (uint64_t)n + 1024) {
		m->dense_len = (size_t)max_id + 1;
		m->dense = cv_scratch_alloc(s, m->dense_len * sizeof(uint32_t));
		if (!m->dense)
			return cv_error_nomem();
		memset(m->dense, 0xff, m->dense_len * sizeof(uint32_t));
		return 0;
	}
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	m->keys = cv_scratch_alloc(s, cap * sizeof(uint64_t));
	m->vals = cv_scratch_alloc(s, cap * sizeof(uint32_t));
	if (!m->keys || !m->vals)
		return cv_error_nomem();
	memset(m->keys, 0, cap * sizeof(uint64_t));
	m->mask = cap - 1;
	return 0;
}

uint32_t cv_idmap_put(cv_idmap *m, uint64_t id, uint32_t idx)
{
	if (m->dense) {
		uint32_t old = m->dense[id];
		if (old == CV_IDMAP_NONE)
			m->dense[id] = idx;
		return old;
	}
	for (size_t i = mix(id) & m->mask;; i = (i + 1) & m->mask) {
		if (m->keys[i] == id)
			return m->vals[i];
		if (m->keys[i] == 0) {
			m->keys[i] = id;
			m->vals[i] = idx;
			return CV_IDMAP_NONE;
		}
	}
}

uint32_t cv_idmap_get_sparse(const cv_idmap *m, uint64_t id)
{
	if (id == 0)
		return CV_IDMAP_NONE;
	for (size_t i = mix(id) & m->mask;; i = (i + 1) & m->mask) {
		if (m->keys[i] == id)
			return m->vals[i];
		if (m->keys[i] == 0)
			return CV_IDMAP_NONE;
	}
}
