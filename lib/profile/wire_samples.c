/*
 * The samples of a profile.proto, read straight from the wire format.
 *
 * Samples are nearly all of a profile's bytes, and protobuf-c spends on
 * them a struct, two arrays and a label array each, plus a pointer table:
 * for a million samples that is most of the decode time and about as much
 * memory again as the final profile. Here each sample's numbers go into
 * three flat arrays instead, and everything else (sample types, mappings,
 * locations, functions, strings: a small part of the file) is copied,
 * field by field and in order, into a shorter profile.proto that
 * protobuf-c unpacks as before.
 *
 * This path only has to be right for what it accepts. It declines (and
 * the caller decodes the whole file with protobuf-c, whose verdict and
 * error messages then stand) whenever a sample holds anything but
 * well-formed numbers and labels of the expected wire types, or a
 * location id wider than 32 bits. cv_scan has already checked the
 * framing of every top-level field and of every field inside a sample.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "callviz/error.h"
#include "profile/decode_internal.h"
#include "profile/packed_ids.h"
#include "profile/stream.h"
#include "util/alloc.h"
#include "util/task.h"

enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_I32 = 5 };

/* Profile.sample, and the fields of Sample and Label. */
enum { PROFILE_SAMPLE = 2 };
enum { SAMPLE_LOCATION_ID = 1, SAMPLE_VALUE = 2, SAMPLE_LABEL = 3 };
enum { LABEL_KEY = 1, LABEL_STR = 2, LABEL_NUM = 3, LABEL_NUM_UNIT = 4 };

/* A cursor over one message's bytes. */
typedef struct cursor {
	const uint8_t *p, *end;
} cursor;

/* A varint of at most `most` bytes (protobuf-c reads tags and lengths in
 * at most 5, numbers in at most 10); false if the bytes run out first or
 * it is longer. */
static bool read_varint_of(cursor *c, uint64_t *v, unsigned most)
{
	/* Keys, lengths and most numbers fit in one byte. */
	if (c->p < c->end && !(*c->p & 0x80)) {
		*v = *c->p++;
		return true;
	}
	uint64_t x = 0;
	for (unsigned shift = 0; shift < 7 * most && c->p < c->end; shift += 7) {
		uint8_t b = *c->p++;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return true;
		}
	}
	return false;
}

static bool read_varint(cursor *c, uint64_t *v)
{
	return read_varint_of(c, v, 10);
}

typedef struct field {
	uint32_t num, wt;
	uint64_t value;         /* a varint's value or a payload's length */
	cursor payload;         /* WT_LEN's bytes; empty for the others */
} field;

/* What next_field found: a field, the message's end, or anything unusual
 * (the cursor is then left anywhere). */
enum { FIELD = 1, END = 0, BAD = -1 };

static int next_field_slow(cursor *c, field *f)
{
	uint64_t key;
	if (c->p == c->end)
		return END;
	if (!read_varint_of(c, &key, 5) || key >> 3 == 0)
		return BAD;
	f->num = (uint32_t)(key >> 3);
	f->wt = key & 7;
	f->payload = (cursor){c->p, c->p};
	size_t skip;
	switch (f->wt) {
	case WT_VARINT:
		return read_varint(c, &f->value) ? FIELD : BAD;
	case WT_I64: skip = 8; break;
	case WT_I32: skip = 4; break;
	case WT_LEN:
		if (!read_varint_of(c, &f->value, 5) || f->value > INT32_MAX ||
		    f->value > (uint64_t)(c->end - c->p))
			return BAD;
		f->payload = (cursor){c->p, c->p + f->value};
		skip = (size_t)f->value;
		break;
	default:
		return BAD;
	}
	if (skip > (size_t)(c->end - c->p))
		return BAD;
	c->p += skip;
	return FIELD;
}

/*
 * Nearly every field of a sample has a one-byte key and a varint or a
 * length of one or two bytes: those are read here, inline and without a
 * loop; anything else the slow way.
 */
static inline int next_field(cursor *c, field *f)
{
	const uint8_t *p = c->p;
	if (p == c->end)
		return END;
	if (c->end - p < 3)
		return next_field_slow(c, f);
	uint32_t key = p[0], b1 = p[1], b2 = p[2], wt = key & 7;
	if (key >= 0x80 || key < 8 || (wt != WT_LEN && wt != WT_VARINT) || (b1 & b2 & 0x80))
		return next_field_slow(c, f);
	uint32_t more = b1 >> 7;
	uint64_t v = (b1 & 0x7f) | ((b2 & 0x7f) << 7 & (0u - more));
	const uint8_t *after = p + 2 + more;
	if (wt == WT_LEN && v > (uint64_t)(c->end - after))
		return BAD;
	f->num = key >> 3;
	f->wt = wt;
	f->value = v;
	f->payload = wt == WT_LEN ? (cursor){after, after + v} : (cursor){p + 1, p + 1};
	c->p = wt == WT_LEN ? after + v : after;
	return FIELD;
}

/* Growable arrays: realloc doubles them, which for big blocks moves pages
 * rather than bytes. Callers test for room inline first; this is the slow
 * path. */
static bool reserve(void **arr, size_t *cap, size_t want, size_t elem)
{
	return cv_grow(arr, cap, want, elem, 1024) == 0;
}

typedef struct builder {
	cv_raw_samples *raw;
	size_t cap_samples, cap_locs, cap_values, cap_labels;
	/* The end of the bytes all at hand (cv_packed_ids may read up to it);
	 * NULL while they are still being inflated. */
	const uint8_t *readable;
	bool oom;
} builder;

/*
 * The next number of a packed run. Location ids are nearly all one or two
 * bytes long, in no order a branch predictor could learn: both lengths
 * are decoded without a branch on which it is.
 */
static inline bool next_number(cursor *c, uint64_t *v)
{
	const uint8_t *p = c->p;
	uint32_t first = p[0], second = c->end - p >= 2 ? p[1] : 0x80;
	uint32_t more = first >> 7;
	if (more & second >> 7)
		return read_varint(c, v);
	*v = (first & 0x7f) | ((second & 0x7f) << 7 & (0u - more));
	c->p = p + 1 + more;
	return true;
}

/* How many numbers field 1 or 2 of a sample can hold: one unpacked, at
 * most a byte each packed; 0 for a wire type protobuf-c would refuse. */
static size_t most_numbers(const field *f)
{
	return f->wt == WT_VARINT ? 1 : f->wt == WT_LEN ? (size_t)f->value + 1 : 0;
}

/* Room in an array of n entries for a field's numbers, at most. */
static bool room_for_numbers(builder *b, void **arr, size_t *cap, size_t n, const field *f,
			     size_t elem)
{
	size_t most = most_numbers(f);
	if (n + most <= *cap)
		return true;
	if (reserve(arr, cap, n + most, elem))
		return true;
	b->oom = true;
	return false;
}

static bool room_for_one(builder *b, void **arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return true;
	if (reserve(arr, cap, n + 1, elem))
		return true;
	b->oom = true;
	return false;
}

/* Location ids, kept in 32 bits: every profiler writes small ones. */
static inline bool put_location_id(uint32_t *locs, size_t *n, uint64_t id)
{
	if (id == 0 || id > UINT32_MAX)
		return false;
	locs[(*n)++] = (uint32_t)id;
	return true;
}

static bool location_ids(builder *b, const field *f, uint32_t *count)
{
	cv_raw_samples *r = b->raw;
	size_t n = r->n_locs;
	uint64_t v;
	if (!most_numbers(f) ||
	    !room_for_numbers(b, (void **)&r->locs, &b->cap_locs, n, f, sizeof(*r->locs)))
		return false;
	/* The array in a local: stores through r->locs could otherwise alias
	 * r, and the pointer would be loaded again for every id. */
	uint32_t *locs = r->locs;
	if (f->wt == WT_VARINT && !put_location_id(locs, &n, f->value))
		return false;
	for (cursor c = f->payload; c.p < c.end;) {
		if (b->readable) {
			n += cv_packed_ids(&c.p, c.end, b->readable, locs + n, b->cap_locs - n);
			if (c.p == c.end)
				break;
		}
		if (!next_number(&c, &v) || !put_location_id(locs, &n, v))
			return false;
	}
	*count += (uint32_t)(n - r->n_locs);
	r->n_locs = n;
	return true;
}

static bool values(builder *b, const field *f, uint32_t *count)
{
	cv_raw_samples *r = b->raw;
	size_t n = r->n_values;
	uint64_t v;
	if (!most_numbers(f) ||
	    !room_for_numbers(b, (void **)&r->values, &b->cap_values, n, f, sizeof(*r->values)))
		return false;
	int64_t *vals = r->values;
	if (f->wt == WT_VARINT)
		vals[n++] = (int64_t)f->value;
	for (cursor c = f->payload; c.p < c.end; vals[n++] = (int64_t)v)
		if (!next_number(&c, &v))
			return false;
	*count += (uint32_t)(n - r->n_values);
	r->n_values = n;
	return true;
}

static bool label(builder *b, const field *f)
{
	cv_raw_samples *r = b->raw;
	if (f->wt != WT_LEN)
		return false;
	cv_raw_label l = {0};
	cursor c = f->payload;
	field g;
	int rc;
	while ((rc = next_field(&c, &g)) == FIELD) {
		int64_t *slot = g.num == LABEL_KEY ? &l.key : g.num == LABEL_STR ? &l.str :
				g.num == LABEL_NUM ? &l.num : g.num == LABEL_NUM_UNIT ? &l.num_unit : NULL;
		if (slot && g.wt != WT_VARINT)
			return false;
		if (slot)
			*slot = (int64_t)g.value;   /* the last one counts, as in protobuf-c */
	}
	if (rc == BAD)
		return false;
	if (!room_for_one(b, (void **)&r->labels, &b->cap_labels, r->n_labels, sizeof(*r->labels)))
		return false;
	r->labels[r->n_labels++] = l;
	return true;
}

static bool sample(builder *b, const field *outer)
{
	cv_raw_samples *r = b->raw;
	cv_raw_sample s = {0};
	cursor c = outer->payload;
	field f;
	int rc;
	while ((rc = next_field(&c, &f)) == FIELD) {
		bool ok = true;
		if (f.num == SAMPLE_LOCATION_ID)
			ok = location_ids(b, &f, &s.n_locs);
		else if (f.num == SAMPLE_VALUE)
			ok = values(b, &f, &s.n_values);
		else if (f.num == SAMPLE_LABEL && (ok = label(b, &f)))
			s.n_labels++;
		if (!ok)
			return false;
	}
	/* A sample without values is never valid (every sample has one per
	 * sample type, and a profile without types has no samples). Declining
	 * at once also keeps a bomb of empty samples from costing memory
	 * here while the scan on the inflating thread counts up to its limit. */
	if (rc == BAD || s.n_values == 0)
		return false;
	if (!room_for_one(b, (void **)&r->samples, &b->cap_samples, r->n, sizeof(*r->samples)))
		return false;
	r->samples[r->n++] = s;
	return true;
}

void cv_raw_samples_free(cv_raw_samples *r)
{
	free(r->samples);
	free(r->locs);
	free(r->values);
	free(r->labels);
	memset(r, 0, sizeof(*r));
}

/*
 * Where the bytes come from: all at hand, or still being inflated on
 * another thread (a stream), in which case the cursor waits for them.
 */
typedef struct source {
	const uint8_t *data;
	size_t have;            /* bytes known final */
	cv_stream *stream;      /* NULL: `have` is the whole input */
	bool abandoned;
} source;

/* Are the first `upto` bytes there (waiting for them if need be)? */
static bool reach(source *src, size_t upto)
{
	if (upto <= src->have || !src->stream || src->abandoned)
		return upto <= src->have;
	size_t got = cv_stream_wait(src->stream, upto);
	if (got == SIZE_MAX) {
		src->abandoned = true;
		return false;
	}
	src->have = got;
	return upto <= got;
}

/* A field's size from its key and length, with at least its first
 * MAX_HEAD bytes (or all that remain) in c; 0 if the head is malformed. */
#define MAX_HEAD 20

static size_t field_size(cursor c)
{
	const uint8_t *start = c.p;
	uint64_t key, n;
	if (!read_varint_of(&c, &key, 5))
		return 0;
	switch (key & 7) {
	case WT_VARINT: return read_varint(&c, &n) ? (size_t)(c.p - start) : 0;
	case WT_I64: return (size_t)(c.p - start) + 8;
	case WT_I32: return (size_t)(c.p - start) + 4;
	case WT_LEN:
		if (!read_varint_of(&c, &n, 5) || n > INT32_MAX)
			return 0;
		return (size_t)(c.p - start) + (size_t)n;
	default: return 0;
	}
}

/* The top-level field at pos, once its bytes are there; false if it is
 * malformed or cut short. */
static bool field_at(source *src, size_t pos, field *f, size_t *size)
{
	if (!src->stream) {
		cursor c = {src->data + pos, src->data + src->have};
		if (next_field(&c, f) != FIELD)
			return false;
		*size = (size_t)(c.p - (src->data + pos));
		return true;
	}
	reach(src, pos + MAX_HEAD);
	*size = field_size((cursor){src->data + pos, src->data + src->have});
	if (!*size || !reach(src, pos + *size))
		return false;
	cursor c = {src->data + pos, src->data + pos + *size};
	return next_field(&c, f) == FIELD;
}

/* The fields from src into b's samples and, copied in order, *rest. */
static int split_fields(source *src, size_t cap, builder *b, uint8_t **rest,
			size_t *rest_len)
{
	/* The rest can never outgrow the input; the pages it does not use
	 * are never touched. */
	uint8_t *out = malloc(cap + 1);
	size_t out_len = 0, pos = 0;
	bool ok = out != NULL && !b->oom;
	while (ok && reach(src, pos + 1)) {
		field f;
		size_t size;
		if (!field_at(src, pos, &f, &size))
			ok = false;
		else if (f.num == PROFILE_SAMPLE)
			ok = f.wt == WT_LEN && sample(b, &f);
		else {
			memcpy(out + out_len, src->data + pos, size);
			out_len += size;
		}
		pos += size;
	}
	if (ok && !src->abandoned) {
		*rest = out;
		*rest_len = out_len;
		return 0;
	}
	free(out);
	return b->oom || !out ? cv_error_nomem() : CV_DECLINE;
}

static int split(source *src, size_t cap, cv_raw_samples *raw, uint8_t **rest,
		 size_t *rest_len)
{
	builder b = {.raw = raw, .readable = src->stream ? NULL : src->data + src->have};
	memset(raw, 0, sizeof(*raw));
	/* The location ids cannot outnumber the input's bytes: reserved up
	 * front, the ids, nearly all of a profile, are never copied as they
	 * grow, and the pages they do not use are never touched. */
	if (!reserve((void **)&raw->locs, &b.cap_locs, cap + 1, sizeof(*raw->locs)))
		b.oom = true;
	/* The others are guessed from the bytes, above what profiles hold (a
	 * sample takes tens of bytes): doubling from small sizes would copy
	 * them, each copy on pages of its own. Grown if short, fit after. */
	if (!reserve((void **)&raw->samples, &b.cap_samples, cap / 16 + 1024,
		     sizeof(*raw->samples)) ||
	    !reserve((void **)&raw->values, &b.cap_values, cap / 8 + 1024, sizeof(*raw->values)))
		b.oom = true;
	int rc = split_fields(src, cap, &b, rest, rest_len);
	if (rc)
		cv_raw_samples_free(raw);
	return rc;
}

/* An array down to n entries of `elem` bytes, its tail back to the heap. */
static void fit(void **arr, size_t n, size_t elem)
{
	void *a = n ? realloc(*arr, n * elem) : NULL;
	if (a)
		*arr = a;
}

/* The arrays down to their sizes, once the split is over. */
static int fit_arrays(int rc, cv_raw_samples *raw)
{
	if (rc == 0) {
		fit((void **)&raw->locs, raw->n_locs, sizeof(*raw->locs));
		fit((void **)&raw->samples, raw->n, sizeof(*raw->samples));
		fit((void **)&raw->values, raw->n_values, sizeof(*raw->values));
	}
	return rc;
}

int cv_split_samples(const uint8_t *data, size_t len, cv_raw_samples *raw,
		     uint8_t **rest, size_t *rest_len)
{
	source src = {.data = data, .have = len};
	return fit_arrays(split(&src, len, raw, rest, rest_len), raw);
}

int cv_split_samples_followed(cv_stream *stream, cv_raw_samples *raw,
			      uint8_t **rest, size_t *rest_len)
{
	/* The inflater publishes its buffer before the first byte. */
	source src = {.stream = stream};
	size_t cap;
	reach(&src, 1);
	src.data = cv_stream_data(stream, &cap);
	if (src.abandoned || !src.data) {
		memset(raw, 0, sizeof(*raw));
		return CV_DECLINE;
	}
	return fit_arrays(split(&src, cap, raw, rest, rest_len), raw);
}

/*
 * In halves, on two threads: [0, mid) and [mid, len) each split as a
 * buffer of its own, into arrays of its own that the caller takes as two
 * parts, the second's samples after the first's. Nothing is copied to
 * join them but the second half's few other fields, and no scan has to
 * size the arrays first.
 */
size_t cv_split_halves_min_bytes = 1u << 20;

size_t cv_split_middle(const uint8_t *data, size_t len)
{
	size_t pos = 0;
	if (len < cv_split_halves_min_bytes)
		return 0;
	while (pos < len / 2) {
		size_t size = field_size((cursor){data + pos, data + len});
		if (!size || size > len - pos)
			return 0;
		pos += size;
	}
	return pos < len ? pos : 0;
}

typedef struct half_split {
	source src;
	cv_raw_samples *raw;
	uint8_t *rest;
	size_t rest_len;
	int rc;
} half_split;

static void split_half(void *arg)
{
	half_split *h = arg;
	h->rc = fit_arrays(split(&h->src, h->src.have, h->raw, &h->rest, &h->rest_len), h->raw);
}

int cv_split_samples_halves(const uint8_t *data, size_t len, size_t mid,
			    cv_raw_samples raw[2], uint8_t **rest, size_t *rest_len)
{
	half_split h[2] = {{.src = {.data = data, .have = mid}, .raw = &raw[0]},
			   {.src = {.data = data + mid, .have = len - mid}, .raw = &raw[1]}};
	cv_task_run_pair(split_half, &h[0], &h[1]);
	int rc = h[0].rc ? h[0].rc : h[1].rc;
	uint8_t *joined = rc ? NULL : cv_realloc_array(h[0].rest, h[0].rest_len + h[1].rest_len + 1, 1);
	/* An error on the other thread was set there: say it here. */
	if (rc == CV_ENOMEM || (rc == 0 && !joined))
		rc = cv_error_nomem();
	if (rc == 0) {
		memcpy(joined + h[0].rest_len, h[1].rest, h[1].rest_len);
		*rest = joined;
		*rest_len = h[0].rest_len + h[1].rest_len;
	} else if (h[0].rc == 0) {
		cv_raw_samples_free(&raw[0]);
		free(h[0].rest);
	}
	/* (a half that failed has freed what it made) */
	if (h[1].rc == 0) {
		if (rc)
			cv_raw_samples_free(&raw[1]);
		free(h[1].rest);
	}
	return rc;
}
