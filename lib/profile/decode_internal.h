#ifndef CV_PROFILE_DECODE_INTERNAL_H
#define CV_PROFILE_DECODE_INTERNAL_H

/* Pieces shared by the profile decoder's files; not a public API. */

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "callviz/profile.h"
#include "profile/limits.h"
#include "profile.pb-c.h"

/*
 * Inflate one or more concatenated gzip members. On success *out is a
 * malloc'ed buffer the caller frees. More than `max` output bytes is an
 * error rather than a truncation.
 */
int cv_gunzip(const uint8_t *in, size_t len, size_t max,
	      uint8_t **out, size_t *out_len);

/*
 * Inflate a one-member gzip file whole, with libdeflate (about twice
 * zlib's speed), into a buffer of the size its trailer claims. Returns
 * CV_DECLINE, having kept nothing, for anything else: more members, a
 * size that is wrong, over max or not believable (a bomb's), corrupt
 * data. cv_gunzip_scan then inflates it, or says what is wrong with it.
 */
int cv_gunzip_whole(const uint8_t *in, size_t len, size_t max,
		    uint8_t **out, size_t *out_len);

/* The same as cv_gunzip, feeding the inflated bytes to a wire-format scan as they come
 * (limits.h), so a bomb stops early, and publishing them to a reader on
 * another thread (stream.h); scan and stream may be NULL. */
struct cv_scan;
struct cv_stream;
int cv_gunzip_scan(const uint8_t *in, size_t len, size_t max, struct cv_scan *scan,
		   struct cv_stream *stream, uint8_t **out, size_t *out_len);

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
uint32_t cv_idmap_get_sparse(const cv_idmap *m, uint64_t id);

/* Inline: called once per frame of every sample. */
static inline uint32_t cv_idmap_get(const cv_idmap *m, uint64_t id)
{
	if (m->dense)
		return id < m->dense_len ? m->dense[id] : CV_IDMAP_NONE;
	return cv_idmap_get_sparse(m, id);
}

/* From this many frames on, the passes over every frame of every sample
 * (resolving location ids in convert.c, renumbering them in compact.c)
 * run in two halves on two threads; the tests lower it. */
extern size_t cv_halves_min_frames;

/* Returned by the fast path when it leaves a profile to protobuf-c. */
#define CV_DECLINE 1

/* Samples as read from the wire (wire_samples.c): ids and string indexes
 * not yet resolved, each sample's numbers consecutive in the arrays. */
typedef struct cv_raw_label {
	int64_t key, str, num, num_unit;
} cv_raw_label;

typedef struct cv_raw_sample {
	uint32_t n_locs, n_values, n_labels;
} cv_raw_sample;

typedef struct cv_raw_samples {
	cv_raw_sample *samples;
	size_t n;
	uint32_t *locs;         /* location ids, leaf first */
	size_t n_locs;
	int64_t *values;
	size_t n_values;
	cv_raw_label *labels;
	size_t n_labels;
} cv_raw_samples;

/*
 * Split a profile.proto that cv_scan accepted into its samples, decoded
 * into *raw, and every other field, copied in order into *rest (malloc'ed)
 * as a profile.proto without samples. Returns 0, CV_DECLINE when a sample
 * is out of the ordinary (the caller then unpacks the whole file with
 * protobuf-c), or CV_ENOMEM with the error set.
 */
int cv_split_samples(const uint8_t *data, size_t len, cv_raw_samples *raw,
		     uint8_t **rest, size_t *rest_len);
/* The same over bytes still being inflated (stream.h); CV_DECLINE too
 * when the stream was abandoned. */
int cv_split_samples_followed(struct cv_stream *stream, cv_raw_samples *raw,
			      uint8_t **rest, size_t *rest_len);
/*
 * The split on two threads, for an input of cv_split_halves_min_bytes or
 * more (the tests lower it). cv_split_middle: where the top-level field
 * that reaches the middle ends (0: too small to split, or malformed).
 * cv_split_samples_halves splits [0, mid) and [mid, len) at once, each
 * into a part of its own, raw[1]'s samples following raw[0]'s: taken
 * together, the same result as cv_split_samples, declines included.
 * Unlike it, it needs no scan first (the caller scans the rest, and adds
 * the parts' counts, for the limits).
 */
extern size_t cv_split_halves_min_bytes;
size_t cv_split_middle(const uint8_t *data, size_t len);
int cv_split_samples_halves(const uint8_t *data, size_t len, size_t mid,
			    cv_raw_samples raw[2], uint8_t **rest, size_t *rest_len);
void cv_raw_samples_free(cv_raw_samples *raw);

/*
 * Turn an unpacked message into a validated cv_profile whose memory all
 * lives in p->arena. On failure the error is set and *out is untouched.
 * With n_parts (1 or 2) parts of raw samples, the samples are those, the
 * second part's after the first's (pb has none): their arrays are taken
 * over by the profile and emptied in raw; when one of them is invalid,
 * CV_DECLINE is returned so that protobuf-c's path reports it.
 */
int cv_profile_convert(cv_profile **out, const Perftools__Profiles__Profile *pb,
		       cv_scratch *s, cv_raw_samples *raw, size_t n_parts);

/*
 * protobuf-c's unpack of data, then cv_profile_convert (with raw, as
 * there). `owned`, if not NULL, is freed once unpacked. When protobuf-c
 * refuses data: with raw samples, CV_DECLINE; without, a format error.
 */
int cv_profile_unpack(cv_profile **out, const uint8_t *data, size_t len,
		      uint8_t *owned, cv_raw_samples *raw, size_t n_parts);

#endif
