#include <stdlib.h>

#include "util/alloc.h"
#include "util/index_table.h"

int cv_index_table_rebuild(uint32_t **slots, size_t *mask, size_t cap, size_t n,
			   uint64_t (*hash_of)(const void *ctx, size_t k), const void *ctx)
{
	uint32_t *s = calloc(cap, sizeof(*s));
	if (!s)
		return cv_error_nomem();
	for (size_t k = 0; k < n; k++) {
		size_t i = hash_of(ctx, k) & (cap - 1);
		while (s[i])
			i = (i + 1) & (cap - 1);
		s[i] = (uint32_t)k + 1;
	}
	free(*slots);
	*slots = s;
	*mask = cap - 1;
	return 0;
}
