#ifndef CV_PROFILE_DECODE_INTERNAL_H
#define CV_PROFILE_DECODE_INTERNAL_H

/* Pieces shared by the profile decoder's files; not a public API. */

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "callviz/profile.h"
#include "profile.pb-c.h"

/*
 * Inflate one or more concatenated gzip members. On success *out is a
 * malloc'ed buffer the caller frees. More than `max` output bytes is an
 * error rather than a truncation.
 */
int cv_gunzip(const uint8_t *in, size_t len, size_t max,
	      uint8_t **out, size_t *out_len);

/* The same, feeding the inflated bytes to a wire-format scan as they come
 * (limits.h), so a bomb stops early; scan may be NULL. */
struct cv_scan;
int cv_gunzip_scan(const uint8_t *in, size_t len, size_t max, struct cv_scan *scan,
		   uint8_t **out, size_t *out_len);

/*
 * Short-lived memory for one decode: the unpacked protobuf message and the
 * id tables live here and are released together once the cv_profile has
 * been built, so nothing is freed piece by piece.
 */
typedef struct cv_scratch cv_scratch;

cv_scratch *cv_scratch_new(void);
void cv_scratch_free(cv_scratch *s);
void *cv_scratch_alloc(cv_scratch *s, size_t size);
/* True once an allocation has failed. */
bool cv_scratch_failed(const cv_scratch *s);
/* An allocator for protobuf-c that draws on `s`. */
ProtobufCAllocator *cv_scratch_pb_allocator(cv_scratch *s);

/* Maps the arbitrary 64-bit ids of profile.proto to dense array indexes. */
#define CV_IDMAP_NONE UINT32_MAX

typedef struct cv_idmap {
	uint32_t *dense;      /* indexed by id when ids are small */
	size_t dense_len;
	uint64_t *keys;       /* open addressing otherwise; 0 marks a free slot */
	uint32_t *vals;
	size_t mask;
} cv_idmap;

/* Size a map for n ids none larger than max_id. Returns 0 or CV_ENOMEM. */
int cv_idmap_init(cv_idmap *m, cv_scratch *s, size_t n, uint64_t max_id);
/* Insert id (nonzero); returns the index already stored for it, if any. */
uint32_t cv_idmap_put(cv_idmap *m, uint64_t id, uint32_t idx);
uint32_t cv_idmap_get(const cv_idmap *m, uint64_t id);

/*
 * Turn an unpacked message into a validated cv_profile whose memory all
 * lives in p->arena. On failure the error is set and *out is untouched.
 */
int cv_profile_convert(cv_profile **out, const Perftools__Profiles__Profile *pb,
		       cv_scratch *s);

#endif
