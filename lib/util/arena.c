#include "util/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#define ARENA_MIN_BLOCK (64 * 1024)

typedef struct block {
	struct block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
} block;

/* A malloc'ed block the arena has taken over. */
typedef struct adopted {
	struct adopted *next;
	void *block;
} adopted;

struct cv_arena {
	block *head;
	size_t total;
	adopted *adopted;
};

cv_arena *cv_arena_new(void)
{
	return calloc(1, sizeof(cv_arena));
}

void cv_arena_free(cv_arena *a)
{
	if (!a)
		return;
	/* The list lives in the blocks freed below: walk it first. */
	for (adopted *d = a->adopted; d; d = d->next)
		free(d->block);
	for (block *b = a->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void *cv_arena_alloc(cv_arena *a, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if (size == 0)
		size = 16;
	block *b = a->head;
	if (!b || b->size - b->used < size) {
		/* Blocks double with the arena so big profiles need few mallocs. */
		size_t want = a->total / 2;
		if (want < ARENA_MIN_BLOCK)
			want = ARENA_MIN_BLOCK;
		if (want < size)
			want = size;
		block *nb = malloc(sizeof(block) + want);
		if (!nb)
			return NULL;
		nb->size = want;
		nb->used = 0;
		nb->next = a->head;
		a->head = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += size;
	a->total += size;
	memset(p, 0, size);
	return p;
}

int cv_arena_adopt(cv_arena *a, void *mem)
{
	adopted *d = cv_arena_alloc(a, sizeof(*d));
	if (!d)
		return cv_error_nomem();
	d->block = mem;
	d->next = a->adopted;
	a->adopted = d;
	return 0;
}

void *cv_arena_calloc(cv_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return cv_arena_alloc(a, n * size);
}

char *cv_arena_strndup(cv_arena *a, const char *s, size_t len)
{
	char *p = cv_arena_alloc(a, len + 1);
	if (p && len)
		memcpy(p, s, len);
	return p;
}

char *cv_arena_strdup(cv_arena *a, const char *s)
{
	return cv_arena_strndup(a, s, strlen(s));
}

char *cv_arena_printf(cv_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = cv_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t cv_arena_used(const cv_arena *a)
{
	return a->total;
}
