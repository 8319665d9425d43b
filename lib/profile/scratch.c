#include <stdbool.h>
#include <stdlib.h>

#include "callviz/error.h"
#include "profile/decode_internal.h"

/*
 * Small requests are bumped out of chunks and never freed one by one;
 * protobuf-c makes several per sample, and a million malloc/free pairs
 * would cost more than the protobuf parsing itself. Large requests (the
 * repeated-field arrays, protobuf-c's temporary field lists) get their own
 * malloc so that protobuf-c's frees of them actually return memory before
 * the conversion allocates the final profile.
 */
#define CHUNK_FIRST (256 * 1024)
#define CHUNK_MAX (16 * 1024 * 1024)
#define BIG_MIN (64 * 1024)

typedef struct chunk {
	struct chunk *next;
	_Alignas(16) unsigned char data[];
} chunk;

typedef struct big {
	struct big *prev, *next;
	_Alignas(16) unsigned char data[];
} big;

struct cv_scratch {
	unsigned char *cur, *end;
	size_t chunk_size;
	chunk *chunks;
	big *bigs;
	bool failed;          /* a malloc failed: tells OOM from bad input */
	ProtobufCAllocator pb;
};

static void *pb_alloc(void *data, size_t size)
{
	return cv_scratch_alloc(data, size);
}

static void pb_free(void *data, void *ptr)
{
	cv_scratch *s = data;
	if (!ptr)
		return;
	/* Only big blocks are freed; there are few of them, so a walk is fine. */
	for (big *b = s->bigs; b; b = b->next) {
		if ((void *)b->data != ptr)
			continue;
		if (b->prev)
			b->prev->next = b->next;
		else
			s->bigs = b->next;
		if (b->next)
			b->next->prev = b->prev;
		free(b);
		return;
	}
}

cv_scratch *cv_scratch_new(void)
{
	cv_scratch *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->chunk_size = CHUNK_FIRST;
	s->pb.alloc = pb_alloc;
	s->pb.free = pb_free;
	s->pb.allocator_data = s;
	return s;
}

void cv_scratch_free(cv_scratch *s)
{
	if (!s)
		return;
	for (chunk *c = s->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	for (big *b = s->bigs, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(s);
}

static void *alloc_big(cv_scratch *s, size_t size)
{
	if (size > SIZE_MAX - sizeof(big))
		return NULL;
	big *b = malloc(sizeof(big) + size);
	if (!b)
		return NULL;
	b->prev = NULL;
	b->next = s->bigs;
	if (s->bigs)
		s->bigs->prev = b;
	s->bigs = b;
	return b->data;
}

static void *alloc_small(cv_scratch *s, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if ((size_t)(s->end - s->cur) < size) {
		chunk *c = malloc(sizeof(chunk) + s->chunk_size);
		if (!c)
			return NULL;
		c->next = s->chunks;
		s->chunks = c;
		s->cur = c->data;
		s->end = c->data + s->chunk_size;
		if (s->chunk_size < CHUNK_MAX)
			s->chunk_size *= 2;
	}
	void *p = s->cur;
	s->cur += size;
	return p;
}

/* Uninitialised memory, 16-byte aligned; protobuf-c initialises what it uses. */
void *cv_scratch_alloc(cv_scratch *s, size_t size)
{
	void *p = size >= BIG_MIN ? alloc_big(s, size) : alloc_small(s, size);
	if (!p)
		s->failed = true;
	return p;
}

bool cv_scratch_failed(const cv_scratch *s)
{
	return s->failed;
}

ProtobufCAllocator *cv_scratch_pb_allocator(cv_scratch *s)
{
	return &s->pb;
}
