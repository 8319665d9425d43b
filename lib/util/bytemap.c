#include "util/bytemap.h"

#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "util/alloc.h"
#include "util/hash.h"

typedef struct slot {
	const void *key;        /* NULL marks a free slot */
	size_t len;
	uint64_t hash;
	uint32_t val;
} slot;

struct cv_bytemap {
	slot *slots;
	size_t mask, count;
};

/* FNV-1a: keys are short (names, frame id runs) and this is fast enough. */
static uint64_t hash_bytes(const void *key, size_t len)
{
	uint64_t h = cv_fnv1a(CV_FNV_OFFSET, key, len);
	return h ^ (h >> 29);
}

cv_bytemap *cv_bytemap_new(void)
{
	cv_bytemap *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->slots = calloc(64, sizeof(*m->slots));
	if (!m->slots) {
		free(m);
		return NULL;
	}
	m->mask = 63;
	return m;
}

void cv_bytemap_free(cv_bytemap *m)
{
	if (m)
		free(m->slots);
	free(m);
}

static const slot *find(const cv_bytemap *m, const void *key, size_t len, uint64_t h)
{
	/* Empty keys are stored with a non-NULL placeholder pointer. */
	for (size_t i = h & m->mask;; i = (i + 1) & m->mask) {
		const slot *s = &m->slots[i];
		if (!s->key)
			return s;
		if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)
			return s;
	}
}

uint32_t cv_bytemap_get(const cv_bytemap *m, const void *key, size_t len)
{
	const slot *s = find(m, key, len, hash_bytes(key, len));
	return s->key ? s->val : CV_BYTEMAP_NONE;
}

static int grow(cv_bytemap *m)
{
	size_t cap = (m->mask + 1) * 2;
	slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return cv_error_nomem();
	for (size_t k = 0; k <= m->mask; k++) {
		if (!m->slots[k].key)
			continue;
		size_t i = m->slots[k].hash & (cap - 1);
		while (slots[i].key)
			i = (i + 1) & (cap - 1);
		slots[i] = m->slots[k];
	}
	free(m->slots);
	m->slots = slots;
	m->mask = cap - 1;
	return 0;
}

int cv_bytemap_put(cv_bytemap *m, const void *key, size_t len, uint32_t val)
{
	if ((m->count + 1) * 2 > m->mask + 1 && grow(m))
		return cv_error_nomem();
	uint64_t h = hash_bytes(key, len);
	slot *s = (slot *)find(m, key, len, h);
	s->key = len ? key : (const void *)"";
	s->len = len;
	s->hash = h;
	s->val = val;
	m->count++;
	return 0;
}

size_t cv_bytemap_count(const cv_bytemap *m)
{
	return m->count;
}
